// Test doubles for src/app/lane.js: a relay that keeps the §7 contract in memory (one supporter lane, two
// directions), a channel with the shape of protocol/channel.js (handshake in three messages, counter nonces,
// exportable state) but no real cryptography, and a side (caller or staff) that keeps its lane in a memory store.

import { toBase64, toHex } from '../src/protocol/bytes.js';
import { HANDSHAKE, TRANSPORT, unwrap, wrap } from '../src/protocol/envelope.js';
import { Lane } from '../src/app/lane.js';

const hubError = (code) => new Error(`An unexpected error occurred invoking 'X' on the server. HubException: ${code}`);

export class FakeRelay {
  directions = { up: { stored: new Map(), last: 0, acked: 0 }, down: { stored: new Map(), last: 0, acked: 0 } };
  sides = {}; // 'caller' | 'staff' -> side
  active = true;
  sent = []; // every accepted SendCiphertext: {side, messageId, seq}

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
        if (method === 'SendCiphertext') return relay.#send(name, outgoing, ...args);
        if (method === 'Acknowledge') return relay.#acknowledge(incoming, args[0]);
        throw new Error(`unexpected ${method}`);
      },
    };
  }

  /** The view a side gets from Resume, after the backlog was pushed to it. */
  async resume(name) {
    const outgoing = this.directions[name === 'caller' ? 'up' : 'down'];
    const incoming = this.directions[name === 'caller' ? 'down' : 'up'];
    const lane = this.sides[name].lane;
    for (const [seq, ciphertext] of incoming.stored) lane.accept({ sessionId: 's', seq, ciphertext });
    return { lastSentSeq: outgoing.last, lastReceivedSeq: incoming.acked, peerReceivedSeq: outgoing.acked };
  }

  #send(name, direction, messageId, seq, ciphertext) {
    const lane = this.directions[direction];
    if (!this.active) throw hubError('wrong-state');
    if (seq <= lane.last) return;
    if (seq !== lane.last + 1) throw hubError('sequence-gap');
    lane.last = seq;
    lane.stored.set(seq, ciphertext);
    this.sent.push({ side: name, messageId, seq });
    const to = this.sides[name === 'caller' ? 'staff' : 'caller'];
    if (to?.hub.connected) to.lane.accept({ sessionId: 's', seq, ciphertext });
  }

  #acknowledge(direction, upTo) {
    const lane = this.directions[direction];
    lane.acked = Math.max(lane.acked, upTo);
    for (const seq of [...lane.stored.keys()]) if (seq <= upTo) lane.stored.delete(seq);
    const sender = this.sides[direction === 'up' ? 'caller' : 'staff'];
    if (sender?.hub.connected) sender.lane.delivered(upTo);
  }
}

export class FakeChannel {
  #initiator;
  #step = 0;
  #id = null;
  #failed = false;
  #send = 0;
  #receive = 0;

  constructor(initiator) {
    this.#initiator = initiator;
  }

  static fromState(state) {
    const channel = new FakeChannel(state.initiator);
    channel.#id = state.id;
    channel.#step = 3;
    channel.#send = state.send;
    channel.#receive = state.receive;
    return channel;
  }

  exportState() {
    return { initiator: this.#initiator, id: this.#id, send: this.#send, receive: this.#receive };
  }

  get isEstablished() { return this.#step === 3; }
  get hasFailed() { return this.#failed; }
  get handshakeHash() { return this.#id; }
  get safetyCode() { return this.isEstablished ? toHex(this.#id) : null; }
  get remoteStaticKey() { return new Uint8Array(32); }

  async start() {
    this.#id = crypto.getRandomValues(new Uint8Array(4));
    this.#step = 1;
    return wrap(HANDSHAKE, [1, ...this.#id]);
  }

  async seal(messageId, content, seq) {
    if (!this.isEstablished) throw new Error('not established');
    if (content.length > 100) throw new RangeError('too large');
    return wrap(TRANSPORT, [this.#initiator ? 1 : 2, ...this.#id, this.#send++, seq & 255, ...messageId, ...content]);
  }

  async receive(envelope, seq) {
    const { type, body } = unwrap(envelope) ?? {};
    if (type === HANDSHAKE) return this.#handshake(body);
    if (type !== TRANSPORT || !this.isEstablished) return { outcome: 'rejected' };
    const ok = body[0] === (this.#initiator ? 2 : 1) && toHex(body.subarray(1, 5)) === toHex(this.#id)
      && body[5] === this.#receive && body[6] === (seq & 255);
    if (!ok) return { outcome: 'rejected' };
    this.#receive++;
    return { outcome: 'message', messageId: body.slice(7, 23), content: body.slice(23) };
  }

  #handshake(body) {
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
    if (this.#initiator && this.#step === 1 && body[0] === 2 && toHex(id) === toHex(this.#id)) {
      this.#step = 3;
      return { outcome: 'handshake', reply: wrap(HANDSHAKE, [3, ...id]) };
    }
    if (!this.#initiator && this.#step === 2 && body[0] === 3 && toHex(id) === toHex(this.#id)) {
      this.#step = 3;
      return { outcome: 'handshake' };
    }
    return reject();
  }
}

/** One side of the chat: its lane, what it showed, the status of what it wrote, and its store. */
export class Side {
  shown = []; // texts, in the order shown
  statuses = new Map(); // message id -> status
  store = { value: null };
  secured = [];

  constructor(relay, name, { canStart = () => relay.active } = {}) {
    this.relay = relay;
    this.name = name;
    this.hub = relay.hubFor(name);
    this.canStart = canStart;
    relay.sides[name] = this;
  }

  get options() {
    return {
      hub: this.hub, sessionId: 's', initiator: this.name === 'caller',
      hooks: {
        save: async () => { if (this.lane) this.store.value = structuredClone(await this.lane.snapshot()); },
        received: ({ content }) => this.shown.push(new TextDecoder().decode(content)),
        status: (id, status) => this.statuses.set(id, status),
        secure: (channel) => this.secured.push(channel.safetyCode),
        securing: () => {},
        refused: () => {},
        openChannel: async () => new FakeChannel(this.name === 'caller'),
        canStart: this.canStart,
      },
    };
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
    this.lane = await Lane.restore(this.options, kept, (state) => FakeChannel.fromState(state));
    return this;
  }

  async resume() {
    this.lane.hold();
    await this.lane.sync(await this.relay.resume(this.name));
  }

  write(text) {
    const id = toHex(crypto.getRandomValues(new Uint8Array(16)));
    this.lane.write(id, new TextEncoder().encode(text));
    return id;
  }

  statusesOf(ids) {
    return ids.map((id) => this.statuses.get(id));
  }
}

export const base64 = toBase64;

/** Resolves once `condition()` holds (polling the event loop), or fails after `ms`. */
export async function until(condition, because, ms = 3000) {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out: ${because}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
