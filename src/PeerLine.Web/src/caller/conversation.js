// The caller's side of one session, end to end (docs/protocol.md §3, §7, §11; docs/web-client.md): asks for support, follows the
// queue, checks the supporter's roster certificate, runs the Noise XK handshake and carries messages both ways, each
// shown once, through two lanes (app/lane.js): the supporter's and, once the caller let one in, a lead's.
//
// What survives a reload: sessionStorage holds the session id, the caller secret and the roster key pinned at the
// start; IndexedDB (database `peerline-caller`, app/vault.js) holds the lanes' state, the episode key and the
// transcript, encrypted under a non-extractable key. A reload continues the same channel (same safety code) and shows
// the chat again. Both are erased when the chat ends, when the session is found ended or gone, and on request.
//
// After a chat a supporter answered has ended, storage is wiped but the connection stays open, bound to the session,
// for the optional post-chat questions (giveFeedback); it closes once they are sent or the page moves on (close).

import { fromBase64, toBase64, toHex } from '../protocol/bytes.js';
import { readContent, returnContent } from '../app/content.js';
import { newReturnCode, returnLookup, returnEpisodeKey } from '../app/return-code.js';
import { SecureChannel } from '../protocol/channel.js';
import { Party, newMessageId } from '../protocol/envelope.js';
import { generateKeyPair } from '../protocol/noise.js';
import { HubClient } from '../app/hub.js';
import { Lane } from '../app/lane.js';
import { Transcript } from '../app/transcript.js';
import { RecordKeeper, Vault, deleteDatabase } from '../app/vault.js';
import { checkSupporter, fetchRoster } from '../app/roster-check.js';
import { Admission } from './admission.js';
import {
  CallerEvents, CallerHub, ChangeReasons, ErrorCodes, HubRoutes, SessionRoles, SessionStates, errorCode, isFinal, isRetryable, refusal,
} from '../app/wire.js';

/** @import { KeyPair } from '../protocol/noise.js' */
/** @import { LaneHooks, LaneState } from '../app/lane.js' */
/** @import { TranscriptEntry } from '../app/transcript.js' */
/** @import { DeliveryReceipt, RelayEnvelope, ReturnCodeInfo, SessionChange, SessionTicket, SessionView } from '../app/types.js' */
/**
 * The session as kept in sessionStorage: the caller's credential and the roster key pinned at the start (base64).
 * @typedef {{ sessionId: string, callerSecret: string, rosterKey: string, leadConsent?: boolean }} Ticket
 */
/**
 * The conversation as kept in IndexedDB.
 * @typedef {{ sessionId: string, episodeKey: KeyPair | null, supporter: LaneState, lead: LaneState, transcript: TranscriptEntry[] }} KeptConversation
 */
/** @typedef {Pick<SessionView, 'state' | 'lastSentSeq' | 'lastReceivedSeq' | 'holder' | 'queue'> & Partial<SessionView>} ViewLike */

const STORAGE_KEY = 'peerline.caller';
const STORE = 'sessions'; // not a wire string: the IndexedDB store
const DATABASE = Object.freeze({ name: 'peerline-caller', version: 1, stores: [STORE] });
const vault = new Vault(DATABASE, STORE);

export const storedSession = {
  /** @returns {Ticket | null} */
  read() {
    try {
      const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
      return value && typeof value.sessionId === 'string' && typeof value.callerSecret === 'string' ? value : null;
    } catch {
      return null;
    }
  },
  /** @param {Ticket} value */
  write(value) {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  },
  wipe() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

/**
 * Events (CustomEvent detail):
 *  connection {status}            'connecting' | 'connected' | 'reconnecting'
 *  puzzle     {solving}           the request's puzzle is being solved (true) or is solved or given up (false)
 *  queue      QueueStatus         {position, expectedWaitSeconds, resources, awayGraceMinutes}
 *  state      {state, reason}     reason is null when the state comes from a resumed view
 *  securing   {restarted}         a new handshake with the supporter begins (restarted: a channel existed before, so
 *                                 the safety code will change)
 *  secure     {safetyCode, restored}  restored: the channel kept on this device before a reload
 *  refused    {code}              certificate refused, handshake failed, or an envelope that cannot be read (a code)
 *  restored   {entries}           after a reload: the kept transcript (app/transcript.js entries), to show again
 *  resumed    {restored}          this page took over an existing session after a reload (restored: its state was kept)
 *  message    {messageId, content, from}  a new message, once (content: app/content.js readContent; from: 'supporter' | 'lead')
 *  status     {messageId, status} a message the caller wrote: sending | sent | delivered | undelivered | failed
 *  refused-request {code}         the server turned the request down (for example 'queue-full', 'source-limit')
 *  return-route {route}           where a return code led: 'same-supporter', 'supporter-away' or 'code-not-valid'
 *  lead-invited {}                the supporter asks whether a lead may join (answerLeadInvitation)
 *  lead       {joined}            a lead joined or left
 *  lead-secure {safetyCode}       the channel with the lead is ready
 */
export class CallerConversation extends EventTarget {
  #hub;
  /** @type {Ticket | null} */
  #ticket = null;
  /** @type {{ topic: string, priority: string } | null} until the server answers RequestSupport */
  #request = null;
  #admission = new Admission({
    invoke: (method, ...args) => this.#hub.invoke(method, ...args),
    connection: () => this.#hub.connectionId,
    onSolving: (solving) => this.#emit('puzzle', { solving }),
  });
  /** @type {Promise<void> | null} the request under way: a reconnection while solving joins it instead of asking twice */
  #requesting = null;
  /** @type {string | null} */
  #returnCode = null;
  #codeTaken = false;
  /** @type {KeyPair | null} */
  #episodeKey = null;
  /** @type {Lane | null} */
  #supporter = null;
  /** @type {Lane | null} */
  #lead = null;
  #leadJoined = false;
  #transcript = new Transcript();
  /** @type {RecordKeeper | null} */
  #keeper = null;
  /** @type {string | null} a SessionStates code */
  #state = null;
  #resumedOnce = false;
  #restored = false;
  #answered = false; // a supporter held this session at some point
  #feedbackOpen = false;
  #stopped = false;

  /** @param {{returnCode?: string | null}} options a normalized return code: this episode continues an earlier one */
  constructor({ returnCode = null } = {}) {
    super();
    this.#returnCode = returnCode;
    this.#hub = new HubClient(HubRoutes.Caller, {
      onConnected: () => this.#onConnected(),
      onStatus: (status) => this.#emit('connection', { status }),
    });
    /** @param {{ sessionId: string }} event */
    const mine = (event) => event.sessionId === this.#ticket?.sessionId && this.#supporter !== null;
    this.#hub.on(CallerEvents.QueueMoved, (status) => this.#emit('queue', status));
    this.#hub.on(CallerEvents.SessionChanged, (change) => { if (mine(change)) this.#onSessionChanged(change); });
    this.#hub.on(CallerEvents.MessageReceived, (envelope) => { if (mine(envelope)) this.#supporterLane.accept(envelope); });
    this.#hub.on(CallerEvents.MessagesDelivered, (receipt) => { if (mine(receipt)) this.#supporterLane.delivered(receipt.upToSeq); });
    this.#hub.on(CallerEvents.LeadMessageReceived, (envelope) => { if (mine(envelope)) this.#leadLane.accept(envelope); });
    this.#hub.on(CallerEvents.LeadMessagesDelivered, (receipt) => { if (mine(receipt)) this.#leadLane.delivered(receipt.upToSeq); });
    this.#hub.on(CallerEvents.LeadInvited, (invitation) => { if (mine(invitation)) this.#emit('lead-invited', {}); });
  }

  get state() {
    return this.#state;
  }

  // Once a session is known (#keepTicket, #openLanes) these are there; nothing below uses them before.
  get #session() {
    return /** @type {Ticket} */ (this.#ticket);
  }

  get #supporterLane() {
    return /** @type {Lane} */ (this.#supporter);
  }

  get #leadLane() {
    return /** @type {Lane} */ (this.#lead);
  }

  get safetyCode() {
    return this.#supporter?.safetyCode ?? null;
  }

  /** The post-chat questions may be answered: an answered chat has ended and they were not sent yet. */
  get feedbackOpen() {
    return this.#feedbackOpen;
  }

  /** How many messages the caller wrote were not delivered (R7), for the end of the chat. */
  get undeliveredCount() {
    return this.#transcript.count('undelivered');
  }

  /**
   * Asks for support with the coded result of the self-screen.
   * @param {string} topic a Topics code
   * @param {string} priority a Priorities code
   */
  async request(topic, priority) {
    this.#request = { topic, priority };
    await this.#hub.start();
  }

  /**
   * Takes over the session kept in sessionStorage (after a reload), with its kept state if there is one.
   * @param {Ticket} stored
   */
  async resume(stored) {
    this.#ticket = stored;
    /** @type {KeptConversation | null} */
    let record = null;
    try {
      record = await vault.load(stored.sessionId);
    } catch {
      // no IndexedDB here: the chat goes on from memory
    }
    await this.#openLanes(record);
    await this.#hub.start();
  }

  /**
   * Lets the lead in (true) or not (false): refusing changes nothing else.
   * @param {boolean} accept
   */
  async answerLeadInvitation(accept) {
    // Recorded before asking: the server announces the lead before it answers this call. Kept with the session, so a
    // reload still knows; taken back if the answer does not go through.
    const before = this.#session;
    if (accept) this.#keepTicket({ ...before, leadConsent: true });
    try {
      await this.#hub.invoke(CallerHub.AnswerLeadInvitation, before.sessionId, accept);
    } catch (error) {
      this.#keepTicket(before);
      throw error;
    }
  }

  /**
   * Sends one message (bytes from app/content.js) to the supporter, and to the lead too once the caller said yes to
   * one; returns its message id (hex) at once, the `status` events follow it. `shown`: part of the transcript.
   */
  /** @param {Uint8Array} content */
  send(content, { toLead = true, shown = true } = {}) {
    const messageId = toHex(newMessageId());
    if (shown) this.#transcript.outgoing(messageId, content);
    this.#supporterLane.write(messageId, content);
    if (toLead && this.#session.leadConsent) this.#leadLane.write(messageId, content);
    return messageId;
  }

  /**
   * Takes a return code for the supporter of this chat: registers its lookup value with the server and tells the
   * supporter's device (end to end) the episode key the caller will come back with. Resolves with { code, meetingsLeft, validDays }.
   */
  async takeReturnCode() {
    if (this.#codeTaken) throw Object.assign(new Error('already-taken'), { code: 'already-taken' });
    const code = newReturnCode();
    const plain = code.replaceAll('-', '');
    /** @type {ReturnCodeInfo} */
    const info = await this.#hub.invoke(CallerHub.RegisterReturnCode, this.#session.sessionId, toBase64(await returnLookup(plain)));
    this.#codeTaken = true;
    this.send(returnContent((await returnEpisodeKey(plain)).publicKey), { toLead: false, shown: false }); // for the supporter's device only
    return { code, meetingsLeft: info.meetingsLeft, validDays: info.validDays };
  }

  /**
   * Sends the answers to the post-chat questions ({ question: answer }), then lets the connection go.
   * @param {Record<string, string>} answers
   */
  async giveFeedback(answers) {
    if (!this.#feedbackOpen) throw refusal(ErrorCodes.WrongState);
    await this.#hub.whenConnected();
    await this.#hub.invoke(CallerHub.GiveFeedback, this.#session.sessionId, answers);
    this.close();
  }

  /** Done with this conversation (the page moves on): the connection closes. */
  close() {
    this.#feedbackOpen = false;
    this.#stop();
  }

  /** Ends the session (or leaves the queue) and forgets it on this device. */
  async end() {
    const sessionId = this.#ticket?.sessionId;
    await this.erase();
    if (!sessionId || isFinal(this.#state)) return this.#stop();
    try {
      await this.#hub.invoke(CallerHub.EndSession, sessionId);
    } catch (error) {
      if (errorCode(error) !== ErrorCodes.WrongState) throw error;
    }
  }

  /**
   * Erases this chat from the device: the kept state and transcript (IndexedDB) now and from now on. Without the
   * `sessionStorage` entry too (`forget`), a reload still takes the session over, with a new handshake.
   */
  async erase({ forget = true } = {}) {
    if (forget) storedSession.wipe();
    await this.#keeper?.erase();
    await deleteDatabase(DATABASE.name);
  }

  // ---- The session

  async #onConnected() {
    if (this.#ticket === null) {
      this.#requesting ??= this.#requestSupport().finally(() => { this.#requesting = null; });
      return this.#requesting;
    }
    /** @type {SessionView} */
    let view;
    this.#supporterLane.hold();
    this.#leadLane.hold();
    try {
      view = await this.#hub.invoke(CallerHub.Resume, this.#session.sessionId, this.#session.callerSecret);
    } catch (error) {
      if (errorCode(error) !== ErrorCodes.NotFound) throw error;
      this.#answered = false; // nothing left to give feedback on
      await this.#setState(SessionStates.Closed, ErrorCodes.NotFound);
      return;
    }
    if (!this.#resumedOnce && view.state === SessionStates.Active) this.#emit('resumed', { restored: this.#restored });
    this.#resumedOnce = true;
    await this.#applyView(view);
  }

  async #requestSupport() {
    const { topic, priority } = /** @type {{ topic: string, priority: string }} asked before connecting */ (this.#request);
    const roster = await fetchRoster();
    const lookup = this.#returnCode === null ? null : toBase64(await returnLookup(this.#returnCode));
    /** @type {SessionTicket} */
    let ticket;
    try {
      ticket = await this.#admission.request((proof) => (lookup === null
        ? this.#hub.invoke(CallerHub.RequestSupport, topic, priority, proof)
        : this.#hub.invoke(CallerHub.RequestReturn, topic, priority, lookup, proof)));
    } catch (error) {
      const code = errorCode(error);
      if (isRetryable(code)) throw error; // asked again on the next connection
      this.#emit('refused-request', { code });
      this.#stop();
      return;
    }
    this.#keepTicket({ sessionId: ticket.sessionId, callerSecret: ticket.callerSecret, rosterKey: toBase64(roster.publicKey) });
    await this.#openLanes(null);
    this.#resumedOnce = true;
    if (ticket.return) this.#emit('return-route', { route: ticket.return });
    await this.#applyView({ state: ticket.queue.state, lastSentSeq: 0, lastReceivedSeq: 0, holder: 0, queue: ticket.queue });
  }

  /** @param {ViewLike} view */
  async #applyView(view) {
    await this.#setState(view.state, null);
    if (isFinal(view.state)) return;
    if (view.state === SessionStates.Waiting && view.queue) this.#emit('queue', view.queue);
    await this.#supporterLane.sync(view);
    if (view.lead) {
      this.#leadJoined = view.lead.joined;
      await this.#leadLane.sync(view.lead);
    }
  }

  /** @param {SessionChange} change */
  #onSessionChanged(change) {
    if (change.reason === ChangeReasons.LeadJoined) {
      if (!this.#session.leadConsent) return; // not something this caller agreed to
      this.#leadJoined = true;
      this.#emit('lead', { joined: true });
      this.#refresh(); // the view says where the lead lane stands; the handshake with the lead follows from it
      return;
    }
    if (change.reason === ChangeReasons.LeadLeft) {
      this.#endLeadLane();
      this.#emit('lead', { joined: false });
      return;
    }
    this.#setState(change.state, change.reason);
    if (isFinal(change.state)) return;
    // Claimed, claimed again, transferred, or back in the queue: the supporter's channel is gone (R5); a transfer or a
    // return also ends the lead's lane.
    if (change.reason === ChangeReasons.Transferred || change.state === SessionStates.Waiting) this.#endLeadLane();
    this.#supporterLane.abandon({ restart: change.state === SessionStates.Active });
  }

  #endLeadLane() {
    this.#leadJoined = false;
    if (this.#session.leadConsent) this.#keepTicket({ ...this.#session, leadConsent: false });
    this.#leadLane.end({ final: false });
  }

  #refresh() {
    this.#hub.invoke(CallerHub.Resume, this.#session.sessionId, this.#session.callerSecret).then((view) => this.#applyView(view)).catch(() => {});
  }

  /**
   * @param {string} state a SessionStates code
   * @param {string | null} reason a ChangeReasons code (or NotFound); null when the state comes from a view
   */
  async #setState(state, reason) {
    const changed = state !== this.#state || reason !== null;
    this.#state = state;
    if (state === SessionStates.Active) this.#answered = true;
    if (isFinal(state)) this.#feedbackOpen = state === SessionStates.Closed && this.#answered && !this.#stopped;
    if (isFinal(state)) {
      // R7, then nothing of the chat stays on this device.
      await Promise.all([this.#supporter?.end(), this.#lead?.end()]);
      await this.erase().catch(() => {});
    }
    if (changed) this.#emit('state', { state, reason });
    if (isFinal(state) && !this.#feedbackOpen) this.#stop();
  }

  /** @param {Ticket} ticket */
  #keepTicket(ticket) {
    this.#ticket = ticket;
    storedSession.write(ticket);
  }

  // ---- Lanes and their state at rest

  /** @param {KeptConversation | null} record */
  async #openLanes(record) {
    const sessionId = this.#session.sessionId;
    this.#keeper = new RecordKeeper(vault, sessionId, () => this.#snapshot());
    /** @type {ConstructorParameters<typeof Lane>[0]} */
    const supporter = {
      hub: this.#hub, sessionId, initiator: true,
      hooks: this.#hooks({
        from: SessionRoles.Supporter,
        secure: (channel, { restored }) => this.#emit('secure', { safetyCode: channel.safetyCode, restored }),
        securing: (info) => this.#emit('securing', info),
        status: (messageId, status) => {
          this.#transcript.status(messageId, status);
          this.#emit('status', { messageId, status });
        },
        openChannel: () => this.#openChannel(CallerHub.SupporterCertificate, Party.SUPPORTER),
        canStart: () => this.#state === SessionStates.Active,
      }),
    };
    /** @type {ConstructorParameters<typeof Lane>[0]} */
    const lead = {
      hub: this.#hub, sessionId, initiator: true, send: CallerHub.SendToLead, acknowledge: CallerHub.AcknowledgeLead,
      hooks: this.#hooks({
        from: SessionRoles.Lead,
        secure: (channel) => this.#emit('lead-secure', { safetyCode: channel.safetyCode }),
        securing: () => {},
        status: () => {}, // each message is shown once, with the supporter's copy's status
        openChannel: () => this.#openChannel(CallerHub.LeadCertificate, Party.LEAD),
        canStart: () => this.#state === SessionStates.Active && this.#leadJoined && this.#session.leadConsent === true,
      }),
    };
    if (record === null) {
      this.#supporter = new Lane(supporter);
      this.#lead = new Lane(lead);
      return;
    }
    this.#restored = true;
    this.#episodeKey = record.episodeKey;
    this.#transcript = new Transcript(record.transcript);
    this.#emit('restored', { entries: this.#transcript.entries });
    /** @param {object} state what SecureChannel.exportState gave, kept */
    const fromState = (state) => SecureChannel.fromState(state);
    this.#supporter = await Lane.restore(supporter, record.supporter, fromState);
    this.#lead = await Lane.restore(lead, record.lead, fromState);
  }

  /**
   * @param {{ from: string } & Omit<LaneHooks, 'save' | 'received' | 'refused'>} hooks from: a SessionRoles code
   * @returns {LaneHooks}
   */
  #hooks({ from, ...rest }) {
    return {
      save: () => /** @type {RecordKeeper} */ (this.#keeper).save(),
      received: ({ messageId, content }) => {
        if (!this.#transcript.incoming(messageId, content, from === SessionRoles.Lead ? SessionRoles.Lead : null)) return;
        this.#emit('message', { messageId, content: readContent(content), from });
      },
      refused: (code) => this.#emit('refused', { code }),
      ...rest,
    };
  }

  /** @returns {Promise<KeptConversation>} */
  async #snapshot() {
    return {
      sessionId: this.#session.sessionId,
      episodeKey: this.#episodeKey,
      supporter: await this.#supporterLane.snapshot(),
      lead: await this.#leadLane.snapshot(),
      transcript: this.#transcript.entries,
    };
  }

  /**
   * A fresh channel with the supporter or lead whose certificate checks out, or null after saying why not.
   * @param {string} method the hub method that gives the certificate
   * @param {number} party
   */
  async #openChannel(method, party) {
    try {
      const certificate = fromBase64(await this.#hub.invoke(method, this.#session.sessionId));
      const check = await checkSupporter(certificate, fromBase64(this.#session.rosterKey));
      if (check.staticKey === undefined) {
        this.#emit('refused', { code: check.verdict });
        return null;
      }
      this.#episodeKey ??= this.#returnCode === null ? await generateKeyPair() : await returnEpisodeKey(this.#returnCode);
      return await SecureChannel.forCaller({
        sessionId: this.#session.sessionId, supporterStaticKey: check.staticKey, episodeKey: this.#episodeKey, party,
      });
    } catch (error) {
      this.#emit('refused', { code: /** @type {{ code?: string }} */ (error).code ?? errorCode(error) });
      return null;
    }
  }

  #stop() {
    this.#stopped = true;
    this.#admission.stop();
    this.#hub.stop().catch(() => {});
  }

  /** @param {string} type @param {unknown} detail */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
