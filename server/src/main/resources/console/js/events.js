// Live updates. The console reads GET /api/v1/events/stream (server-sent events: frames
// "id: <sequence>", "event: <kind>", "data: <one event as GET /api/v1/events lists it>") with
// fetch, so that the bearer token goes in the Authorization header. Where the server has no stream
// (it is not in /openapi.yaml, or it answers 404), the console polls GET /api/v1/events?after=N.
// Either way listeners get each event once, in sequence order.
import {API, get} from './api.js';
import {session} from './session.js';

const POLL_INTERVAL_MS = 2000;
const RETRY_MS = 3000;
const CATCH_UP_PAGES = 50;

export class EventFeed {
  constructor() {
    this.listeners = new Set();
    this.after = 0;
    this.mode = 'starting';
    this.stopped = false;
    this.controller = null;
    this.timer = null;
    this.modeListeners = new Set();
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onMode(listener) {
    this.modeListeners.add(listener);
    listener(this.mode);
  }

  setMode(mode) {
    this.mode = mode;
    this.modeListeners.forEach(listener => listener(mode));
  }

  async start() {
    this.stopped = false;
    try {
      await this.catchUp();
      if (await streamDocumented()) {
        this.stream();
      } else {
        this.poll();
      }
    } catch (error) {
      this.retryLater(() => this.start());
    }
  }

  stop() {
    this.stopped = true;
    this.controller?.abort();
    clearTimeout(this.timer);
    this.setMode('off');
  }

  /** Skips the events before now: live updates start with the next one. */
  async catchUp() {
    for (let page = 0; page < CATCH_UP_PAGES; page++) {
      const answer = await get(`/events?after=${this.after}&limit=1000`);
      this.after = answer.lastSequence;
      if (answer.atEnd) {
        return;
      }
    }
  }

  deliver(event) {
    if (event.sequence <= this.after) {
      return;
    }
    this.after = event.sequence;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.warn('event listener failed', error);
      }
    }
  }

  async stream() {
    this.controller = new AbortController();
    let response;
    try {
      response = await fetch(`${API}/events/stream?after=${this.after}`, {
        headers: {Authorization: `Bearer ${session.token()}`, Accept: 'text/event-stream'},
        signal: this.controller.signal,
      });
    } catch (error) {
      if (!this.stopped) {
        this.retryLater(() => this.stream());
      }
      return;
    }
    if (response.status === 404) {
      this.poll();
      return;
    }
    if (!response.ok || !response.body) {
      this.retryLater(() => this.stream());
      return;
    }
    this.setMode('stream');
    try {
      await readFrames(response.body, frame => {
        if (frame.data) {
          this.deliver(JSON.parse(frame.data));
        }
      });
    } catch (error) {
      // Aborted by sign-out, or the connection dropped: reconnect after the last event seen.
    }
    if (!this.stopped) {
      this.retryLater(() => this.stream());
    }
  }

  poll() {
    this.setMode('polling');
    const tick = async () => {
      if (this.stopped) {
        return;
      }
      try {
        const answer = await get(`/events?after=${this.after}&limit=1000`);
        answer.items.forEach(event => this.deliver(event));
        this.after = Math.max(this.after, answer.lastSequence);
      } catch (error) {
        // Try again on the next tick.
      }
      this.timer = setTimeout(tick, POLL_INTERVAL_MS);
    };
    this.timer = setTimeout(tick, POLL_INTERVAL_MS);
  }

  retryLater(action) {
    if (this.stopped) {
      return;
    }
    this.setMode('reconnecting');
    this.timer = setTimeout(action, RETRY_MS);
  }
}

/** Whether the server's OpenAPI document has the stream (so that no request has to 404). */
async function streamDocumented() {
  try {
    const response = await fetch('/openapi.yaml');
    return response.ok && (await response.text()).includes('/api/v1/events/stream');
  } catch {
    return false;
  }
}

/**
 * Reads server-sent events from a byte stream: fields "id", "event", "data" (several data lines
 * are joined with newlines); a blank line ends a frame; lines starting with ":" are comments.
 */
export async function readFrames(body, onFrame) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let frame = {id: null, event: 'message', data: ''};
  let hasData = false;
  for (;;) {
    const {value, done} = await reader.read();
    if (done) {
      return;
    }
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      const line = buffer.substring(0, newline);
      buffer = buffer.substring(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (hasData) {
          onFrame(frame);
        }
        frame = {id: null, event: 'message', data: ''};
        hasData = false;
        continue;
      }
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.substring(0, colon);
      let fieldValue = colon < 0 ? '' : line.substring(colon + 1);
      if (fieldValue.startsWith(' ')) {
        fieldValue = fieldValue.substring(1);
      }
      if (name === 'data') {
        frame.data = hasData ? `${frame.data}\n${fieldValue}` : fieldValue;
        hasData = true;
      } else if (name === 'id') {
        frame.id = fieldValue;
      } else if (name === 'event') {
        frame.event = fieldValue;
      }
    }
  }
}
