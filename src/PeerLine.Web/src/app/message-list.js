// A conversation as the page shows it: messages in and out, with the delivery state of each one sent
// (sending → sent: the server stored it → delivered: the other device received it).

import { h } from './dom.js';
import { resourceCard } from './resources.js';

const STATUS_TEXT = { sending: 'Sending…', sent: 'Sent', delivered: 'Delivered', failed: 'Not sent' };

export class MessageList {
  #outgoing = new Map(); // local id -> { item, seq }
  #names;

  /** @param {{label: string, me: string, them: string}} options names read out by screen readers */
  constructor({ label, me, them }) {
    this.#names = { out: `${me}: `, in: `${them}: ` };
    this.element = h('ol', { class: 'messages', 'aria-live': 'polite', 'aria-label': label });
  }

  /** A received message: content from app/content.js readContent; `from` names a second sender (a lead). */
  incoming(content, from = null) {
    const item = this.#add('in', content, from);
    if (from) {
      item.classList.add('from-other');
      item.prepend(h('span', { class: 'sender', 'aria-hidden': 'true' }, from));
    }
    return item;
  }

  /** Shows a message being sent; `id` is the local id the sender returned. */
  outgoing(id, content) {
    const item = this.#add('out', content);
    item.dataset.status = 'sending';
    item.append(h('span', { class: 'status' }, STATUS_TEXT.sending));
    this.#outgoing.set(id, { item, seq: null });
  }

  sent(id, seq) {
    this.#mark(id, 'sent', seq);
  }

  delivered(upToSeq) {
    for (const [id, entry] of this.#outgoing) if (entry.seq !== null && entry.seq <= upToSeq) this.#mark(id, 'delivered');
  }

  failed(id) {
    this.#mark(id, 'failed');
  }

  note(text) {
    this.element.append(h('li', { class: 'note' }, text));
  }

  clear() {
    this.element.replaceChildren();
    this.#outgoing.clear();
  }

  #add(direction, content, name = null) {
    const body = content.type === 'resource' ? resourceCard({ ...content.entry, openNow: null })
      : content.type === 'text' ? h('p', {}, content.text)
        : h('p', { class: 'fine' }, 'A message this page cannot show.');
    const item = h('li', { class: `msg ${direction} ${content.type}` }, h('span', { class: 'visually-hidden' }, name ? `${name}: ` : this.#names[direction]), body);
    this.element.append(item);
    item.scrollIntoView?.({ block: 'nearest' });
    return item;
  }

  #mark(id, status, seq) {
    const entry = this.#outgoing.get(id);
    if (!entry) return;
    if (seq !== undefined) entry.seq = seq;
    if (entry.item.dataset.status === 'delivered') return;
    entry.item.dataset.status = status;
    entry.item.querySelector('.status').textContent = STATUS_TEXT[status];
  }
}
