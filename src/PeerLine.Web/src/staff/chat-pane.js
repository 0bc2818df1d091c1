// One chat in the console: header with codes and safety code, messages, composer, transfer and close.
// Everything shown of the caller is a code from the server or text decrypted on this device.

import { h } from '../app/dom.js';
import { MessageList } from '../app/message-list.js';
import { onDirectory } from '../app/directory.js';
import { DispositionLabels, ErrorCodes, PriorityLabels, SessionRoles, TopicLabels } from '../app/wire.js';

/** @import { Content } from '../app/content.js' */
/** @import { DirectoryEntry, SessionView } from '../app/types.js' */

/** @type {Readonly<Record<string, string>>} */
const REFUSALS = {
  [ErrorCodes.NotFound]: 'No colleague with that login can take it (unknown or disabled), or this chat is no longer yours.',
  [ErrorCodes.NotOnShift]: 'That colleague is not on shift.',
  [ErrorCodes.NoCapacity]: 'That colleague has no free place for another chat.',
  [ErrorCodes.InvalidArgument]: 'You cannot transfer a chat to yourself.',
  [ErrorCodes.WrongState]: 'This chat has already ended or moved, or a lead is already in it or being asked.',
};

export class ChatPane {
  #unread = 0;

  /**
   * @param {Pick<SessionView, 'sessionId' | 'topic' | 'priority' | 'role'>} view
   * @param {number} number the chat's number on this console, from 1
   * @param {{send: (text: string) => string, share: (entry: DirectoryEntry) => string, transfer: (login: string|null) => Promise<void>,
   *          close: (disposition: string) => Promise<void>, inviteLead: (login: string) => Promise<void>, leave: () => Promise<void>}} actions
   */
  constructor(view, number, actions) {
    this.sessionId = view.sessionId;
    this.topic = view.topic;
    const asLead = view.role === SessionRoles.Lead;
    this.asLead = asLead;
    const title = asLead ? `Chat ${number} (as lead)` : `Chat ${number}`;
    this.badge = h('span', { class: 'unread', hidden: true });
    this.safety = h('span', { class: 'code' }, 'securing…');
    this.messages = new MessageList({ label: `${title} messages`, me: 'You', them: 'Caller' });
    this.input = h('textarea', { rows: 2, maxlength: 4000, placeholder: 'Write a message', 'aria-label': `Message in ${title}`, disabled: true });
    this.error = h('p', { class: 'error', role: 'alert', hidden: true });
    this.away = h('p', { class: 'caller-away', role: 'status', hidden: true }, 'The caller is away. The chat continues when they return.');
    const login = h('input', { type: 'text', placeholder: 'colleague’s login', 'aria-label': `Transfer ${title} to`, autocomplete: 'off' });
    const resource = h('select', { 'aria-label': `Resource to share in ${title}` });
    const leadLogin = h('input', { type: 'text', placeholder: 'lead’s login', 'aria-label': `Lead to invite to ${title}`, autocomplete: 'off' });
    /** @type {DirectoryEntry[]} */
    let entries = [];
    onDirectory((directory) => {
      entries = directory.entries;
      resource.replaceChildren(h('option', { value: '' }, 'Resource…'), ...entries.map((e) => h('option', { value: e.id }, e.name)));
    });
    const disposition = h('select', { 'aria-label': `Outcome of ${title}` },
      h('option', { value: '' }, 'Outcome…'),
      Object.entries(DispositionLabels).map(([code, label]) => h('option', { value: code }, label)));

    /** @param {() => Promise<unknown>} action */
    const guarded = (action) => async () => {
      this.error.hidden = true;
      try {
        await action();
      } catch (caught) {
        const error = /** @type {{ hint?: string, code?: string }} a refusal (code) or a form check (hint) */ (caught);
        this.showError(error.hint ?? REFUSALS[error.code ?? ''] ?? `That did not work (${error.code ?? 'unavailable'}).`);
      }
    };

    this.element = h('article', { class: 'chat-pane', dataset: { session: view.sessionId, priority: view.priority, caller: 'present' }, 'aria-label': title },
      h('header', { class: 'pane-head' },
        h('h3', {}, title, ' ', this.badge),
        h('span', { class: `priority ${view.priority}` }, PriorityLabels[view.priority] ?? view.priority),
        h('span', { class: 'topic' }, TopicLabels[view.topic] ?? view.topic),
        h('span', { class: 'safety' }, 'Safety code ', this.safety)),
      this.away,
      this.messages.element,
      this.error,
      h('form', { class: 'composer', onsubmit: (event) => { event.preventDefault(); this.#submit(actions.send); } },
        this.input, h('button', { type: 'submit', class: 'primary' }, 'Send')),
      h('details', { class: 'pane-actions' },
        h('summary', {}, 'Share a resource'),
        h('div', { class: 'row' }, resource,
          h('button', {
            type: 'button', class: 'secondary',
            onclick: guarded(async () => {
              const entry = entries.find((e) => e.id === resource.value);
              if (!entry) throw Object.assign(new Error(), { hint: 'Choose a resource first.' });
              this.messages.outgoing(actions.share(entry), { type: 'resource', entry });
            }),
          }, 'Share in chat'))),
      asLead ? h('div', { class: 'pane-actions row' },
        h('button', { type: 'button', class: 'secondary', onclick: guarded(() => actions.leave()) }, 'Leave chat')) : null,
      asLead ? null : h('details', { class: 'pane-actions' },
        h('summary', {}, 'Ask a lead to join'),
        h('div', { class: 'row' }, leadLogin,
          h('button', {
            type: 'button', class: 'secondary',
            onclick: guarded(async () => {
              if (!leadLogin.value.trim()) throw Object.assign(new Error(), { hint: 'Enter the login of a lead on shift.' });
              await actions.inviteLead(leadLogin.value.trim());
              this.note(`The caller was asked whether ${leadLogin.value.trim()} may join. They may say no.`);
            }),
          }, 'Ask the caller'))),
      asLead ? null : h('details', { class: 'pane-actions' },
        h('summary', {}, 'Transfer or close'),
        h('div', { class: 'row' }, login,
          h('button', {
            type: 'button', class: 'secondary',
            onclick: guarded(async () => {
              if (!login.value.trim()) throw Object.assign(new Error(), { hint: 'Enter the login of the colleague who takes over.' });
              await actions.transfer(login.value.trim());
            }),
          }, 'Transfer'), // not a wire string: the button's label
          h('button', { type: 'button', class: 'secondary', onclick: guarded(() => actions.transfer(null)) }, 'Return to queue')),
        h('div', { class: 'row' }, disposition,
          h('button', {
            type: 'button', class: 'danger',
            onclick: guarded(async () => {
              if (!disposition.value) throw Object.assign(new Error(), { hint: 'Choose an outcome first.' });
              await actions.close(disposition.value);
            }),
          }, 'Close chat'))));

    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        this.#submit(actions.send);
      }
    });
    this.element.addEventListener('focusin', () => this.#markRead());
  }

  focus() {
    this.input.focus();
  }

  /** @param {string} safetyCode */
  secure(safetyCode) {
    this.safety.textContent = safetyCode;
    this.input.disabled = false;
    this.element.dataset.secure = 'true';
  }

  /** @param {boolean} restarted */
  securing(restarted) {
    this.safety.textContent = 'securing…';
    this.input.disabled = true;
    this.element.dataset.secure = 'false';
    if (restarted) this.note('A new secure connection with the caller is being made, so the safety code changes. What they have not received yet is sent again.');
  }

  /**
   * Whether the caller has a connection now (data-caller="present" | "away" on the pane).
   * @param {boolean} present
   */
  presence(present) {
    this.element.dataset.caller = present ? 'present' : 'away';
    this.away.hidden = present;
  }

  /** @param {string} messageId hex @param {Content} content from app/content.js readContent */
  received(messageId, content) {
    if (this.messages.incoming(messageId, content) === null) return;
    if (!this.element.contains(document.activeElement) || document.hidden) {
      this.#unread++;
      this.badge.textContent = `${this.#unread} new`;
      this.badge.hidden = false;
      this.element.dataset.unread = String(this.#unread);
    }
  }

  /** @param {string} text */
  note(text) {
    this.messages.note(text);
  }

  /**
   * The other side ended it: no more messages, only the outcome is left to record.
   * @param {string} text
   */
  ended(text) {
    this.note(text);
    this.input.disabled = true;
    this.element.dataset.ended = 'true';
  }

  /** @param {string} text */
  showError(text) {
    this.error.textContent = text;
    this.error.hidden = false;
  }

  /** @param {(text: string) => string} send */
  #submit(send) {
    const text = this.input.value.trim();
    if (!text || this.input.disabled) return;
    this.messages.outgoing(send(text), { type: 'text', text });
    this.input.value = '';
  }

  #markRead() {
    this.#unread = 0;
    this.badge.hidden = true;
    delete this.element.dataset.unread;
  }
}
