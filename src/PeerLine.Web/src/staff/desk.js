// The supporter's side, end to end (docs/protocol.md §4, §7, §11.11; docs/web-client.md): the staff hub, the queue, and one lane
// (app/lane.js) per held session, answered with this device's static key. Each lane's state and the chat's transcript
// are kept in IndexedDB (store `lanes` of `peerline-staff`, by LOGIN|SESSIONID, encrypted as app/vault.js describes),
// so a reload of the console continues every chat on the same channel, and are removed once the chat is no longer held.
// It knows nothing of the page; the console listens to its events.

import { readContent, resourceContent } from '../app/content.js';
import { toBase64, toHex } from '../protocol/bytes.js';
import { SecureChannel } from '../protocol/channel.js';
import { Party, newMessageId } from '../protocol/envelope.js';
import { HubClient } from '../app/hub.js';
import { Lane, Status } from '../app/lane.js';
import { Transcript } from '../app/transcript.js';
import { RecordKeeper, Vault } from '../app/vault.js';
import { ChangeReasons, HubRoutes, SessionRoles, SessionStates, StaffEvents, StaffHub, errorCode, refusal } from '../app/wire.js';
import { STAFF_DATABASE } from './device-key.js';

/** @import { KeyPair } from '../protocol/noise.js' */
/** @import { LaneHooks, LaneState } from '../app/lane.js' */
/** @import { TranscriptEntry } from '../app/transcript.js' */
/** @import { DirectoryEntry, SessionChange, SessionView } from '../app/types.js' */
/**
 * A session this desk holds (or is about to: its backlog may arrive before the view).
 * @typedef {object} HeldSession
 * @property {boolean} known a view of it arrived
 * @property {string | null} role a SessionRoles code
 * @property {Promise<void>} ready resolves once lane, transcript and keeper are there
 * @property {Lane} lane
 * @property {Transcript} transcript
 * @property {RecordKeeper} keeper
 * @property {Map<string, () => void>} onSent message id (hex) -> what runs once the server stored it
 */
/** @typedef {{ sessionId: string, role: string | null, lane: LaneState, transcript: TranscriptEntry[] }} KeptSession */

const vault = new Vault(STAFF_DATABASE, 'lanes');

/**
 * Events (CustomEvent detail):
 *  connection {status}
 *  queue      QueueSnapshot
 *  offered    SessionOffer;  offer-withdrawn {sessionId}
 *  crisis-alert CrisisAlert              to leads on shift: a crisis request arrived
 *  wellbeing  WellbeingNotice            about this supporter, or (to leads) about a colleague
 *  session    {view, entries, safetyCode}  a session this supporter now holds (claim, transfer to you, resume), or
 *                                        joined as a lead (view.role 'lead'); entries: the transcript kept on this
 *                                        device (app/transcript.js), safetyCode: of the channel kept, or null
 *  presence   {sessionId, present}       whether the caller has a connection now
 *  lead       {sessionId, status}        as the supporter: lead-joined, lead-declined or lead-left
 *  ended      {sessionId, state, reason} it is no longer held here (closed, transferred away, returned to the queue)
 *  securing   {sessionId, restarted}     the caller (re)started the handshake; restarted = an earlier channel existed
 *  secure     {sessionId, safetyCode, episodeKey}  episodeKey: the caller's (base64), to recognise a returning episode
 *  message    {sessionId, messageId, content}  once per message (content: see app/content.js readContent)
 *  status     {sessionId, messageId, status}   a message this supporter wrote: sending | sent | delivered | undelivered | failed
 *  refused    {sessionId, code}          a handshake message could not be used (a code, never content)
 */
export class SupporterDesk extends EventTarget {
  #hub;
  #deviceKey;
  #login;
  /** @type {Map<string, HeldSession>} */
  #sessions = new Map();
  #resumedOnce = false;

  /** @param {KeyPair} deviceKey the certified device key @param {string} login */
  constructor(deviceKey, login) {
    super();
    this.#deviceKey = deviceKey;
    this.#login = login;
    this.#hub = new HubClient(HubRoutes.Staff, {
      onConnected: () => this.#resume(),
      onStatus: (status) => this.#emit('connection', { status }),
    });
    this.#hub.on(StaffEvents.QueueChanged, (snapshot) => this.#emit('queue', snapshot));
    this.#hub.on(StaffEvents.SessionOffered, (offer) => this.#emit('offered', offer));
    this.#hub.on(StaffEvents.OfferWithdrawn, (sessionId) => this.#emit('offer-withdrawn', { sessionId }));
    this.#hub.on(StaffEvents.CrisisAlert, (alert) => this.#emit('crisis-alert', alert));
    this.#hub.on(StaffEvents.WellbeingNotice, (notice) => this.#emit('wellbeing', notice));
    this.#hub.on(StaffEvents.SessionChanged, (change) => this.#onSessionChanged(change));
    this.#hub.on(StaffEvents.CallerPresence, ({ sessionId, present }) => {
      if (this.#sessions.get(sessionId)?.known) this.#emit('presence', { sessionId, present });
    });
    this.#hub.on(StaffEvents.MessageReceived, (envelope) => {
      const session = this.#session(envelope.sessionId);
      session.ready.then(() => session.lane.accept(envelope));
    });
    this.#hub.on(StaffEvents.MessagesDelivered, (receipt) => {
      const session = this.#sessions.get(receipt.sessionId);
      session?.ready.then(() => session.lane.delivered(receipt.upToSeq));
    });
  }

  start() {
    return this.#hub.start();
  }

  stop() {
    return this.#hub.stop();
  }

  startShift(capacity = null) {
    return this.#call(StaffHub.StartShift, capacity);
  }

  endShift() {
    return this.#call(StaffHub.EndShift);
  }

  async claimNext() {
    return this.#hold(await this.#call(StaffHub.ClaimNext));
  }

  /** @param {string} sessionId */
  async claim(sessionId) {
    this.#session(sessionId); // its backlog arrives before the view
    try {
      return await this.#hold(await this.#call(StaffHub.Claim, sessionId));
    } catch (error) {
      if (!this.#sessions.get(sessionId)?.known) this.#sessions.delete(sessionId);
      throw error;
    }
  }

  /** @param {string} sessionId */
  declineOffer(sessionId) {
    return this.#call(StaffHub.DeclineOffer, sessionId);
  }

  /**
   * Sends one message (bytes from app/content.js); returns its message id (hex) at once, the `status` events follow
   * it. `onSent` runs once the server has stored it.
   * @param {string} sessionId
   * @param {Uint8Array} content
   * @param {{ onSent?: (() => void) | null }} options
   */
  send(sessionId, content, { onSent = null } = {}) {
    const session = /** @type {HeldSession} a pane's session is held */ (this.#sessions.get(sessionId));
    const messageId = toHex(newMessageId());
    if (onSent) session.onSent.set(messageId, onSent);
    session.transcript.outgoing(messageId, content);
    session.lane.write(messageId, content);
    return messageId;
  }

  /**
   * Sends a directory entry as a card, end to end; once it is stored, the server records its kind only.
   * @param {string} sessionId
   * @param {DirectoryEntry} entry
   */
  shareResource(sessionId, entry) {
    return this.send(sessionId, resourceContent(entry), {
      onSent: () => this.#call(StaffHub.ShareResource, sessionId, entry.kind).catch(() => {}), // a lost count is not worth a retry loop
    });
  }

  /** @param {string} sessionId @param {string} disposition a Dispositions code */
  async close(sessionId, disposition) {
    await this.#call(StaffHub.CloseSession, sessionId, disposition);
    await this.#drop(sessionId, SessionStates.Closed, ChangeReasons.ClosedBySupporter);
  }

  /**
   * As the session's supporter: asks the caller whether this lead (on shift) may join.
   * @param {string} sessionId
   * @param {string} login
   */
  inviteLead(sessionId, login) {
    return this.#call(StaffHub.InviteLead, sessionId, login);
  }

  /**
   * As a lead in the session: leaves it.
   * @param {string} sessionId
   */
  async leave(sessionId) {
    await this.#call(StaffHub.LeaveSession, sessionId);
    await this.#drop(sessionId, SessionStates.Active, ChangeReasons.LeadLeft);
  }

  /**
   * To a named supporter on shift, or back to the head of the queue (login null).
   * @param {string} sessionId
   * @param {string | null} login
   */
  async transfer(sessionId, login) {
    await this.#call(StaffHub.Transfer, sessionId, login);
    await this.#drop(sessionId, login === null ? SessionStates.Waiting : SessionStates.Active, ChangeReasons.TransferredAway);
  }

  /**
   * A hub call; a refusal rejects with an Error whose `code` is the PeerLine code.
   * @param {string} method
   * @param {...unknown} args
   * @returns {Promise<any>} the method's result record
   */
  async #call(method, ...args) {
    await this.#hub.whenConnected();
    try {
      return await this.#hub.invoke(method, ...args);
    } catch (error) {
      throw refusal(errorCode(error));
    }
  }

  /** After every (re)connection; `afterTransfer` when a transfer to this supporter (or a lead joining) triggered it. */
  async #resume({ afterTransfer = false } = {}) {
    for (const session of this.#sessions.values()) session.ready.then(() => session.lane.hold());
    /** @type {SessionView[]} */
    const views = await this.#hub.invoke(StaffHub.Resume);
    const held = new Set(views.map((v) => v.sessionId));
    for (const [id, session] of [...this.#sessions]) {
      if (!held.has(id) && session.known) await this.#drop(id, null, null); // ended while we were away
    }
    if (!this.#resumedOnce) this.#forgetStale(held);
    this.#resumedOnce = true;
    for (const view of views) await this.#hold(view, { mayAskRestart: !afterTransfer });
    this.#emit('queue', await this.#hub.invoke(StaffHub.GetQueue));
  }

  /** @param {SessionView} view */
  async #hold(view, { mayAskRestart = false } = {}) {
    const session = this.#session(view.sessionId);
    await session.ready;
    const isNew = !session.known;
    session.known = true;
    session.role = view.role ?? SessionRoles.Supporter;
    if (isNew) this.#emit('session', { view, entries: session.transcript.entries, safetyCode: session.lane.safetyCode });
    this.#emit('presence', { sessionId: view.sessionId, present: view.callerPresent ?? true });
    await session.lane.sync(view);
    // R3/R6: a chat this page held before without a kept channel (another browser, cleared storage, a reload during the
    // handshake) asks the caller for a new handshake at once. Not after a transfer to this supporter or a claim: the
    // caller starts one by itself.
    if (isNew && mayAskRestart && !session.lane.isSecure) await session.lane.requestRestart();
    return view;
  }

  /** @param {SessionChange} change */
  #onSessionChanged(change) {
    if (change.reason === ChangeReasons.TransferredToYou) {
      this.#resume({ afterTransfer: true }).catch(() => {}); // a transfer brings neither the view nor the backlog (§4)
      return;
    }
    const mine = this.#sessions.get(change.sessionId);
    if (change.reason === ChangeReasons.LeadJoined || change.reason === ChangeReasons.LeadDeclined || change.reason === ChangeReasons.LeadLeft) {
      if (mine?.role === SessionRoles.Lead && change.reason === ChangeReasons.LeadLeft) this.#drop(change.sessionId, change.state, change.reason);
      else if (mine === undefined && change.reason === ChangeReasons.LeadJoined) this.#resume({ afterTransfer: true }).catch(() => {}); // let in as the lead
      else if (mine) this.#emit('lead', { sessionId: change.sessionId, status: change.reason });
      return;
    }
    if (change.state !== SessionStates.Active || change.reason === ChangeReasons.TransferredAway) this.#drop(change.sessionId, change.state, change.reason);
  }

  /**
   * The session's lane, made (or restored from this device) on first sight; `ready` resolves once it is usable.
   * @param {string} sessionId
   * @returns {HeldSession}
   */
  #session(sessionId) {
    const held = this.#sessions.get(sessionId);
    if (held) return held;
    // lane, transcript and keeper are set by #open before `ready` resolves, and used only after it.
    const session = /** @type {HeldSession} */ (/** @type {unknown} */ ({
      known: false, role: null, lane: null, transcript: null, keeper: null, onSent: new Map(),
    }));
    session.ready = this.#open(sessionId, session);
    this.#sessions.set(sessionId, session);
    return session;
  }

  /** @param {string} sessionId @param {HeldSession} session */
  async #open(sessionId, session) {
    const key = `${this.#login}|${sessionId}`;
    session.keeper = new RecordKeeper(vault, key, async () => ({
      sessionId, role: session.role, lane: await session.lane.snapshot(), transcript: session.transcript.entries,
    }));
    const options = { hub: this.#hub, sessionId, initiator: false, hooks: this.#hooks(sessionId, session) };
    /** @type {KeptSession | null} */
    const record = await vault.load(key).catch(() => null);
    if (record === null) {
      session.transcript = new Transcript();
      session.lane = new Lane(options);
      return;
    }
    session.role = record.role;
    session.transcript = new Transcript(record.transcript);
    session.lane = await Lane.restore(options, record.lane, (state) => SecureChannel.fromState(state));
  }

  /**
   * @param {string} sessionId
   * @param {HeldSession} session
   * @returns {LaneHooks}
   */
  #hooks(sessionId, session) {
    return {
      save: () => session.keeper.save(),
      received: ({ messageId, content }) => {
        const read = readContent(content);
        // A return item is not a message on screen: the console keeps its episode key instead (docs/features/return-codes.md).
        if (read.type !== 'return' && !session.transcript.incoming(messageId, content)) return;
        this.#emit('message', { sessionId, messageId, content: read });
      },
      status: (messageId, status) => {
        session.transcript.status(messageId, status);
        if (status === Status.SENT || status === Status.DELIVERED) {
          session.onSent.get(messageId)?.();
          session.onSent.delete(messageId);
        }
        this.#emit('status', { sessionId, messageId, status });
      },
      secure: (channel) => this.#emit('secure', { sessionId, safetyCode: channel.safetyCode, episodeKey: toBase64(/** @type {Uint8Array} established */ (channel.remoteStaticKey)) }),
      securing: ({ restarted }) => this.#emit('securing', { sessionId, restarted }),
      refused: (code) => this.#emit('refused', { sessionId, code }),
      openChannel: () => SecureChannel.forSupporter({
        sessionId, staticKey: this.#deviceKey, party: session.role === SessionRoles.Lead ? Party.LEAD : Party.SUPPORTER,
      }),
    };
  }

  /**
   * No longer held here: R7 for what was not delivered, then nothing of it stays on this device.
   * @param {string} sessionId
   * @param {string | null} state
   * @param {string | null} reason null: it ended while this desk was not connected
   */
  async #drop(sessionId, state, reason) {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    await session.ready.catch(() => {});
    await session.lane?.end();
    await session.keeper?.erase();
    this.#emit('ended', { sessionId, state, reason });
  }

  /**
   * Records of chats this login no longer holds (closed while this console was not open) are removed.
   * @param {Set<string>} held
   */
  async #forgetStale(held) {
    try {
      const prefix = `${this.#login}|`;
      for (const key of await vault.keys()) {
        if (typeof key === 'string' && key.startsWith(prefix) && !held.has(key.slice(prefix.length))) await vault.remove(key);
      }
    } catch {
      // nothing to clean, or no IndexedDB
    }
  }

  /** @param {string} type @param {unknown} detail */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
