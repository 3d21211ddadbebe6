// The public HTTP API (/api/v1), called with the signed-in user's bearer token. Errors are
// ApiError with the problem document's status, title and detail.
import {session} from './session.js';

export const API = '/api/v1';

export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describe(status, problem) {
  if (!problem) {
    return `HTTP ${status}`;
  }
  const details = (problem.errors ?? problem.problems ?? [])
    .map(p => `${p.path ?? ''} ${p.message ?? ''}`.trim())
    .filter(Boolean);
  return [problem.detail ?? problem.title ?? `HTTP ${status}`, ...details].join('; ');
}

/** Listeners told when a request answers 401 (the token expired or was refused). */
const unauthorizedListeners = [];

export function onUnauthorized(listener) {
  unauthorizedListeners.push(listener);
}

export async function request(method, path, body, {token = session.token()} = {}) {
  if (!token) {
    // Signed out meanwhile (a view's late timer): nothing to ask the server.
    throw new ApiError(401, {detail: 'Not signed in'});
  }
  const headers = {Accept: 'application/json', Authorization: `Bearer ${token}`};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const response = await fetch(API + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const json = text ? safeParse(text) : null;
  if (!response.ok) {
    if (response.status === 401) {
      unauthorizedListeners.forEach(listener => listener());
    }
    throw new ApiError(response.status, json);
  }
  return json;
}

function safeParse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return {detail: text};
  }
}

export const get = (path, options) => request('GET', path, undefined, options);
export const post = (path, body, options) => request('POST', path, body ?? {}, options);

/** A query string from the defined values of an object. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== '') {
      search.set(name, value);
    }
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const enc = encodeURIComponent;
