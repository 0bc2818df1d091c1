// Building elements without markup strings: text always goes in as text, so nothing received can become HTML.

/** @import { ConnectionStatus } from './hub.js' */

/**
 * An attribute value: null, undefined and false leave the attribute out, true sets it empty; `on…` takes a listener,
 * `dataset` an object of data-* values.
 * @typedef {string | number | boolean | null | undefined | EventListener | Record<string, string | number>} AttributeValue
 */
/** @typedef {Node | string | number | false | null | undefined} Child */

/**
 * h('p', {class: 'x', onclick: fn}, 'text', child)
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttributeValue>} attributes
 * @param {...(Child | Child[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), /** @type {EventListener} */ (value));
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** @param {Element} element @param {(Child | Child[])[]} children */
function append(element, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * The element a page's markup has for `selector` (the pages always have it).
 * @template {Element} [T=HTMLElement]
 * @param {string} selector
 * @param {ParentNode} root
 * @returns {T}
 */
export const $ = (selector, root = document) => /** @type {T} */ (root.querySelector(selector));

/**
 * Shows exactly one of the elements matching `selector`.
 * @param {string} selector
 * @param {Element} visible
 */
export function showOnly(selector, visible) {
  for (const element of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll(selector))) element.hidden = element !== visible;
}

/**
 * "4 min", "1 h 5 min", "less than a minute".
 * @param {number} seconds
 */
export function duration(seconds) {
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * "00:04:05" for a timer.
 * @param {number} seconds
 */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':');
}

/** The header's connection line: empty while connected, "Reconnecting…" otherwise (body[data-connection] for styles and tests). */
/** @param {ConnectionStatus} status */
export function showConnection(status) {
  $('#connection').textContent = status === 'connected' ? '' : 'Reconnecting…';
  document.body.dataset.connection = status;
}
