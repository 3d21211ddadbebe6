// The console's shell: sign-in state, the hash router (#/inbox, #/submissions, #/submissions/<id>,
// #/new, #/definitions, #/definitions/<kind>/<apiName>[/<version>]) and the live event feed.
import {get, onUnauthorized} from './api.js';
import {clear, errorBox, h} from './dom.js';
import {EventFeed} from './events.js';
import {session} from './session.js';
import * as definitions from './views/definitions.js';
import * as inbox from './views/inbox.js';
import * as newSubmission from './views/new-submission.js';
import * as signin from './views/signin.js';
import * as submission from './views/submission.js';
import * as submissions from './views/submissions.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
let feed = null;
let cleanup = null;
// Bumped by every navigation and sign-out: a view that finishes rendering after the user moved
// on is cleaned up at once instead of keeping its timers and subscriptions.
let generation = 0;

const routes = [
  [/^#\/inbox$/, () => inbox],
  [/^#\/submissions$/, () => submissions],
  [/^#\/submissions\/([^/]+)$/, () => submission],
  [/^#\/new$/, () => newSubmission],
  [/^#\/definitions$/, () => definitions],
  [/^#\/definitions\/(flows|orchestrations)\/([^/]+)(?:\/(\d+))?$/, () => definitions],
];

async function start() {
  document.getElementById('sign-out').addEventListener('click', signOut);
  onUnauthorized(() => {
    if (session.token()) {
      signOut('Your session ended; sign in again.');
    }
  });
  window.addEventListener('hashchange', () => route());
  if (session.token()) {
    try {
      await signedIn();
      return;
    } catch (error) {
      session.signOut();
    }
  }
  showSignIn();
}

function showSignIn(message) {
  nav.hidden = true;
  who.hidden = true;
  runCleanup();
  signin.render(main, {
    message,
    onSignIn: async token => {
      session.signIn(token);
      try {
        await signedIn();
      } catch (error) {
        session.signOut();
        throw error;
      }
    },
  });
}

async function signedIn() {
  session.me = await get('/me');
  document.getElementById('who-name').textContent =
    `Signed in as ${session.me.displayName} (${session.me.id})`;
  nav.hidden = false;
  who.hidden = false;
  feed = new EventFeed();
  const liveMode = document.getElementById('live-mode');
  feed.onMode(mode => {
    liveMode.textContent = mode === 'stream' ? 'Live' : mode === 'polling' ? 'Live (polling)' : '';
    liveMode.dataset.mode = mode;
  });
  feed.start();
  if (!location.hash || location.hash === '#' || location.hash === '#/signin') {
    location.hash = '#/inbox';
  } else {
    route();
  }
}

function signOut(message) {
  feed?.stop();
  feed = null;
  session.signOut();
  session.me = null;
  history.replaceState(null, '', '#/signin');
  showSignIn(typeof message === 'string' ? message : 'You are signed out.');
}

function runCleanup() {
  generation++;
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
}

async function route() {
  if (!session.me) {
    return;
  }
  runCleanup();
  const hash = location.hash || '#/inbox';
  for (const [pattern, view] of routes) {
    const match = hash.split('?')[0].match(pattern);
    if (match) {
      highlight(hash);
      const params = new URLSearchParams(hash.split('?')[1] ?? '');
      const mine = generation;
      try {
        const done = (await view().render(clear(main), match.slice(1), {feed, params})) ?? null;
        if (mine === generation) {
          cleanup = done;
        } else {
          done?.();
          return;
        }
      } catch (error) {
        if (mine !== generation) {
          return;
        }
        main.append(errorBox(error));
      }
      const heading = main.querySelector('h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({preventScroll: false});
      }
      return;
    }
  }
  clear(main).append(h('h1', {}, 'Not found'), h('p', {}, `No page at ${hash}.`));
}

function highlight(hash) {
  const section = hash.split(/[/?]/)[1];
  for (const link of nav.querySelectorAll('a')) {
    if (link.dataset.section === section) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
}

start();
