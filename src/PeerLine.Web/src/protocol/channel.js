// One end-to-end channel of a session (docs/protocol.md §11): Noise XK, the caller as initiator.
// Mirrors src/PeerLine.Protocol/E2E/SecureChannel.cs.

import { EMPTY } from './bytes.js';
import { HandshakeState } from './noise.js';
import { safetyCode } from './safety-code.js';
import { Direction, HANDSHAKE, PROTOCOL_NAME, Party, TRANSPORT, associatedData, pad, prologue, unpad, unwrap, wrap } from './envelope.js';

const REJECTED = Object.freeze({ outcome: 'rejected' });

export class SecureChannel {
  #sessionId;
  #caller;
  #party;
  #handshake;
  #send = null;
  #receive = null;
  #safetyCode = null;
  #queue = Promise.resolve();

  constructor(sessionId, caller, handshake, party = Party.SUPPORTER) {
    this.#sessionId = sessionId;
    this.#caller = caller;
    this.#handshake = handshake;
    this.#party = party;
  }

  /**
   * The caller's side.
   * @param {{sessionId: string, supporterStaticKey: Uint8Array, episodeKey: {privateKey: CryptoKey, publicKey: Uint8Array},
   *          fixedEphemeral?: object, party?: number}} options supporterStaticKey (the staff member's key) comes from a
   *   roster certificate whose verdict is 'trusted'; party is Party.LEAD for the channel with a lead; fixedEphemeral is
   *   for test vectors only.
   */
  static async forCaller({ sessionId, supporterStaticKey, episodeKey, fixedEphemeral = null, party = Party.SUPPORTER }) {
    const handshake = await HandshakeState.create(PROTOCOL_NAME, {
      initiator: true,
      prologue: prologue(sessionId, party),
      s: episodeKey,
      rs: supporterStaticKey,
      e: fixedEphemeral,
    });
    return new SecureChannel(sessionId, true, handshake, party);
  }

  /** A staff member's side (the supporter, or a lead with party Party.LEAD), with the device's static X25519 key pair. */
  static async forSupporter({ sessionId, staticKey, fixedEphemeral = null, party = Party.SUPPORTER }) {
    const handshake = await HandshakeState.create(PROTOCOL_NAME, {
      initiator: false,
      prologue: prologue(sessionId, party),
      s: staticKey,
      e: fixedEphemeral,
    });
    return new SecureChannel(sessionId, false, handshake, party);
  }

  get isEstablished() {
    return this.#send !== null;
  }

  /** The handshake failed for good: this channel will never carry a message. */
  get hasFailed() {
    return this.#handshake.hasFailed;
  }

  /** "dddd dddd dddd" once the handshake is complete, else null. */
  get safetyCode() {
    return this.#safetyCode;
  }

  /** The other side's static key once known: for a supporter, the caller's episode key. */
  get remoteStaticKey() {
    return this.#handshake.remoteStaticPublicKey;
  }

  get #toStaff() {
    return this.#party === Party.LEAD ? Direction.CALLER_TO_LEAD : Direction.CALLER_TO_SUPPORTER;
  }

  get #toCaller() {
    return this.#party === Party.LEAD ? Direction.LEAD_TO_CALLER : Direction.SUPPORTER_TO_CALLER;
  }

  get #outgoing() {
    return this.#caller ? this.#toStaff : this.#toCaller;
  }

  get #incoming() {
    return this.#caller ? this.#toCaller : this.#toStaff;
  }

  /** The caller opens the handshake with this envelope (handshake message 1). */
  start() {
    return this.#serial(async () => {
      if (!this.#caller) throw new Error('The caller starts the handshake.');
      return wrap(HANDSHAKE, await this.#handshake.writeMessage(EMPTY));
    });
  }

  /** Seals content for the relay under the seq it will be sent with. Seal each message once: a retry resends the bytes. */
  seal(content, seq) {
    return this.#serial(async () => {
      if (this.#send === null) throw new Error('The handshake is not complete.');
      const ad = associatedData(this.#sessionId, this.#outgoing, seq);
      return wrap(TRANSPORT, await this.#send.encryptWithAd(ad, pad(content)));
    });
  }

  /**
   * Takes one envelope (a Uint8Array; anything else is rejected) that arrived under relay seq `seq` (number or BigInt).
   * @returns {Promise<{outcome: 'handshake', reply?: Uint8Array} | {outcome: 'message', content: Uint8Array} | {outcome: 'rejected'}>}
   */
  receive(envelope, seq) {
    return this.#serial(async () => {
      const unwrapped = unwrap(envelope);
      if (unwrapped === null) return REJECTED;
      return unwrapped.type === HANDSHAKE ? this.#receiveHandshake(unwrapped.body) : this.#receiveTransport(unwrapped.body, seq);
    });
  }

  async #receiveHandshake(body) {
    const hs = this.#handshake;
    if (hs.isComplete || hs.hasFailed || hs.isMyTurn) return REJECTED;
    if ((await hs.readMessage(body)) === null) return REJECTED;

    let reply;
    if (hs.isMyTurn) reply = wrap(HANDSHAKE, await hs.writeMessage(EMPTY));
    if (hs.isComplete) await this.#establish();
    return reply === undefined ? { outcome: 'handshake' } : { outcome: 'handshake', reply };
  }

  async #receiveTransport(body, seq) {
    if (this.#receive === null) return REJECTED;
    let ad;
    try {
      ad = associatedData(this.#sessionId, this.#incoming, seq);
    } catch {
      return REJECTED; // not a relay seq
    }
    // A replayed, reordered or moved message fails here: wrong nonce, or wrong direction, session or seq in the AD.
    const padded = await this.#receive.decryptWithAd(ad, body);
    const content = padded === null ? null : unpad(padded);
    return content === null ? REJECTED : { outcome: 'message', content };
  }

  async #establish() {
    const { send, receive } = await this.#handshake.split();
    this.#safetyCode = await safetyCode(this.#handshake.handshakeHash);
    this.#receive = receive;
    this.#send = send; // last: isEstablished means everything is ready
  }

  // Every operation awaits WebCrypto; one at a time keeps nonces and the transcript in call order.
  #serial(operation) {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }
}
