// Building elements without markup strings: text always goes in as text, so nothing received can become HTML.

/** h('p', {class: 'x', onclick: fn}, 'text', child) */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** Shows exactly one of the elements matching `selector`. */
export function showOnly(selector, visible) {
  for (const element of document.querySelectorAll(selector)) element.hidden = element !== visible;
}

/** "4 min", "1 h 5 min", "less than a minute". */
export function duration(seconds) {
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "00:04:05" for a timer. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The header's connection line: empty while connected, "Reconnecting…" otherwise (body[data-connection] for styles and tests). */
export function showConnection(status) {
  $('#connection').textContent = status === 'connected' ? '' : 'Reconnecting…';
  document.body.dataset.connection = status;
}
