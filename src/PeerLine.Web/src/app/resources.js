// Resource cards, built from directory entries (GET /api/directory) or from a card received in a chat.

import { h } from './dom.js';

/** @import { DirectoryEntry } from './types.js' */

/** @param {string} number */
const digits = (number) => number.replace(/[^0-9+]/g, '');

/** @param {DirectoryEntry['contact']} contact */
function contactLinks(contact = {}) {
  const links = [];
  if (contact.phone) links.push(h('a', { class: 'button', href: `tel:${digits(contact.phone)}` }, `Call ${contact.phone}`));
  if (contact.text) links.push(h('a', { class: 'button secondary-link', href: `sms:${digits(contact.text)}` }, `Text ${contact.text}`));
  if (contact.url) links.push(h('a', { class: 'button secondary-link', href: contact.url, target: '_blank', rel: 'noopener noreferrer' }, 'Website'));
  return links;
}

/** @param {DirectoryEntry} entry */
function openBadge(entry) {
  if (entry.openNow === true) return h('span', { class: 'open-now' }, 'Open now');
  if (entry.openNow === false) return h('span', { class: 'closed-now' }, 'Closed now');
  return null;
}

/**
 * One card. `action` is an optional extra control (the console's "Share in chat").
 * @param {DirectoryEntry} entry
 * @param {Node | null} action
 */
export function resourceCard(entry, action = null) {
  return h('article', { class: entry.crisis ? 'resource crisis' : 'resource', dataset: { resource: entry.id } },
    h('h3', {}, entry.name, ' ', openBadge(entry)),
    entry.summary ? h('p', {}, entry.summary) : null,
    h('p', { class: 'hours' }, entry.hours?.text ?? ''),
    entry.contact?.howToReach ? h('p', {}, entry.contact.howToReach) : null,
    h('p', { class: 'fine' }, [entry.cost, entry.confidentiality].filter(Boolean).join(' · ')),
    h('p', { class: 'contact' }, contactLinks(entry.contact), action));
}

/**
 * @param {DirectoryEntry[]} entries
 * @param {((entry: DirectoryEntry) => Node) | null} action the extra control of each card
 */
export function resourceList(entries, action = null) {
  return h('ul', { class: 'resources' }, entries.map((entry) => h('li', {}, resourceCard(entry, action?.(entry)))));
}
