// The caller page's state and flow: the conversation (conversation.js), the return code typed on the welcome step,
// the resources shown while waiting, and the steps from the self-screen to the end. main.js wires the page's
// controls to it.

import { $, duration, h, showConnection, showOnly } from '../app/dom.js';
import { MessageList } from '../app/message-list.js';
import { resourceList } from '../app/resources.js';
import { textContent } from '../app/content.js';
import { currentDirectory, entriesFor, ordered } from '../app/directory.js';
import { ChangeReasons, ErrorCodes, Priorities, ResourceReasons, SessionRoles, SessionStates } from '../app/wire.js';
import { normalizeReturnCode } from '../app/return-code.js';
import { CallerConversation } from './conversation.js';
import { evaluateScreen } from './screen.js';
import { FeedbackForm } from './feedback.js';
import { ConnectingNotice } from './connecting.js';
import { ENDINGS, REASONS, REFUSALS, ROUTES } from './texts.js';

/** @import { Directory, QueueStatus } from '../app/types.js' */
/** @import { Ticket } from './conversation.js' */

const steps = '#main > .step';
/** @type {[string, string]} the crisis lines' title and text after a refusal (there is no place in line to keep) */
const REFUSED_LINES = ['Lines that answer now', 'If you need someone now, these lines answer right away.'];

export class CallerPage {
  /** @type {CallerConversation | null} */
  #conversation = null;
  /** @type {string | null} why resources are shown while waiting (a ResourceReasons code), or null */
  #shownReason = null;
  /** @type {string | null} typed on the welcome step, kept in memory only until the request is made */
  #returnCode = null;
  #messages = new MessageList({ label: 'Messages', me: 'You', them: 'Supporter' });
  #feedback = new FeedbackForm($('#feedback'), $('#feedback-thanks'), (answers) => this.#current.giveFeedback(answers));
  #connecting = new ConnectingNotice((lines) => {
    $('#connecting').replaceChildren(...lines.map((line) => h('p', {}, line)));
    $('#queue-place').hidden = lines.length > 0;
    if (lines.length > 0) $('#connection').textContent = ''; // connected: the notice says what is going on
  });

  constructor() {
    $('#messages').replaceWith(this.#messages.element);
    this.#messages.element.id = 'messages';
  }

  /** The conversation, once begun: a control that acts on it is only shown after that. */
  get #current() {
    return /** @type {CallerConversation} */ (this.#conversation);
  }

  /** @param {Directory} directory a fresh copy of the escalation directory */
  showDirectory(directory) {
    $('#resources').replaceChildren(resourceList(ordered(directory)));
    if (this.#shownReason) this.#showResources(this.#shownReason);
  }

  // ---- Welcome and self-screen

  /** Takes the return code typed on the welcome step, if it is one, and goes on to the self-screen. */
  useReturnCode() {
    const input = /** @type {HTMLInputElement} */ ($('#return-code-input'));
    this.#returnCode = normalizeReturnCode(input.value);
    $('#return-code-error').hidden = this.#returnCode !== null;
    if (this.#returnCode === null) return;
    input.value = '';
    showOnly(steps, $('#screen'));
  }

  /** @param {HTMLFormElement} form the self-screen: asks for support once it is filled in */
  submitScreen(form) {
    const answers = new FormData(form);
    const coded = evaluateScreen({ topic: answers.get('topic'), soon: answers.get('soon'), safety: answers.get('safety') });
    $('#screen-error').hidden = coded !== null;
    if (coded === null) return;
    if (coded.priority === Priorities.Crisis) this.#showResources(ResourceReasons.Crisis); // at once, before the server has answered
    const code = this.#returnCode;
    this.#returnCode = null;
    this.#begin((c) => c.request(coded.topic, coded.priority), { returnCode: code });
  }

  /** @param {Ticket} ticket a session this tab had before a reload */
  resume(ticket) {
    this.#begin((c) => c.resume(ticket));
  }

  // ---- Resources shown while waiting (QueueStatus.resources, docs/protocol.md §8)

  /**
   * @param {string | null | undefined} reason a ResourceReasons code; none: hides them
   * @param {[string, string]} [words] title and text instead of the reason's own
   */
  #showResources(reason, words) {
    this.#shownReason = reason && REASONS[reason] ? reason : null;
    $('#resources-now').hidden = this.#shownReason === null;
    document.body.dataset.resources = this.#shownReason ?? '';
    if (this.#shownReason === null) return;
    const [title, text] = words ?? REASONS[this.#shownReason];
    $('#resources-now-title').textContent = title;
    $('#resources-now-text').textContent = text;
    $('#resources-now-list').replaceChildren(resourceList(entriesFor(currentDirectory(), reason)));
  }

  // ---- The conversation

  /**
   * @param {(conversation: CallerConversation) => Promise<unknown>} start
   * @param {{ returnCode?: string | null }} options
   */
  #begin(start, options = {}) {
    const current = new CallerConversation(options);
    this.#conversation = current;
    /** @param {string} type @param {(detail: any) => void} handler detail: the event's, as conversation.js lists them */
    const on = (type, handler) => current.addEventListener(type, (e) => handler(/** @type {CustomEvent} */ (e).detail));
    on('connection', ({ status }) => {
      showConnection(status);
      if (this.#connecting.showing && status === 'connected') $('#connection').textContent = '';
    });
    on('puzzle', ({ solving }) => this.#connecting.solving(solving));
    on('queue', (status) => this.#showQueue(status));
    on('state', (change) => this.#showState(change));
    on('securing', ({ restarted }) => {
      this.#setSecure(false);
      if (restarted) this.#note('A new secure connection is being made, so the safety code changes.');
    });
    on('secure', ({ safetyCode }) => {
      $('#safety-code').textContent = safetyCode;
      $('#safety').hidden = false;
      this.#setSecure(true);
    });
    on('refused', ({ code }) => {
      if (code === 'rejected-message' && current.safetyCode !== null) {
        this.#note('A message from your supporter could not be read. Please ask them to repeat it.');
        return;
      }
      const problem = $('#channel-problem');
      problem.textContent = `We could not open a secure chat with your supporter (${code}). Your messages have not been sent. Please try Help now, or start a new chat.`;
      problem.hidden = false;
    });
    on('restored', ({ entries }) => this.#messages.restore(entries, (from) => (from === SessionRoles.Lead ? 'Lead' : null)));
    on('message', ({ messageId, content, from }) => this.#messages.incoming(messageId, content, from === SessionRoles.Lead ? 'Lead' : null));
    on('status', ({ messageId, status }) => this.#messages.status(messageId, status));
    on('lead-invited', () => {
      $('#lead-consent').hidden = false;
      $('#lead-yes').focus();
    });
    on('lead', ({ joined }) => this.#note(joined
      ? 'A lead joined. What you write now goes to both your supporter and the lead; their messages are marked “Lead”.'
      : 'The lead left the chat.'));
    on('lead-secure', ({ safetyCode }) => this.#note(`Secure connection with the lead. Their safety code is ${safetyCode}.`));
    on('refused-request', ({ code }) => {
      this.#showEnded(REFUSALS[code] ?? `Your request could not be taken (${code}). Please use Help now, or try again.`);
      // Nobody here can answer this caller now: the lines that can stay in view.
      if (code === ErrorCodes.SourceLimit) this.#showResources(ResourceReasons.Crisis, REFUSED_LINES);
    });
    on('return-route', ({ route }) => {
      $('#return-route').textContent = ROUTES[route] ?? '';
      $('#return-route').hidden = !ROUTES[route];
    });
    on('resumed', ({ restored }) => {
      if (!restored) this.#note('This chat was not kept on this device, so earlier messages are not shown again. A new secure connection is being made, so the safety code changes.');
    });
    showOnly(steps, $('#waiting'));
    start(current).catch(() => this.#showEnded('We could not reach PeerLine. Please check your connection and try again, or use Help now.'));
  }

  /** @param {QueueStatus} status */
  #showQueue({ position, expectedWaitSeconds, resources, awayGraceMinutes }) {
    this.#connecting.done();
    if (resources !== undefined && !(resources === null && this.#shownReason === ResourceReasons.Crisis)) this.#showResources(resources);
    if (awayGraceMinutes) {
      $('#away-grace').textContent = `If you leave this page, you keep your place for ${awayGraceMinutes} ${awayGraceMinutes === 1 ? 'minute' : 'minutes'}. `
        + 'Come back to it in this browser tab and you are still in line.';
    }
    $('#position').textContent = position === 1 ? 'You are next in line.' : position ? `You are number ${position} in line.` : 'Finding your place in line…';
    $('#expected-wait').textContent = expectedWaitSeconds == null
      ? 'A supporter will be with you as soon as one is free.'
      : `Expected wait: about ${duration(expectedWaitSeconds)}.`;
  }

  /** @param {{ state: string, reason: string | null }} change */
  #showState({ state, reason }) {
    this.#connecting.done();
    document.body.dataset.state = state;
    if (state === SessionStates.Waiting) {
      showOnly(steps, $('#waiting'));
      $('#lead-consent').hidden = true;
      if (reason === ChangeReasons.ReturnedToQueue) this.#note('Your supporter passed your chat to the next free colleague. You are at the front of the line.');
    } else if (state === SessionStates.Active) {
      showOnly(steps, $('#chat'));
      if (reason === ChangeReasons.Transferred) $('#lead-consent').hidden = true; // a question of the previous supporter
      this.#showResources(null); // they stay one tap away under Help now
      if (reason === ChangeReasons.Transferred) this.#note('Another supporter is taking over.');
    } else {
      this.#showEnded(ENDINGS[reason ?? ''] ?? 'The chat has ended.');
    }
  }

  /** @param {boolean} accept */
  async answerLead(accept) {
    $('#lead-consent').hidden = true;
    try {
      await this.#current.answerLeadInvitation(accept);
      if (!accept) this.#note('You said no to a lead joining. Your chat goes on as before.');
    } catch {
      this.#note('The question about a lead is no longer open.');
    }
  }

  async takeReturnCode() {
    const takeCode = /** @type {HTMLButtonElement} */ ($('#take-code'));
    const box = $('#return-code-box');
    takeCode.disabled = true;
    try {
      const { code, meetingsLeft, validDays } = await this.#current.takeReturnCode();
      box.replaceChildren(h('strong', { class: 'code' }, code), h('br'),
        `Write this down now: it is not kept on this phone. It opens ${meetingsLeft} more conversations within ${validDays} days. `
        + 'Enter it under “I have a return code” when you come back.');
    } catch {
      box.textContent = 'A return code could not be made right now.';
      takeCode.disabled = false;
    }
    box.hidden = false;
  }

  /** @param {string} reason what the caller is told */
  #showEnded(reason) {
    this.#connecting.done();
    const lost = this.#conversation?.undeliveredCount ?? 0;
    $('#ended-reason').textContent = lost === 0 ? reason
      : `${reason} ${lost === 1 ? 'Your last message was' : `Your last ${lost} messages were`} not delivered before the chat ended.`;
    this.#messages.clear(); // nothing of the conversation stays in the page either
    this.#showResources(null);
    this.#feedback.offer(this.#conversation?.feedbackOpen === true);
    showOnly(steps, $('#ended'));
  }

  /** @param {boolean} secure */
  #setSecure(secure) {
    $('#securing').hidden = secure;
    /** @type {HTMLTextAreaElement} */ ($('#message')).disabled = !secure;
    /** @type {HTMLButtonElement} */ ($('#send')).disabled = !secure;
    document.body.dataset.secure = String(secure);
    if (!secure) $('#safety').hidden = true;
  }

  /** @param {string} text */
  #note(text) {
    this.#messages.note(text);
  }

  /** Sends what is typed in the composer. */
  send() {
    const input = /** @type {HTMLTextAreaElement} */ ($('#message'));
    const text = input.value.trim();
    if (!text || !this.#conversation) return;
    this.#messages.outgoing(this.#conversation.send(textContent(text)), { type: 'text', text });
    input.value = '';
    input.focus();
  }

  // ---- Ending

  async end() {
    const showEnding = () => this.#showEnded(this.#conversation?.state === SessionStates.Waiting
      ? ENDINGS[ChangeReasons.Withdrawn] : ENDINGS[ChangeReasons.ClosedByCaller]);
    try {
      await this.#conversation?.end();
    } catch (error) {
      // Once the ending is on screen a failed EndSession has nothing left to tell.
      if (!$('#ended').hidden) return;
      showEnding();
      throw error;
    }
    if ($('#ended').hidden) showEnding();
  }

  async erase() {
    await this.#conversation?.erase({ forget: false });
    $('#erase-done').hidden = false;
  }

  /** Back to the self-screen for a new chat, with nothing of the last one left on the page. */
  startAgain() {
    this.#conversation?.close();
    this.#conversation = null;
    this.#feedback.reset();
    this.#showResources(null);
    /** @type {HTMLFormElement} */ ($('#screen-form')).reset();
    $('#return-code-box').replaceChildren();
    $('#return-code-box').hidden = true;
    /** @type {HTMLButtonElement} */ ($('#take-code')).disabled = false;
    $('#return-route').hidden = true;
    $('#erase-done').hidden = true;
    showOnly(steps, $('#screen'));
  }
}
