// Test doubles for src/app/lane.js: a relay that keeps the §7 contract in memory (one supporter lane, two
// directions), a channel with the shape of protocol/channel.js (handshake in three messages, counter nonces,
// exportable state) but no real cryptography, and a side (caller or staff) that keeps its lane in a memory store.

import { toBase64, toHex } from '../src/protocol/bytes.js';
import { HANDSHAKE, TRANSPORT, unwrap, wrap } from '../src/protocol/envelope.js';
import { Lane } from '../src/app/lane.js';

/** @import { LaneHooks, LaneState } from '../src/app/lane.js' */
/** @import { ReceiveOutcome } from '../src/protocol/channel.js' */
/** @typedef {'caller' | 'staff'} SideName */
/** @typedef {{ stored: Map<number, string>, last: number, acked: number }} RelayDirection */
/** @typedef {{ initiator: boolean, id: Uint8Array | null, send: number, receive: number }} FakeChannelState */
/**
 * A side's hub: connected or not; whenConnected waits for `reconnect()` while it is not.
 * @typedef {{ connected: boolean, reconnect?: () => void, whenConnected: () => Promise<void>,
 *   invoke: (method: string, sessionId: string, ...args: any[]) => Promise<void> }} FakeHub
 */

/** @param {string} code */
const hubError = (code) => new Error(`An unexpected error occurred invoking 'X' on the server. HubException: ${code}`);

export class FakeRelay {
  /** @type {{ up: RelayDirection, down: RelayDirection }} */
  directions = { up: { stored: new Map(), last: 0, acked: 0 }, down: { stored: new Map(), last: 0, acked: 0 } };
  /** @type {Partial<Record<SideName, Side>>} */
  sides = {};
  active = true;
  /** @type {{ side: SideName, messageId: string, seq: number }[]} every accepted SendCiphertext */
  sent = [];
  /** the quota: most unacknowledged messages stored per direction (Relay:MaxHeldMessages) */
  maxHeld = Infinity;
  /** sends refused with held-full */
  heldFull = 0;

  /**
   * @param {SideName} name
   * @returns {FakeHub}
   */
  hubFor(name) {
    const relay = this;
    const outgoing = name === 'caller' ? 'up' : 'down';
    const incoming = name === 'caller' ? 'down' : 'up';
    return {
      connected: true,
      whenConnected() {
        return this.connected ? Promise.resolve() : new Promise((resolve) => { this.reconnect = resolve; });
      },
      async invoke(method, sessionId, ...args) {
        if (!this.connected) throw new Error('Invocation canceled due to the underlying connection being closed.');
        if (method === 'SendCiphertext') return relay.#send(name, outgoing, .../** @type {[string, number, string]} */ (args));
        if (method === 'Acknowledge') return relay.#acknowledge(incoming, args[0]);
        throw new Error(`unexpected ${method}`);
      },
    };
  }

  /**
   * The view a side gets from Resume, after the backlog was pushed to it.
   * @param {SideName} name
   */
  async resume(name) {
    const outgoing = this.directions[name === 'caller' ? 'up' : 'down'];
    const incoming = this.directions[name === 'caller' ? 'down' : 'up'];
    const lane = /** @type {Side} */ (this.sides[name]).currentLane;
    for (const [seq, ciphertext] of incoming.stored) lane.accept({ sessionId: 's', seq, ciphertext });
    return { lastSentSeq: outgoing.last, lastReceivedSeq: incoming.acked, peerReceivedSeq: outgoing.acked };
  }

  /**
   * @param {SideName} name
   * @param {'up' | 'down'} direction
   * @param {string} messageId
   * @param {number} seq
   * @param {string} ciphertext
   */
  #send(name, direction, messageId, seq, ciphertext) {
    const lane = this.directions[direction];
    if (!this.active) throw hubError('wrong-state');
    if (seq <= lane.last) return;
    if (seq !== lane.last + 1) throw hubError('sequence-gap');
    if (lane.stored.size >= this.maxHeld) {
      this.heldFull++;
      throw hubError('held-full');
    }
    lane.last = seq;
    lane.stored.set(seq, ciphertext);
    this.sent.push({ side: name, messageId, seq });
    const to = this.sides[name === 'caller' ? 'staff' : 'caller'];
    if (to?.hub.connected) to.currentLane.accept({ sessionId: 's', seq, ciphertext });
  }

  /** @param {'up' | 'down'} direction @param {number} upTo */
  #acknowledge(direction, upTo) {
    const lane = this.directions[direction];
    lane.acked = Math.max(lane.acked, upTo);
    for (const seq of [...lane.stored.keys()]) if (seq <= upTo) lane.stored.delete(seq);
    const sender = this.sides[direction === 'up' ? 'caller' : 'staff'];
    if (sender?.hub.connected) sender.currentLane.delivered(upTo);
  }
}

export class FakeChannel {
  #initiator;
  #step = 0;
  /** @type {Uint8Array | null} */
  #id = null;
  #failed = false;
  #send = 0;
  #receive = 0;

  /** @param {boolean} initiator */
  constructor(initiator) {
    this.#initiator = initiator;
  }

  /** @param {FakeChannelState} state */
  static fromState(state) {
    const channel = new FakeChannel(state.initiator);
    channel.#id = state.id;
    channel.#step = 3;
    channel.#send = state.send;
    channel.#receive = state.receive;
    return channel;
  }

  /** @returns {FakeChannelState} */
  exportState() {
    return { initiator: this.#initiator, id: this.#id, send: this.#send, receive: this.#receive };
  }

  get isEstablished() { return this.#step === 3; }
  get hasFailed() { return this.#failed; }
  get handshakeHash() { return this.#id; }
  get safetyCode() { return this.isEstablished ? toHex(this.#knownId) : null; }
  get #knownId() { return /** @type {Uint8Array} there from the first handshake message on */ (this.#id); }
  get remoteStaticKey() { return new Uint8Array(32); }

  async start() {
    const id = crypto.getRandomValues(new Uint8Array(4));
    this.#id = id;
    this.#step = 1;
    return wrap(HANDSHAKE, [1, ...id]);
  }

  /** @param {Uint8Array} messageId @param {Uint8Array} content @param {number} seq */
  async seal(messageId, content, seq) {
    if (!this.isEstablished) throw new Error('not established');
    if (content.length > 100) throw new RangeError('too large');
    return wrap(TRANSPORT, [this.#initiator ? 1 : 2, ...this.#knownId, this.#send++, seq & 255, ...messageId, ...content]);
  }

  /**
   * @param {Uint8Array} envelope
   * @param {number} seq
   * @returns {Promise<ReceiveOutcome>}
   */
  async receive(envelope, seq) {
    const unwrapped = unwrap(envelope);
    if (unwrapped?.type === HANDSHAKE) return this.#handshake(unwrapped.body);
    if (unwrapped?.type !== TRANSPORT || !this.isEstablished) return { outcome: 'rejected' };
    const body = unwrapped.body;
    const ok = body[0] === (this.#initiator ? 2 : 1) && toHex(body.subarray(1, 5)) === toHex(this.#knownId)
      && body[5] === this.#receive && body[6] === (seq & 255);
    if (!ok) return { outcome: 'rejected' };
    this.#receive++;
    return { outcome: 'message', messageId: body.slice(7, 23), content: body.slice(23) };
  }

  /**
   * @param {import('../src/protocol/bytes.js').Bytes} body
   * @returns {ReceiveOutcome}
   */
  #handshake(body) {
    /** @returns {ReceiveOutcome} */
    const reject = () => {
      if (!this.isEstablished) this.#failed = true;
      return { outcome: 'rejected' };
    };
    if (this.#failed || this.isEstablished) return reject();
    const id = body.slice(1, 5);
    if (!this.#initiator && this.#step === 0 && body[0] === 1) {
      this.#id = id;
      this.#step = 2;
      return { outcome: 'handshake', reply: wrap(HANDSHAKE, [2, ...id]) };
    }
    if (this.#initiator && this.#step === 1 && body[0] === 2 && toHex(id) === toHex(this.#knownId)) {
      this.#step = 3;
      return { outcome: 'handshake', reply: wrap(HANDSHAKE, [3, ...id]) };
    }
    if (!this.#initiator && this.#step === 2 && body[0] === 3 && toHex(id) === toHex(this.#knownId)) {
      this.#step = 3;
      return { outcome: 'handshake' };
    }
    return reject();
  }
}

/** One side of the chat: its lane, what it showed, the status of what it wrote, and its store. */
export class Side {
  /** @type {string[]} texts, in the order shown */
  shown = [];
  /** @type {Map<string, string>} message id -> status */
  statuses = new Map();
  /** @type {{ value: LaneState | null }} */
  store = { value: null };
  /** @type {(string | null)[]} */
  secured = [];
  /** @type {Lane | null} */
  lane = null;

  /**
   * @param {FakeRelay} relay
   * @param {SideName} name
   */
  constructor(relay, name, { canStart = () => relay.active } = {}) {
    this.relay = relay;
    this.name = name;
    this.hub = relay.hubFor(name);
    this.canStart = canStart;
    relay.sides[name] = this;
  }

  /** The lane, once there is one (fresh() or reload()). */
  get currentLane() {
    return /** @type {Lane} */ (this.lane);
  }

  /** What the store kept, once the lane saved. */
  get kept() {
    return /** @type {LaneState} */ (this.store.value);
  }

  /** @returns {ConstructorParameters<typeof Lane>[0]} */
  get options() {
    /** @type {LaneHooks} */
    const hooks = {
      save: async () => { if (this.lane) this.store.value = structuredClone(await this.lane.snapshot()); },
      received: ({ content }) => { this.shown.push(new TextDecoder().decode(content)); },
      status: (id, status) => { this.statuses.set(id, status); },
      secure: (channel) => { this.secured.push(channel.safetyCode); },
      securing: () => {},
      refused: () => {},
      openChannel: async () => new FakeChannel(this.name === 'caller'),
      canStart: this.canStart,
    };
    return { hub: this.hub, sessionId: 's', initiator: this.name === 'caller', hooks };
  }

  fresh() {
    this.lane = new Lane(this.options);
    return this;
  }

  /** A reload: a new lane from what the store kept (nothing, when `lost`). */
  async reload({ lost = false } = {}) {
    this.lane = null;
    if (lost || this.store.value === null) return this.fresh();
    const kept = structuredClone(this.store.value);
    this.lane = await Lane.restore(this.options, kept, (state) => FakeChannel.fromState(/** @type {FakeChannelState} */ (state)));
    return this;
  }

  async resume() {
    this.currentLane.hold();
    await this.currentLane.sync(await this.relay.resume(this.name));
  }

  /** @param {string} text */
  write(text) {
    const id = toHex(crypto.getRandomValues(new Uint8Array(16)));
    this.currentLane.write(id, new TextEncoder().encode(text));
    return id;
  }

  /** @param {string[]} ids */
  statusesOf(ids) {
    return ids.map((id) => this.statuses.get(id));
  }
}

export const base64 = toBase64;

/**
 * Resolves once `condition()` holds (polling the event loop), or fails after `ms`.
 * @param {() => boolean} condition
 * @param {string} because
 */
export async function until(condition, because, ms = 3000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out: ${because}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
