// One lane of a session's end-to-end conversation (the caller's lane with the supporter or with a lead, or a staff
// member's lane with the caller), following the continuity rules R1–R7 of docs/protocol.md: the lane state is kept
// (through `hooks.save`) before the lane acts on it, so a reload continues the same channel and nothing is lost.
//
// The lane owns the relay sequence numbers of its outgoing direction, the reorder buffer of its incoming one, the
// established channel (and, for the caller, the previous one), the handshake in progress, the outbox of messages not
// yet delivered, the envelopes not yet stored by the server, and the ids of the messages already handed on.
// Everything runs one step at a time (`#run`), so that receipts, envelopes and views apply in the order they arrived.

import { fromBase64, fromHex, toBase64, toHex } from '../protocol/bytes.js';
import { HANDSHAKE, isRestartRequest, restartRequest, unwrap } from '../protocol/envelope.js';
import { CallerHub, ErrorCodes, errorCode, isRetryable } from './wire.js';

/** @import { Bytes } from '../protocol/bytes.js' */
/** @import { ReceiveOutcome } from '../protocol/channel.js' */
/** @import { RelayEnvelope } from './types.js' */
/**
 * A message this side wrote, until it is delivered.
 * @typedef {{ messageId: string, content: Uint8Array, channelHash: string | null, seq: number | null, state: string }} OutboxEntry
 */
/**
 * An envelope to send under its seq (messageId null: a handshake message or restart request).
 * @typedef {{ seq: number, relayMessageId: string, envelope: Bytes, messageId: string | null }} WireItem
 */
/**
 * What a lane needs of a channel: protocol/channel.js's SecureChannel (or a test double).
 * @typedef {object} LaneChannel
 * @property {boolean} isEstablished
 * @property {boolean} hasFailed
 * @property {Uint8Array | null} handshakeHash once established
 * @property {string | null} safetyCode once established
 * @property {Uint8Array | null} remoteStaticKey
 * @property {() => Promise<Bytes>} start the caller's handshake message 1
 * @property {(messageId: Uint8Array, content: Uint8Array, seq: number) => Promise<Bytes>} seal
 * @property {(envelope: Uint8Array, seq: number) => Promise<ReceiveOutcome>} receive
 * @property {() => Promise<object> | object} exportState the established channel as structured-cloneable data
 */
/**
 * The lane state to keep (Lane.snapshot): structured-cloneable.
 * @typedef {object} LaneState
 * @property {object | null} channel what the channel's exportState gave
 * @property {number | null} holder
 * @property {object | null} previous
 * @property {OutboxEntry[]} outbox
 * @property {WireItem[]} wire
 * @property {string[]} seen
 * @property {number} lastOpenedSeq
 * @property {number} lastSentSeq
 * @property {boolean} restartRequested
 */
/**
 * What a lane needs of its hub connection (a HubClient).
 * @typedef {{ invoke: (method: string, ...args: any[]) => Promise<unknown>, whenConnected: () => Promise<void> }} LaneHub
 */
/** @typedef {(state: object) => Promise<LaneChannel> | LaneChannel} ChannelFromState a channel again from its exported state */

/** What the sender is shown of a message it wrote (data-status on the page). */
export const Status = Object.freeze({
  SENDING: 'sending', SENT: 'sent', DELIVERED: 'delivered', UNDELIVERED: 'undelivered', FAILED: 'failed',
});

const AWAITING = 'awaiting-channel'; // no seq yet: waits for an established channel
const SEALED = 'sealed'; // sealed under the current channel, in the wire queue
const STORED = 'stored'; // the server has it; waits for the receipt (R4)

const RETRY_PAUSE_MS = 500;
// After held-full (the server holds as much as it will for this direction until the other side acknowledges): the
// same envelope again once a receipt or a view comes, or after a pause that doubles from the first to the longest.
const HELD_FULL_FIRST_PAUSE_MS = 250;
const HELD_FULL_MAX_PAUSE_MS = 30_000;
const MAX_HANDSHAKE_RESTARTS = 3;
const RESOLVED = Promise.resolve();

/** @param {LaneChannel | null} channel an established channel, or none */
const channelId = (channel) => (channel ? toHex(/** @type {Bytes} */ (channel.handshakeHash)) : null);

/**
 * @typedef {object} LaneHooks
 * @property {() => Promise<void>} save keeps the whole record (the owner calls snapshot() of its lanes)
 * @property {(message: {messageId: string, content: Uint8Array, seq: number}) => void} received a new message (hex id), once
 * @property {(messageId: string, status: string) => void} status the state of a message this side wrote
 * @property {(channel: LaneChannel, info: {restored: boolean}) => void} secure a channel is established (or restored)
 * @property {(info: {restarted: boolean}) => void} securing a new handshake begins
 * @property {(code: string) => void} refused an envelope could not be opened (a code, never content)
 * @property {() => Promise<LaneChannel | null>} openChannel a fresh channel: the caller's after the certificate check (null:
 *   refused, the owner said why), a staff member's with the device key
 * @property {() => boolean} [canStart] caller: whether a handshake may start now (the session is active, …)
 */
export class Lane {
  #hub;
  #sessionId;
  #sendMethod;
  #ackMethod;
  #initiator;
  #hooks;

  // Lane state: kept by snapshot().
  /** @type {LaneChannel | null} */
  #channel = null;
  /** @type {number | null} caller: the session holder the channel was made for (null: not known yet) */
  #holder = null;
  /** @type {LaneChannel | null} caller: the channel before, only to open what the current one cannot */
  #previous = null;
  /** @type {OutboxEntry[]} */
  #outbox = [];
  /** @type {WireItem[]} */
  #wire = [];
  /** @type {Set<string>} */
  #seen = new Set();
  #lastOpenedSeq = 0;
  #lastSentSeq = 0;
  #restartRequested = false;
  #restored = false;

  // Memory only.
  /** @type {LaneChannel | null} a handshake under way */
  #pending = null;
  /** @type {number | null} */
  #pendingHolder = null;
  /** @type {number | null} caller: the holder named by the latest view, null after a change heard live */
  #knownHolder = null;
  #hadChannel = false;
  #restarts = 0;
  #known = false; // until a view arrives, incoming envelopes are held
  /** @type {Map<number, Bytes>} */
  #held = new Map();
  #acknowledged = 0;
  #savedOpenedSeq = 0;
  #persistedThrough = 0;
  /** @type {Promise<void>} */
  #ackGate = RESOLVED;
  /** @type {Promise<void>} */
  #handshakeStored = RESOLVED;
  /** @type {Map<number, () => void>} seq -> resolve, for handshake messages and restart requests not yet stored by the server */
  #controls = new Map();
  /** @type {Promise<void>} */
  #queue = RESOLVED;
  #pumping = false;
  #ended = false;
  #receipts = 0; // receipts and views heard: a send refused with held-full goes again when this moved
  /** @type {(() => void) | null} */
  #wakeHeld = null;

  /**
   * @param {{hub: LaneHub, sessionId: string, send?: string, acknowledge?: string, initiator: boolean, hooks: LaneHooks}} options
   *   send/acknowledge: the hub methods of this lane (SendToLead/AcknowledgeLead for the caller's lead lane)
   */
  constructor({ hub, sessionId, send = CallerHub.SendCiphertext, acknowledge = CallerHub.Acknowledge, initiator, hooks }) {
    this.#hub = hub;
    this.#sessionId = sessionId;
    this.#sendMethod = send;
    this.#ackMethod = acknowledge;
    this.#initiator = initiator;
    this.#hooks = { canStart: () => true, ...hooks };
  }

  /**
   * A lane continued from a snapshot; `fromState` rebuilds a channel from its exported state.
   * @param {ConstructorParameters<typeof Lane>[0]} options
   * @param {LaneState} state
   * @param {ChannelFromState} fromState
   */
  static async restore(options, state, fromState) {
    const lane = new Lane(options);
    await lane.#load(state, fromState);
    return lane;
  }

  get isSecure() {
    return this.#channel !== null;
  }

  get safetyCode() {
    return this.#channel?.safetyCode ?? null;
  }

  /** The remote static key of the channel (for staff: the caller's episode key). */
  get remoteStaticKey() {
    return this.#channel?.remoteStaticKey ?? null;
  }

  // ---- Writing (R1)

  /**
   * Queues a message the person wrote; `messageId` is its hex e2e id. The status hook follows it.
   * @param {string} messageId
   * @param {Uint8Array} content
   */
  write(messageId, content) {
    return this.#run(async () => {
      if (this.#ended) return;
      this.#outbox.push({ messageId, content, channelHash: null, seq: null, state: AWAITING });
      this.#hooks.status(messageId, Status.SENDING);
      await this.#sealWaiting();
    });
  }

  // ---- Receiving (R2, R3)

  /**
   * A RelayEnvelope from MessageReceived (or LeadMessageReceived).
   * @param {Pick<RelayEnvelope, 'seq' | 'ciphertext'> & Partial<RelayEnvelope>} envelope
   */
  accept(envelope) {
    const seq = Number(envelope.seq);
    const bytes = fromBase64(envelope.ciphertext);
    return this.#run(async () => {
      if (seq > this.#lastOpenedSeq) this.#held.set(seq, bytes);
      await this.#drain();
    }).then(() => this.#acknowledge());
  }

  /**
   * A delivery receipt: the other side kept everything up to upToSeq (R4).
   * @param {number} upToSeq
   */
  delivered(upToSeq) {
    this.#roomMayHaveFreed();
    return this.#run(() => this.#deliveredUpTo(Number(upToSeq)));
  }

  /**
   * The view of this lane after a (re)connect (R6): {lastSentSeq, lastReceivedSeq, peerReceivedSeq}; for the caller's
   * supporter lane also the session's `holder`. Starts what the view calls for: a resend, a handshake, a restart request.
   * @param {{ lastSentSeq: number, lastReceivedSeq: number, peerReceivedSeq?: number | null, holder?: number }} view
   */
  sync({ lastSentSeq, lastReceivedSeq, peerReceivedSeq = null, holder = undefined }) {
    this.#roomMayHaveFreed();
    return this.#run(async () => {
      if (this.#ended) return;
      const received = Number(lastReceivedSeq);
      this.#lastOpenedSeq = Math.max(this.#lastOpenedSeq, received);
      this.#acknowledged = Math.max(this.#acknowledged, received);
      this.#known = true;
      if (this.#initiator && holder !== undefined) this.#checkHolder(Number(holder));
      const stale = this.#syncSent(Number(lastSentSeq));
      if (peerReceivedSeq !== null) this.#deliveredUpTo(Number(peerReceivedSeq));
      await this.#drain();
      if (stale) await this.#startOver();
      else if (this.#initiator) await this.#startIfIdle();
    }).then(() => this.#acknowledge());
  }

  /**
   * A (re)connection is about to resume: what arrives from now on waits for the view (§7.4), so that a restart
   * request from a new holder is read after the view that names that holder. Call before invoking Resume.
   */
  hold() {
    this.#known = false;
  }

  /**
   * The channel is gone for a reason the owner knows (caller: the session was claimed again, transferred or returned
   * to the queue). R5: what was not delivered waits for the next channel. `restart`: start a handshake at once.
   */
  abandon({ restart = false } = {}) {
    return this.#run(async () => {
      this.#abandon();
      this.#pending = null;
      this.#knownHolder = null;
      if (restart) await this.#startIfIdle();
    });
  }

  /** Staff: ask the caller for a new handshake (once until a handshake arrives). */
  requestRestart() {
    return this.#run(() => this.#requestRestart());
  }

  /**
   * R7: the lane ended (the session ended, or the lead left): what is still in the outbox is reported as not
   * delivered. `final`: nothing more will happen in this lane (the session ended); otherwise its numbers go on (a later lead).
   */
  end({ final = true } = {}) {
    this.#roomMayHaveFreed();
    return this.#run(() => {
      for (const entry of this.#outbox) this.#hooks.status(entry.messageId, Status.UNDELIVERED);
      this.#outbox = [];
      this.#channel = null;
      this.#previous = null;
      this.#pending = null;
      if (!final) return;
      this.#ended = true;
      this.#wire = [];
      this.#releaseControls();
    });
  }

  /**
   * The lane state to keep (structured-cloneable; channel states hold non-extractable CryptoKeys).
   * @returns {Promise<LaneState>}
   */
  async snapshot() {
    return {
      channel: this.#channel ? await this.#channel.exportState() : null,
      holder: this.#holder,
      previous: this.#previous ? await this.#previous.exportState() : null,
      outbox: this.#outbox.map((entry) => ({ ...entry })),
      wire: this.#wire.map((item) => ({ ...item })),
      seen: [...this.#seen],
      lastOpenedSeq: this.#lastOpenedSeq,
      lastSentSeq: this.#lastSentSeq,
      restartRequested: this.#restartRequested,
    };
  }

  /** @param {LaneState} state @param {ChannelFromState} fromState */
  async #load(state, fromState) {
    this.#channel = state.channel ? await fromState(state.channel) : null;
    this.#holder = state.holder ?? null;
    this.#previous = state.previous ? await fromState(state.previous) : null;
    this.#outbox = state.outbox.map((entry) => ({ ...entry }));
    this.#wire = state.wire.map((item) => ({ ...item }));
    this.#seen = new Set(state.seen);
    this.#lastOpenedSeq = this.#savedOpenedSeq = state.lastOpenedSeq;
    this.#lastSentSeq = this.#persistedThrough = state.lastSentSeq;
    this.#restartRequested = state.restartRequested;
    this.#hadChannel = this.#channel !== null;
    this.#restored = true;
    for (const item of this.#wire) if (item.messageId === null) this.#ackGate = this.#control(item.seq);
    if (this.#channel) this.#hooks.secure(this.#channel, { restored: true });
  }

  // ---- Steps (inside #run only)

  async #drain() {
    if (!this.#known) return;
    for (const seq of [...this.#held.keys()]) if (seq <= this.#lastOpenedSeq) this.#held.delete(seq);
    while (this.#held.has(this.#lastOpenedSeq + 1) && !this.#ended) {
      const seq = this.#lastOpenedSeq + 1;
      const bytes = /** @type {Bytes} */ (this.#held.get(seq));
      this.#held.delete(seq);
      try {
        await this.#handle(seq, bytes);
      } catch {
        // a channel or hub failure while handling: the envelope still counts as handled, as the .NET client does
      }
      this.#lastOpenedSeq = seq;
    }
  }

  /** @param {number} seq @param {Bytes} bytes @returns {Promise<void>} */
  #handle(seq, bytes) {
    if (isRestartRequest(bytes)) return this.#onRestartRequest();
    if (unwrap(bytes)?.type === HANDSHAKE) return this.#initiator ? this.#onHandshakeReply(seq, bytes) : this.#onHandshake(seq, bytes);
    return this.#onTransport(seq, bytes);
  }

  /** @param {number} seq @param {Bytes} bytes */
  async #onTransport(seq, bytes) {
    const message = await this.#open(bytes, seq);
    if (message !== null) {
      const messageId = toHex(message.messageId);
      if (this.#seen.has(messageId)) return; // sealed again under a later channel, and already kept (R5)
      this.#seen.add(messageId);
      this.#hooks.received({ messageId, content: message.content, seq });
      return;
    }
    // R3: start the new channel before acknowledging what cannot be opened.
    if (!this.#initiator) await this.#requestRestart();
    else if (this.#channel === null && this.#pending === null && this.#hooks.canStart()) {
      await this.#startHandshake();
      this.#ackGate = this.#handshakeStored;
    }
    else if (this.#channel !== null) this.#hooks.refused('rejected-message');
  }

  /**
   * @param {Bytes} bytes
   * @param {number} seq
   * @returns {Promise<{ messageId: Bytes, content: Bytes } | null>}
   */
  async #open(bytes, seq) {
    for (const channel of [this.#channel, this.#previous]) {
      if (channel === null) continue;
      const result = await channel.receive(bytes, seq);
      if (result.outcome !== 'message') continue;
      if (channel === this.#channel) this.#previous = null; // everything of the earlier channel came before
      return result;
    }
    return null;
  }

  async #onRestartRequest() {
    if (!this.#initiator) return;
    if (this.#pending !== null && !this.#pending.hasFailed) return; // the handshake under way gives the other side its channel
    this.#abandon();
    this.#pending = null;
    if (this.#hooks.canStart()) await this.#startHandshake();
  }

  /**
   * Caller: a reply of the handshake under way (message 2).
   * @param {number} seq
   * @param {Bytes} bytes
   */
  async #onHandshakeReply(seq, bytes) {
    const channel = this.#pending;
    if (channel === null) return; // for a handshake this side no longer runs
    const result = await channel.receive(bytes, seq);
    if (result.outcome !== 'handshake') {
      // A stale reply of an earlier handshake spoiled this one: start again, a few times at most.
      if (this.#restarts++ < MAX_HANDSHAKE_RESTARTS) await this.#startHandshake();
      else this.#hooks.refused('rejected-message');
      return;
    }
    if (result.reply) this.#queueControl(result.reply);
    if (channel.isEstablished) await this.#establish(channel, this.#pendingHolder);
  }

  /**
   * Staff: a handshake message from the caller (message 1 starts over, message 3 completes).
   * @param {number} seq
   * @param {Bytes} bytes
   */
  async #onHandshake(seq, bytes) {
    this.#restartRequested = false;
    if (this.#channel !== null) this.#abandon(); // the caller started over (R5)
    let channel = this.#pending ?? await this.#fresh();
    let result = await channel.receive(bytes, seq);
    if (result.outcome !== 'handshake' && !channel.isEstablished) {
      channel = await this.#fresh(); // a stale message must not spoil the caller's new handshake
      result = await channel.receive(bytes, seq);
    }
    if (result.outcome !== 'handshake') {
      this.#pending = null;
      this.#hooks.refused('rejected-message');
      return;
    }
    if (result.reply) this.#queueControl(result.reply);
    if (channel.isEstablished) await this.#establish(channel, null);
  }

  /** Staff: the device key always gives a channel. */
  async #fresh() {
    this.#hooks.securing({ restarted: this.#hadChannel });
    const channel = /** @type {LaneChannel} */ (await this.#hooks.openChannel());
    this.#pending = channel;
    return channel;
  }

  /** Caller: a new channel and its handshake message 1 (#handshakeStored resolves once the server has it). */
  async #startHandshake() {
    this.#handshakeStored = RESOLVED;
    if (this.#ended) return;
    this.#hooks.securing({ restarted: this.#hadChannel });
    this.#pending = null;
    const holder = this.#knownHolder;
    const channel = await this.#hooks.openChannel();
    if (channel === null || this.#ended) return;
    this.#pending = channel;
    this.#pendingHolder = holder;
    this.#handshakeStored = this.#queueControl(await channel.start());
  }

  /** @param {number} holder */
  #checkHolder(holder) {
    this.#knownHolder = holder;
    if (this.#pending !== null && this.#pendingHolder !== null && this.#pendingHolder !== holder) this.#pending = null;
    if (this.#channel === null) return;
    if (this.#holder === null) this.#holder = holder; // made after a change this side heard of live: the view names its holder
    else if (this.#holder !== holder) {
      this.#abandon(); // another supporter holds the session now: a new handshake (R6)
      this.#pending = null;
    }
  }

  async #startIfIdle() {
    if (this.#channel === null && this.#pending === null && this.#hooks.canStart()) await this.#startHandshake();
  }

  async #requestRestart() {
    if (this.#restartRequested) return;
    this.#restartRequested = true;
    this.#ackGate = this.#queueControl(restartRequest());
  }

  /** R6: the view says this side's stored state is older than what it sent: a new channel. */
  async #startOver() {
    if (this.#initiator) {
      this.#pending = null;
      if (this.#hooks.canStart()) await this.#startHandshake();
    } else {
      this.#restartRequested = false;
      await this.#requestRestart();
    }
  }

  /** @param {LaneChannel} channel @param {number | null} holder */
  async #establish(channel, holder) {
    this.#channel = channel;
    this.#holder = holder;
    this.#pending = null;
    this.#hadChannel = true;
    this.#restarts = 0;
    await this.#sealWaiting();
    this.#hooks.secure(channel, { restored: false });
  }

  /** R5: the current channel is gone; everything not delivered goes back to waiting for the next one. */
  #abandon() {
    if (this.#initiator && this.#channel !== null) this.#previous = this.#channel;
    this.#channel = null;
    for (const entry of this.#outbox) {
      if (entry.state === AWAITING) continue;
      Object.assign(entry, { channelHash: null, seq: null, state: AWAITING });
      this.#hooks.status(entry.messageId, Status.SENDING);
    }
  }

  /** R1: seal what waits, in order, under the current channel. A seal that fails uses up no seq. */
  async #sealWaiting() {
    const channel = this.#channel;
    if (channel === null) return;
    for (const entry of this.#outbox) {
      if (entry.state !== AWAITING) continue;
      const seq = this.#lastSentSeq + 1;
      let envelope;
      try {
        envelope = await channel.seal(fromHex(entry.messageId), entry.content, seq);
      } catch {
        this.#outbox = this.#outbox.filter((e) => e !== entry);
        this.#hooks.status(entry.messageId, Status.FAILED);
        continue;
      }
      this.#lastSentSeq = seq;
      Object.assign(entry, { channelHash: channelId(channel), seq, state: SEALED });
      this.#wire.push({ seq, relayMessageId: crypto.randomUUID(), envelope, messageId: entry.messageId });
    }
  }

  /**
   * A handshake message or restart request under the next seq; the promise resolves once the server stored it.
   * @param {Bytes} envelope
   */
  #queueControl(envelope) {
    const seq = ++this.#lastSentSeq;
    this.#wire.push({ seq, relayMessageId: crypto.randomUUID(), envelope, messageId: null });
    return this.#control(seq);
  }

  /** @param {number} seq @returns {Promise<void>} */
  #control(seq) {
    return new Promise((resolve) => this.#controls.set(seq, resolve));
  }

  #releaseControls() {
    for (const resolve of this.#controls.values()) resolve();
    this.#controls.clear();
    this.#ackGate = RESOLVED;
  }

  /**
   * R6, outgoing: true when the server has more from this side than the stored state knows of.
   * @param {number} serverSent
   */
  #syncSent(serverSent) {
    if (serverSent > this.#lastSentSeq) {
      this.#lastSentSeq = serverSent;
      this.#wire = [];
      this.#releaseControls();
      if (!this.#restored && this.#channel === null) return false; // a lane new on this device continues the session's numbers
      this.#abandon();
      return true;
    }
    while (this.#wire.length > 0 && this.#wire[0].seq <= serverSent) this.#stored(this.#wire[0]);
    return false;
  }

  /**
   * R4: only what was sealed under the current channel.
   * @param {number} upTo
   */
  #deliveredUpTo(upTo) {
    const current = channelId(this.#channel);
    if (current === null) return;
    const delivered = this.#outbox.filter((e) => e.state !== AWAITING && e.channelHash === current && /** @type {number} sealed */ (e.seq) <= upTo);
    if (delivered.length === 0) return;
    this.#outbox = this.#outbox.filter((e) => !delivered.includes(e));
    for (const entry of delivered) this.#hooks.status(entry.messageId, Status.DELIVERED);
  }

  /** @param {WireItem} item */
  #stored(item) {
    if (this.#wire[0] === item) this.#wire.shift();
    this.#controls.get(item.seq)?.();
    this.#controls.delete(item.seq);
    const entry = this.#outbox.find((e) => e.seq === item.seq && e.state === SEALED);
    if (!entry) return;
    entry.state = STORED;
    this.#hooks.status(entry.messageId, Status.SENT);
  }

  /** The server refused an envelope for good: it and everything after it is unsent, and the channel has a nonce hole. */
  /** @param {WireItem} item @param {string} code */
  async #refusedForGood(item, code) {
    const at = this.#wire.indexOf(item);
    if (at < 0) return;
    this.#wire = this.#wire.slice(0, at);
    this.#lastSentSeq = Math.min(this.#lastSentSeq, item.seq - 1);
    this.#persistedThrough = Math.min(this.#persistedThrough, this.#lastSentSeq);
    for (const [seq, resolve] of this.#controls) if (seq >= item.seq) resolve();
    if (code !== ErrorCodes.WrongState) {
      const refused = this.#outbox.find((e) => e.seq === item.seq && e.state === SEALED);
      if (refused) {
        this.#outbox = this.#outbox.filter((e) => e !== refused);
        this.#hooks.status(refused.messageId, Status.FAILED);
      }
    }
    this.#abandon();
    this.#pending = null;
    // Not active (wrong-state): the owner hears of the session's new state and acts on it. Otherwise start over.
    if (code !== ErrorCodes.WrongState) await this.#startOver();
  }

  // ---- Around the steps

  /** One step at a time; a step that fails (a hub call lost, a channel refusing) leaves the lane as it stood. */
  /** @param {() => unknown} step */
  #run(step) {
    this.#queue = this.#queue.then(async () => {
      try {
        await step();
      } finally {
        await this.#save();
      }
    }).catch(() => {});
    return this.#queue;
  }

  async #save() {
    const sent = this.#lastSentSeq;
    const opened = this.#lastOpenedSeq;
    await this.#hooks.save();
    this.#persistedThrough = Math.max(this.#persistedThrough, sent);
    this.#savedOpenedSeq = Math.max(this.#savedOpenedSeq, opened);
    this.#pump();
  }

  /** R2: acknowledge only what is kept, and (R3) only once the restart request or handshake before it is stored. */
  #acknowledge() {
    const upTo = this.#savedOpenedSeq;
    if (upTo <= this.#acknowledged || this.#ended) return;
    const gate = this.#ackGate;
    gate.then(() => this.#hub.invoke(this.#ackMethod, this.#sessionId, upTo))
      .then(() => { this.#acknowledged = Math.max(this.#acknowledged, upTo); })
      .catch(() => {}); // a lost acknowledgement costs a redelivery, which is dropped by seq
  }

  /**
   * Sends the kept envelopes in seq order, one at a time, each with the same relay id, seq and bytes on every try.
   * held-full is no refusal: the envelope stays first in line (shown as sending, never as sent or delivered) and goes
   * again once the other side acknowledged something.
   */
  async #pump() {
    if (this.#pumping) return;
    this.#pumping = true;
    let heldPause = HELD_FULL_FIRST_PAUSE_MS;
    try {
      for (;;) {
        const item = this.#wire[0];
        if (!item || item.seq > this.#persistedThrough || this.#ended) return;
        await this.#hub.whenConnected();
        if (this.#wire[0] !== item) continue;
        const receipts = this.#receipts;
        try {
          await this.#hub.invoke(this.#sendMethod, this.#sessionId, item.relayMessageId, item.seq, toBase64(item.envelope));
          heldPause = HELD_FULL_FIRST_PAUSE_MS;
          await this.#run(() => this.#stored(item));
        } catch (error) {
          const code = errorCode(error);
          if (code === ErrorCodes.HeldFull) {
            await this.#untilRoom(receipts, heldPause);
            heldPause = Math.min(heldPause * 2, HELD_FULL_MAX_PAUSE_MS);
          } else if (isRetryable(code)) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
          else await this.#run(() => this.#refusedForGood(item, code));
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** A receipt, a view or the end of the lane: a send waiting after held-full goes again now. */
  #roomMayHaveFreed() {
    this.#receipts++;
    this.#wakeHeld?.();
  }

  /**
   * Waits for a receipt or view heard after `receipts` was read (at once if one already was), or for `pauseMs`.
   * @param {number} receipts
   * @param {number} pauseMs
   * @returns {Promise<void>}
   */
  #untilRoom(receipts, pauseMs) {
    if (this.#receipts !== receipts) return RESOLVED;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakeHeld = null;
        resolve();
      };
      const timer = setTimeout(done, pauseMs);
      this.#wakeHeld = done;
    });
  }
}

