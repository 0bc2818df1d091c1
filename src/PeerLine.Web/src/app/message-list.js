// A conversation as the page shows it: messages in and out, each with its end-to-end message id (data-message-id,
// hex), and the status of each one sent (data-status): sending → sent (the server stored it) → delivered (the other
// device kept it), or undelivered (the chat or lane ended first) or failed (refused for good).

import { h } from './dom.js';
import { readContent } from './content.js';
import { resourceCard } from './resources.js';

/** @import { Content } from './content.js' */
/** @import { TranscriptEntry } from './transcript.js' */

/** @type {Readonly<Record<string, string>>} */
const STATUS_TEXT = {
  sending: 'Sending…',
  sent: 'Sent',
  delivered: 'Delivered',
  undelivered: 'Not delivered — please write it again',
  failed: 'Not sent',
};

export class MessageList {
  /** @type {Map<string, HTMLLIElement>} message id (hex) -> item */
  #outgoing = new Map();
  /** @type {Set<string>} message ids shown */
  #incoming = new Set();
  #names;

  /** @param {{label: string, me: string, them: string}} options names read out by screen readers */
  constructor({ label, me, them }) {
    this.#names = { out: `${me}: `, in: `${them}: ` };
    this.element = h('ol', { class: 'messages', 'aria-live': 'polite', 'aria-label': label });
  }

  /**
   * A received message (content from app/content.js readContent), once per message id; `from` names a second sender
   * (a lead). Returns the item, or null when that message is already shown.
   * @param {string} messageId
   * @param {Content} content
   * @param {string | null} from
   */
  incoming(messageId, content, from = null) {
    if (this.#incoming.has(messageId)) return null;
    this.#incoming.add(messageId);
    const item = this.#add('in', messageId, content, from);
    if (from) {
      item.classList.add('from-other');
      item.prepend(h('span', { class: 'sender', 'aria-hidden': 'true' }, from));
    }
    return item;
  }

  /**
   * Shows a message this side wrote, under its message id.
   * @param {string} messageId
   * @param {Content} content
   * @param {string} status
   */
  outgoing(messageId, content, status = 'sending') {
    if (this.#outgoing.has(messageId)) return;
    const item = this.#add('out', messageId, content);
    item.append(h('span', { class: 'status' }, ''));
    this.#outgoing.set(messageId, item);
    this.status(messageId, status);
  }

  /**
   * A status of Status (app/lane.js). "Delivered" is final, whatever comes after it.
   * @param {string} messageId
   * @param {string} status
   */
  status(messageId, status) {
    const item = this.#outgoing.get(messageId);
    if (!item || item.dataset.status === 'delivered' || !STATUS_TEXT[status]) return;
    item.dataset.status = status;
    /** @type {HTMLElement} */ (item.querySelector('.status')).textContent = STATUS_TEXT[status];
  }

  /**
   * Shows a kept transcript again (app/transcript.js entries); `senderName(from)` names a second sender.
   * @param {TranscriptEntry[]} entries
   * @param {(from: string) => string | null} senderName
   */
  restore(entries, senderName = () => null) {
    for (const entry of entries) {
      const content = readContent(entry.content);
      if (entry.direction === 'in') this.incoming(entry.messageId, content, entry.from ? senderName(entry.from) : null);
      else this.outgoing(entry.messageId, content, entry.status ?? 'sending');
    }
  }

  /** @param {string} text */
  note(text) {
    this.element.append(h('li', { class: 'note' }, text));
  }

  clear() {
    this.element.replaceChildren();
    this.#outgoing.clear();
    this.#incoming.clear();
  }

  /**
   * @param {'in' | 'out'} direction
   * @param {string} messageId
   * @param {Content} content
   * @param {string | null} name
   */
  #add(direction, messageId, content, name = null) {
    const body = content.type === 'resource' ? resourceCard({ ...content.entry, openNow: null })
      : content.type === 'text' ? h('p', {}, content.text)
        : h('p', { class: 'fine' }, 'A message this page cannot show.');
    const item = h('li', { class: `msg ${direction} ${content.type}`, dataset: { messageId } },
      h('span', { class: 'visually-hidden' }, name ? `${name}: ` : this.#names[direction]), body);
    this.element.append(item);
    item.scrollIntoView?.({ block: 'nearest' });
    return item;
  }
}
