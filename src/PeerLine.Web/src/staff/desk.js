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
import { Lane } from '../app/lane.js';
import { Transcript } from '../app/transcript.js';
import { RecordKeeper, Vault } from '../app/vault.js';
import { Events, Hubs, Reasons, States, errorCode } from '../app/wire.js';
import { STAFF_DATABASE } from './device-key.js';

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
  #sessions = new Map(); // id -> { known, role, ready, lane, transcript, keeper, onSent }
  #resumedOnce = false;

  /** @param {{privateKey: CryptoKey, publicKey: Uint8Array}} deviceKey the certified device key @param {string} login */
  constructor(deviceKey, login) {
    super();
    this.#deviceKey = deviceKey;
    this.#login = login;
    this.#hub = new HubClient(Hubs.STAFF, {
      onConnected: () => this.#resume(),
      onStatus: (status) => this.#emit('connection', { status }),
    });
    this.#hub.on(Events.QUEUE_CHANGED, (snapshot) => this.#emit('queue', snapshot));
    this.#hub.on(Events.SESSION_OFFERED, (offer) => this.#emit('offered', offer));
    this.#hub.on(Events.OFFER_WITHDRAWN, (sessionId) => this.#emit('offer-withdrawn', { sessionId }));
    this.#hub.on(Events.CRISIS_ALERT, (alert) => this.#emit('crisis-alert', alert));
    this.#hub.on(Events.WELLBEING_NOTICE, (notice) => this.#emit('wellbeing', notice));
    this.#hub.on(Events.SESSION_CHANGED, (change) => this.#onSessionChanged(change));
    this.#hub.on(Events.CALLER_PRESENCE, ({ sessionId, present }) => {
      if (this.#sessions.get(sessionId)?.known) this.#emit('presence', { sessionId, present });
    });
    this.#hub.on(Events.MESSAGE_RECEIVED, (envelope) => {
      const session = this.#session(envelope.sessionId);
      session.ready.then(() => session.lane.accept(envelope));
    });
    this.#hub.on(Events.MESSAGES_DELIVERED, (receipt) => {
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
    return this.#call('StartShift', capacity);
  }

  endShift() {
    return this.#call('EndShift');
  }

  async claimNext() {
    return this.#hold(await this.#call('ClaimNext'));
  }

  async claim(sessionId) {
    this.#session(sessionId); // its backlog arrives before the view
    try {
      return await this.#hold(await this.#call('Claim', sessionId));
    } catch (error) {
      if (!this.#sessions.get(sessionId)?.known) this.#sessions.delete(sessionId);
      throw error;
    }
  }

  declineOffer(sessionId) {
    return this.#call('DeclineOffer', sessionId);
  }

  /**
   * Sends one message (bytes from app/content.js); returns its message id (hex) at once, the `status` events follow
   * it. `onSent` runs once the server has stored it.
   */
  send(sessionId, content, { onSent = null } = {}) {
    const session = this.#sessions.get(sessionId);
    const messageId = toHex(newMessageId());
    if (onSent) session.onSent.set(messageId, onSent);
    session.transcript.outgoing(messageId, content);
    session.lane.write(messageId, content);
    return messageId;
  }

  /** Sends a directory entry as a card, end to end; once it is stored, the server records its kind only. */
  shareResource(sessionId, entry) {
    return this.send(sessionId, resourceContent(entry), {
      onSent: () => this.#call('ShareResource', sessionId, entry.kind).catch(() => {}), // a lost count is not worth a retry loop
    });
  }

  async close(sessionId, disposition) {
    await this.#call('CloseSession', sessionId, disposition);
    await this.#drop(sessionId, States.CLOSED, Reasons.CLOSED_BY_SUPPORTER);
  }

  /** As the session's supporter: asks the caller whether this lead (on shift) may join. */
  inviteLead(sessionId, login) {
    return this.#call('InviteLead', sessionId, login);
  }

  /** As a lead in the session: leaves it. */
  async leave(sessionId) {
    await this.#call('LeaveSession', sessionId);
    await this.#drop(sessionId, States.ACTIVE, Reasons.LEAD_LEFT);
  }

  /** To a named supporter on shift, or back to the head of the queue (login null). */
  async transfer(sessionId, login) {
    await this.#call('Transfer', sessionId, login);
    await this.#drop(sessionId, login === null ? States.WAITING : States.ACTIVE, Reasons.TRANSFERRED_AWAY);
  }

  async #call(method, ...args) {
    await this.#hub.whenConnected();
    try {
      return await this.#hub.invoke(method, ...args);
    } catch (error) {
      const code = errorCode(error);
      throw Object.assign(new Error(code), { code });
    }
  }

  /** After every (re)connection; `afterTransfer` when a transfer to this supporter (or a lead joining) triggered it. */
  async #resume({ afterTransfer = false } = {}) {
    for (const session of this.#sessions.values()) session.ready.then(() => session.lane.hold());
    const views = await this.#hub.invoke('Resume');
    const held = new Set(views.map((v) => v.sessionId));
    for (const [id, session] of [...this.#sessions]) {
      if (!held.has(id) && session.known) await this.#drop(id, null, null); // ended while we were away
    }
    if (!this.#resumedOnce) this.#forgetStale(held);
    this.#resumedOnce = true;
    for (const view of views) await this.#hold(view, { mayAskRestart: !afterTransfer });
    this.#emit('queue', await this.#hub.invoke('GetQueue'));
  }

  async #hold(view, { mayAskRestart = false } = {}) {
    const session = this.#session(view.sessionId);
    await session.ready;
    const isNew = !session.known;
    session.known = true;
    session.role = view.role ?? 'supporter';
    if (isNew) this.#emit('session', { view, entries: session.transcript.entries, safetyCode: session.lane.safetyCode });
    this.#emit('presence', { sessionId: view.sessionId, present: view.callerPresent ?? true });
    await session.lane.sync(view);
    // R3/R6: a chat this page held before without a kept channel (another browser, cleared storage, a reload during the
    // handshake) asks the caller for a new handshake at once. Not after a transfer to this supporter or a claim: the
    // caller starts one by itself.
    if (isNew && mayAskRestart && !session.lane.isSecure) await session.lane.requestRestart();
    return view;
  }

  #onSessionChanged(change) {
    if (change.reason === Reasons.TRANSFERRED_TO_YOU) {
      this.#resume({ afterTransfer: true }).catch(() => {}); // a transfer brings neither the view nor the backlog (§4)
      return;
    }
    const mine = this.#sessions.get(change.sessionId);
    if (change.reason === Reasons.LEAD_JOINED || change.reason === Reasons.LEAD_DECLINED || change.reason === Reasons.LEAD_LEFT) {
      if (mine?.role === 'lead' && change.reason === Reasons.LEAD_LEFT) this.#drop(change.sessionId, change.state, change.reason);
      else if (mine === undefined && change.reason === Reasons.LEAD_JOINED) this.#resume({ afterTransfer: true }).catch(() => {}); // let in as the lead
      else if (mine) this.#emit('lead', { sessionId: change.sessionId, status: change.reason });
      return;
    }
    if (change.state !== States.ACTIVE || change.reason === Reasons.TRANSFERRED_AWAY) this.#drop(change.sessionId, change.state, change.reason);
  }

  /** The session's lane, made (or restored from this device) on first sight; `ready` resolves once it is usable. */
  #session(sessionId) {
    let session = this.#sessions.get(sessionId);
    if (session) return session;
    session = { known: false, role: null, lane: null, transcript: null, keeper: null, onSent: new Map() };
    session.ready = this.#open(sessionId, session);
    this.#sessions.set(sessionId, session);
    return session;
  }

  async #open(sessionId, session) {
    const key = `${this.#login}|${sessionId}`;
    session.keeper = new RecordKeeper(vault, key, async () => ({
      sessionId, role: session.role, lane: await session.lane.snapshot(), transcript: session.transcript.entries,
    }));
    const options = { hub: this.#hub, sessionId, initiator: false, hooks: this.#hooks(sessionId, session) };
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
        if (status === 'sent' || status === 'delivered') {
          session.onSent.get(messageId)?.();
          session.onSent.delete(messageId);
        }
        this.#emit('status', { sessionId, messageId, status });
      },
      secure: (channel) => this.#emit('secure', { sessionId, safetyCode: channel.safetyCode, episodeKey: toBase64(channel.remoteStaticKey) }),
      securing: ({ restarted }) => this.#emit('securing', { sessionId, restarted }),
      refused: (code) => this.#emit('refused', { sessionId, code }),
      openChannel: () => SecureChannel.forSupporter({
        sessionId, staticKey: this.#deviceKey, party: session.role === 'lead' ? Party.LEAD : Party.SUPPORTER,
      }),
    };
  }

  /** No longer held here: R7 for what was not delivered, then nothing of it stays on this device. */
  async #drop(sessionId, state, reason) {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    this.#sessions.delete(sessionId);
    await session.ready.catch(() => {});
    await session.lane?.end();
    await session.keeper?.erase();
    this.#emit('ended', { sessionId, state, reason });
  }

  /** Records of chats this login no longer holds (closed while this console was not open) are removed. */
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

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
