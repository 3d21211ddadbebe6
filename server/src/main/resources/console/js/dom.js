// Small DOM helpers: elements are built with textContent only (never innerHTML), so values from
// the API cannot inject markup.

/** h('button', {type: 'button', onclick: f}, 'Text', child) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  setAttributes(element, attributes);
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) {
      element.setAttribute(name, String(value));
    }
  }
  append(element, children);
  return element;
}

function setAttributes(element, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.substring(2), value);
    } else if (name === 'className') {
      element.className = value;
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

/** A date-time as the user's locale shows it, with the ISO value in a <time> element. */
export function time(value) {
  if (!value) {
    return '';
  }
  const date = new Date(value);
  return h('time', {datetime: value, title: value}, formatTime(date));
}

export function formatTime(date) {
  return date.toLocaleString('en-GB', {
    year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
    second: '2-digit', timeZone: 'UTC', timeZoneName: 'short',
  });
}

/** A status badge, coloured by the status's class. */
export function badge(status, extraClass = '') {
  const text = String(status ?? '');
  return h('span', {className: `badge badge-${text.toLowerCase()} ${extraClass}`.trim()}, text);
}

/** An error box naming what failed. */
export function errorBox(error) {
  return h('div', {className: 'error', role: 'alert'}, error.message ?? String(error));
}

export function announce(message) {
  const announcer = document.getElementById('announcer');
  if (announcer) {
    announcer.textContent = message;
  }
}

/** A labelled field: <label for=id>text</label> followed by the control. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', {className: 'field'},
    h('label', {for: id}, label),
    control,
    hint ? h('span', {className: 'hint'}, hint) : null);
}

export function definitionList(pairs) {
  return h('dl', {className: 'facts'},
    pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}
