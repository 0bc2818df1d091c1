// The delivery contract of docs/protocol.md §7 for one session, on top of a HubClient: every message the
// server accepted reaches the application exactly once and in order, and every send is retried with the
// same message id, seq and bytes until the server has it. Mirrors src/PeerLine.Client/Relay/.

import { fromBase64, toBase64 } from '../protocol/bytes.js';
import { errorCode, isRetryable } from './wire.js';

const RETRY_PAUSE_MS = 500;

/** Incoming side: drops what was already handled, holds out-of-order arrivals, acknowledges cumulatively. */
export class Inbox {
  #known = false; // until the session's view arrives, everything is held (§7.4)
  #handled = 0;
  #held = new Map(); // seq -> bytes
  #draining = false;
  #acknowledged = 0;
  #deliver;
  #acknowledge;

  /**
   * @param {(seq: number, bytes: Uint8Array) => Promise<void>} deliver called once per seq, in order
   * @param {(upToSeq: number) => Promise<void>} acknowledge
   */
  constructor(deliver, acknowledge) {
    this.#deliver = deliver;
    this.#acknowledge = acknowledge;
  }

  get handled() {
    return this.#handled;
  }

  /** A RelayEnvelope from MessageReceived. */
  accept(envelope) {
    const seq = Number(envelope.seq);
    if (seq <= this.#handled || this.#held.has(seq)) return this.#drain();
    this.#held.set(seq, fromBase64(envelope.ciphertext));
    return this.#drain();
  }

  /** The view says what this side acknowledged before (after a reload, or the first view). */
  sync(lastReceivedSeq) {
    this.#known = true;
    this.#handled = Math.max(this.#handled, Number(lastReceivedSeq));
    this.#acknowledged = Math.max(this.#acknowledged, Number(lastReceivedSeq));
    for (const seq of [...this.#held.keys()]) if (seq <= this.#handled) this.#held.delete(seq);
    return this.#drain();
  }

  async #drain() {
    if (!this.#known || this.#draining) return;
    this.#draining = true;
    try {
      while (this.#held.has(this.#handled + 1)) {
        const seq = this.#handled + 1;
        const bytes = this.#held.get(seq);
        this.#held.delete(seq);
        try {
          await this.#deliver(seq, bytes);
        } catch {
          // the application could not use it; it still counts as handled, as the .NET client does
        }
        this.#handled = seq;
      }
    } finally {
      this.#draining = false;
    }
    if (this.#handled > this.#acknowledged) {
      const upTo = this.#handled;
      try {
        await this.#acknowledge(upTo);
        this.#acknowledged = Math.max(this.#acknowledged, upTo);
      } catch {
        // a lost acknowledgement costs a redelivery, which is dropped above
      }
    }
  }
}

/**
 * Outgoing side: one send in flight at a time. Each message is sealed once, for the seq it travels under,
 * and resent byte for byte across reconnections.
 */
export class Outbox {
  #hub;
  #method;
  #sessionId;
  #nextSeq = 1;
  #queue = Promise.resolve();
  #delivered = 0;
  #onDelivered;

  constructor(hub, sessionId, { method = 'SendCiphertext', onDelivered = () => {} } = {}) {
    this.#hub = hub;
    this.#method = method;
    this.#sessionId = sessionId;
    this.#onDelivered = onDelivered;
  }

  get delivered() {
    return this.#delivered;
  }

  /** lastSentSeq of a view: a send after a reload continues from there. */
  sync(lastSentSeq) {
    this.#nextSeq = Math.max(this.#nextSeq, Number(lastSentSeq) + 1);
  }

  /** MessagesDelivered: the other side acknowledged everything up to upToSeq. */
  deliveredUpTo(upToSeq) {
    const upTo = Number(upToSeq);
    if (upTo <= this.#delivered) return;
    this.#delivered = upTo;
    this.#onDelivered(upTo);
  }

  /**
   * Queues one message. `seal(seq)` makes its bytes (once). Resolves with the seq once the server has stored
   * it; rejects with an Error whose `code` is the refusal's code when the server refuses it for good.
   */
  send(seal) {
    const result = this.#queue.then(() => this.#sendOne(seal));
    this.#queue = result.catch(() => {});
    return result;
  }

  async #sendOne(seal) {
    const seq = this.#nextSeq++;
    const bytes = await seal(seq);
    const messageId = crypto.randomUUID();
    const ciphertext = toBase64(bytes);
    for (;;) {
      await this.#hub.whenConnected();
      try {
        await this.#hub.invoke(this.#method, this.#sessionId, messageId, seq, ciphertext);
        return seq;
      } catch (error) {
        const code = errorCode(error);
        if (!isRetryable(code)) {
          if (this.#nextSeq === seq + 1) this.#nextSeq = seq; // the newest message: its seq may be used again (§7.3)
          throw Object.assign(new Error(code), { code });
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
  }
}
