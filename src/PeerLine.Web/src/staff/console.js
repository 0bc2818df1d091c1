// The supporter console's state and flow: who is signed in, the device key's enrolment (enrolment.js), the desk (the
// staff hub), the shift, the chat offered in push mode and the chat panes. main.js wires the page's controls to it.

import { $, clock, duration, h, showConnection, showOnly } from '../app/dom.js';
import { textContent } from '../app/content.js';
import {
  ChangeReasons, DeviceKeyStatuses, ErrorCodes, PriorityLabels, StaffRoles, TopicLabels, Topics, WellbeingNotices,
} from '../app/wire.js';
import { toHex } from '../protocol/bytes.js';
import { myWellbeing, signOut, whoAmI } from './account.js';
import { ChatPane } from './chat-pane.js';
import { SupporterDesk } from './desk.js';
import { recallEpisode, rememberEpisode } from './device-key.js';
import { DeviceEnrolment } from './enrolment.js';
import { CLAIM_REFUSALS, LEAD_NOTES, crisisAlertDetail, crisisAlertHeadline, hours, label, noticeText, offerText } from './texts.js';

/** @import { KeyPair } from '../protocol/noise.js' */
/** @import { CrisisAlert, QueueSnapshot, SessionOffer, SessionView, StaffIdentity, WellbeingNotice } from '../app/types.js' */
/** @import { Content } from '../app/content.js' */
/** @import { TranscriptEntry } from '../app/transcript.js' */

const views = '#main > .view';
const SHIFT_KEY = 'peerline.shiftStartedAt';
const WELLBEING_POLL_MS = 60_000;

/** @param {unknown} error a refusal from the desk (its code), or anything else */
const codeOf = (error) => /** @type {{ code?: string }} */ (error).code;

export class StaffConsole {
  /** @type {StaffIdentity | null} */
  #me = null;
  /** @type {SupporterDesk | null} once the device key is certified */
  #desk = null;
  #onShift = false;
  #shiftChangedAt = 0;
  #chatNumber = 0;
  /** @type {Map<string, ChatPane>} session id -> its pane */
  #panes = new Map();
  #enrolment = new DeviceEnrolment(() => this.#login, {
    certified: (deviceKey) => this.#openDesk(deviceKey),
    signedOut: () => this.enter(),
  });
  /** @type {string | null} the session offered to this supporter now */
  #offered = null;

  get onShift() {
    return this.#onShift;
  }

  /** The signed-in staff member; only asked for once the console is past sign-in. */
  get #login() {
    return /** @type {StaffIdentity} */ (this.#me).login;
  }

  // ---- Sign-in

  /** Shows what fits whoever is signed in now: the sign-in form, "not staff", the enrolment, or the desk. */
  async enter() {
    this.#me = await whoAmI();
    if (this.#me === null) {
      showOnly(views, $('#sign-in'));
      $('#login').focus();
      return;
    }
    $('#who').textContent = this.#me.login;
    $('#sign-out').hidden = false;
    if (!this.#me.roles.some((r) => r === StaffRoles.Supporter || r === StaffRoles.Lead)) {
      showOnly(views, $('#not-staff'));
      return;
    }
    await this.#enrolment.check();
  }

  async signOut() {
    await this.#desk?.stop().catch(() => {});
    await signOut();
    sessionStorage.removeItem(SHIFT_KEY);
    location.reload();
  }

  // ---- The desk

  /** @param {KeyPair} deviceKey */
  async #openDesk(deviceKey) {
    showOnly(views, $('#desk'));
    document.body.dataset.enrolment = DeviceKeyStatuses.Certified;
    $('#desk').dataset.keyId = toHex(deviceKey.publicKey).slice(0, 8);
    $('#shift').hidden = false;
    $('#resources-button').hidden = false;
    const desk = new SupporterDesk(deviceKey, this.#login);
    this.#desk = desk;
    /** @param {string} type @param {(detail: any) => void} handler detail: the desk event's, as desk.js lists them */
    const on = (type, handler) => desk.addEventListener(type, (e) => handler(/** @type {CustomEvent} */ (e).detail));
    const pane = (/** @type {string} */ sessionId) => this.#panes.get(sessionId);
    on('connection', ({ status }) => showConnection(status));
    on('queue', (snapshot) => this.#showQueue(snapshot));
    on('session', (detail) => this.#addPane(detail));
    on('presence', ({ sessionId, present }) => pane(sessionId)?.presence(present));
    on('ended', ({ sessionId, reason }) => this.#removePane(sessionId, reason));
    on('securing', ({ sessionId, restarted }) => pane(sessionId)?.securing(restarted));
    on('secure', ({ sessionId, safetyCode, episodeKey }) => {
      pane(sessionId)?.secure(safetyCode);
      this.#recognise(sessionId, episodeKey);
    });
    on('message', (/** @type {{ sessionId: string, messageId: string, content: Content }} */ { sessionId, messageId, content }) => {
      if (content.type === 'return') this.#rememberReturn(sessionId, content.episodeKey);
      else pane(sessionId)?.received(messageId, content);
    });
    on('crisis-alert', (alert) => this.#showCrisisAlert(alert));
    on('lead', ({ sessionId, status }) => pane(sessionId)?.note(LEAD_NOTES[status] ?? ''));
    on('wellbeing', (notice) => this.#showWellbeingNotice(notice));
    on('status', ({ sessionId, messageId, status }) => pane(sessionId)?.messages.status(messageId, status));
    on('refused', ({ sessionId, code }) => pane(sessionId)?.note(`A message could not be opened (${code}). It may have been written for an earlier secure connection.`));
    on('offered', (offer) => this.#showOffer(offer));
    on('offer-withdrawn', ({ sessionId }) => this.#hideOffer(sessionId));
    if (sessionStorage.getItem(SHIFT_KEY)) this.#setShift(true); // a reload during a shift: the server kept it
    await desk.start();
    this.#refreshWellbeing();
    setInterval(() => this.#refreshWellbeing(), WELLBEING_POLL_MS);
  }

  /** The desk, once open: a control that acts on it is only shown after that. */
  get #openedDesk() {
    return /** @type {SupporterDesk} */ (this.#desk);
  }

  /** @param {QueueSnapshot} snapshot */
  #showQueue(snapshot) {
    const waiting = new Set(snapshot.head.map((e) => e.sessionId));
    for (const alert of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.crisis-alert'))) {
      // An alert for several stays while any crisis request waits; one for a single request, while that one does.
      const over = alert.dataset.many === 'true' ? snapshot.crisis === 0 : !waiting.has(/** @type {string} */ (alert.dataset.session));
      if (over) alert.remove();
    }
    document.body.dataset.waiting = String(snapshot.waiting);
    $('#queue-counts').textContent = `${snapshot.waiting} waiting (crisis ${snapshot.crisis}, soon ${snapshot.soon}, routine ${snapshot.routine}) · ${snapshot.onShift} on shift`;
    $('#queue').replaceChildren(...snapshot.head.map((entry) => h('li', { class: `queue-entry ${entry.priority}`, dataset: { session: entry.sessionId } },
      h('span', { class: `priority ${entry.priority}` }, label(PriorityLabels, entry.priority)),
      h('span', { class: 'topic' }, label(TopicLabels, entry.topic)),
      h('span', { class: 'wait' }, `waiting ${duration(entry.waitingSeconds)}`),
      entry.offered ? h('span', { class: 'offered' }, 'offered') : null,
      h('button', { type: 'button', class: 'secondary', disabled: !this.#onShift, onclick: () => this.#take(entry.sessionId) }, 'Take'))));
  }

  /** Takes the next waiting chat. */
  claimNext() {
    return this.#claim((desk) => desk.claimNext());
  }

  /** @param {string} sessionId a waiting chat */
  #take(sessionId) {
    return this.#claim((desk) => desk.claim(sessionId));
  }

  /**
   * Takes a chat; says plainly why it did not work.
   * @param {(desk: SupporterDesk) => Promise<unknown>} action
   */
  async #claim(action) {
    this.#deskMessage('');
    try {
      await action(this.#openedDesk);
    } catch (error) {
      const code = codeOf(error);
      this.#deskMessage(CLAIM_REFUSALS[code ?? ''] ?? `That did not work (${code}).`);
    }
  }

  /** @param {string} text empty: hides the line */
  #deskMessage(text) {
    const box = $('#desk-error');
    box.textContent = text;
    box.hidden = !text;
  }

  // ---- Push mode: the server reserves a chat for this supporter for a while

  /** @param {SessionOffer} offer */
  #showOffer(offer) {
    this.#offered = offer.sessionId;
    $('#offer-text').textContent = offerText(offer);
    $('#offer').hidden = false;
    $('#offer-accept').focus();
  }

  /** @param {string | null} sessionId */
  #hideOffer(sessionId) {
    if (sessionId !== this.#offered) return;
    this.#offered = null;
    $('#offer').hidden = true;
  }

  acceptOffer() {
    const sessionId = this.#offered;
    this.#hideOffer(sessionId);
    this.#claim((desk) => desk.claim(/** @type {string} shown with an offer only */ (sessionId)));
  }

  declineOffer() {
    const sessionId = this.#offered;
    this.#hideOffer(sessionId);
    this.#openedDesk.declineOffer(/** @type {string} */ (sessionId)).catch(() => {}); // a lapsed offer is already gone
  }

  // ---- Well-being: own hours, and notices (about oneself, or for leads about colleagues)

  async #refreshWellbeing() {
    const asked = performance.now();
    const status = await myWellbeing();
    if (!status) return;
    $('#week-hours').textContent = `This week ${hours(status.weekMinutes)} of ${hours(status.weeklyCapMinutes)}`;
    $('#week-hours').hidden = false;
    // Ended by the server, unless this answer was asked for before the supporter's own latest start.
    if (!status.onShift && this.#onShift && asked > this.#shiftChangedAt) this.#setShift(false);
  }

  /** @param {WellbeingNotice} notice */
  #showWellbeingNotice(notice) {
    const mine = notice.login === this.#login;
    const text = noticeText(notice, mine);
    if (text === null) return;
    if (mine && (notice.kind === WellbeingNotices.ShiftEnded || notice.kind === WellbeingNotices.WeeklyCap)) this.#setShift(false);
    const box = h('div', { class: 'wellbeing-notice', role: 'status', dataset: { kind: notice.kind } },
      h('p', {}, text),
      h('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, 'Dismiss'));
    $('#wellbeing-notices').append(box);
    this.#refreshWellbeing();
  }

  // ---- Continuity: a caller who took a return code is recognised on this device when they come back

  /** @param {string} sessionId @param {string} episodeKey */
  async #rememberReturn(sessionId, episodeKey) {
    const pane = this.#panes.get(sessionId);
    await rememberEpisode(this.#login, episodeKey, pane?.topic ?? Topics.Other).catch(() => {});
    pane?.note('The caller took a return code. If they come back while you are on shift, you are asked first, and this console will recognise them.');
  }

  /** @param {string} sessionId @param {string} episodeKey */
  async #recognise(sessionId, episodeKey) {
    const earlier = await recallEpisode(this.#login, episodeKey).catch(() => undefined);
    const pane = this.#panes.get(sessionId);
    if (!earlier || !pane) return;
    pane.note(`Returning caller: you first talked on ${earlier.firstMet} (${label(TopicLabels, earlier.topic)}).`);
    pane.element.dataset.returning = 'true';
  }

  // ---- Leads: a crisis request has arrived

  /**
   * One banner at a time: a newer alert replaces the one shown. A coalesced alert (several crisis requests within the
   * server's alert window) says how many wait, and its button takes the head of the queue, where crisis requests are.
   * @param {CrisisAlert} alert
   */
  #showCrisisAlert(alert) {
    const { sessionId } = alert;
    const many = (alert.waiting ?? 1) > 1;
    const banner = h('div', { class: 'crisis-alert', role: 'alert', dataset: { session: sessionId, many: String(many) } },
      h('p', {}, h('strong', {}, crisisAlertHeadline(alert)), ` · ${crisisAlertDetail(alert)}`),
      h('button', { type: 'button', class: 'danger', onclick: () => { banner.remove(); return many ? this.claimNext() : this.#take(sessionId); } },
        many ? 'Take the first' : 'Take it'),
      h('button', { type: 'button', class: 'secondary', onclick: () => banner.remove() }, 'Dismiss'));
    $('#crisis-alerts').replaceChildren(banner);
  }

  // ---- Chats

  /** @param {{ view: SessionView, entries?: TranscriptEntry[], safetyCode?: string | null }} session */
  #addPane({ view, entries = [], safetyCode = null }) {
    if (this.#panes.has(view.sessionId)) return;
    const pane = new ChatPane(view, ++this.#chatNumber, {
      send: (text) => this.#openedDesk.send(view.sessionId, textContent(text)),
      share: (entry) => this.#openedDesk.shareResource(view.sessionId, entry),
      inviteLead: (login) => this.#openedDesk.inviteLead(view.sessionId, login),
      leave: () => this.#openedDesk.leave(view.sessionId),
      transfer: (login) => this.#openedDesk.transfer(view.sessionId, login),
      close: async (disposition) => {
        await this.#openedDesk.close(view.sessionId, disposition);
        this.#removePane(view.sessionId, ChangeReasons.ClosedBySupporter);
      },
    });
    this.#panes.set(view.sessionId, pane);
    pane.messages.restore(entries); // kept on this device: a reload shows the chat again
    if (safetyCode !== null) pane.secure(safetyCode);
    $('#chats').append(pane.element);
    $('#no-chats').hidden = true;
    pane.focus();
  }

  /** @param {string} sessionId @param {string | null} reason null: it ended while this console was disconnected */
  #removePane(sessionId, reason) {
    const pane = this.#panes.get(sessionId);
    if (!pane) return;
    if (!pane.asLead && (reason === ChangeReasons.ClosedByCaller || reason === null)) {
      // Ended from the other side: the pane stays until the supporter records an outcome.
      pane.ended(reason === null ? 'This chat ended while you were disconnected.' : 'The caller ended the chat.');
      return;
    }
    this.#panes.delete(sessionId);
    pane.element.remove();
    $('#no-chats').hidden = this.#panes.size > 0;
  }

  /** Focuses the n-th chat (from 1), when there is one. */
  focusChat(/** @type {number} */ n) {
    [...this.#panes.values()][n - 1]?.focus();
  }

  // ---- Shift

  async toggleShift() {
    try {
      if (this.#onShift) await this.#openedDesk.endShift(); else await this.#openedDesk.startShift(null);
      this.#setShift(!this.#onShift);
      this.#refreshWellbeing();
    } catch (error) {
      const code = codeOf(error);
      this.#deskMessage(code === ErrorCodes.WeeklyCapReached
        ? 'You have reached this week’s hours cap. Rest: you can start again once older shifts fall out of the last seven days.'
        : `The shift could not be changed (${code}).`);
    }
  }

  /** @param {boolean} value */
  #setShift(value) {
    this.#onShift = value;
    this.#shiftChangedAt = performance.now();
    $('#shift').textContent = value ? 'End shift' : 'Start shift';
    $('#shift').className = value ? 'secondary' : 'primary';
    /** @type {HTMLButtonElement} */ ($('#claim-next')).disabled = !value;
    $('#shift-hint').hidden = value;
    $('#shift-timer').hidden = !value;
    document.body.dataset.shift = value ? 'on' : 'off';
    for (const button of document.querySelectorAll('#queue button')) /** @type {HTMLButtonElement} */ (button).disabled = !value;
    if (value && !sessionStorage.getItem(SHIFT_KEY)) sessionStorage.setItem(SHIFT_KEY, String(Date.now()));
    if (!value) sessionStorage.removeItem(SHIFT_KEY);
    this.tick();
  }

  /** The shift timer: call every second. */
  tick() {
    const started = Number(sessionStorage.getItem(SHIFT_KEY));
    if (started) $('#shift-timer').textContent = `On shift ${clock((Date.now() - started) / 1000)}`;
  }
}
