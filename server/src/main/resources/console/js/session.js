// The signed-in user: the bearer token lives in sessionStorage (this tab only, gone when it
// closes); sign-out forgets it.
const TOKEN_KEY = 'orchestrion.token';

export const session = {
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
  /** Set by the app after GET /api/v1/me: {id, displayName, permissions, groups}. */
  me: null,
  has(permission) {
    return Boolean(this.me && this.me.permissions.includes(permission));
  },
};
