// Sign-in: paste a bearer token, or (when the server runs the demo) one click per demo user.
import {clear, errorBox, field, h} from '../dom.js';

export async function render(main, {message, onSignIn}) {
  clear(main);
  const status = h('div', {className: 'sign-in-status'});
  const tokenInput = h('textarea', {
    name: 'token', rows: 3, required: true, autocomplete: 'off', spellcheck: 'false',
  });
  const signIn = async token => {
    clear(status);
    try {
      await onSignIn(token.trim());
    } catch (error) {
      status.append(errorBox(error.status === 401
        ? new Error('That token was not accepted (expired, or not signed by this server).')
        : error));
    }
  };
  const form = h('form', {
    className: 'card',
    'aria-labelledby': 'token-heading',
    onsubmit: event => {
      event.preventDefault();
      signIn(tokenInput.value);
    },
  },
  h('h2', {id: 'token-heading'}, 'Sign in with a bearer token'),
  field('Bearer token', tokenInput, 'From your identity provider, or bin/orchestrion token --user <id>.'),
  h('button', {type: 'submit', className: 'primary'}, 'Sign in'));

  const demo = h('section', {className: 'card', 'aria-labelledby': 'demo-heading', hidden: true});
  main.append(h('h1', {}, 'Sign in'));
  if (message) {
    main.append(h('p', {className: 'notice', role: 'status'}, message));
  }
  main.append(status, demo, form);

  const config = await fetch('config.json').then(r => r.json()).catch(() => ({}));
  if (config.demoSignIn) {
    const answer = await fetch('demo-users').then(r => (r.ok ? r.json() : {users: []}));
    demo.hidden = false;
    demo.append(
      h('h2', {id: 'demo-heading'}, 'Demo users'),
      h('p', {}, 'This server runs the demo: sign in as one of its users with one click.'),
      h('ul', {className: 'demo-users'}, answer.users.map(user =>
        h('li', {},
          h('button', {
            type: 'button',
            className: 'demo-user',
            dataset: {user: user.id},
            onclick: () => signIn(user.token),
          }, `Sign in as ${user.displayName} (${user.id})`),
          h('span', {className: 'hint'}, user.description)))));
  }
}
