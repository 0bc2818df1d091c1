// One end-to-end channel of a session (docs/protocol.md §11): Noise XK, the caller as initiator.
// Mirrors src/PeerLine.Protocol/E2E/SecureChannel.cs.

import { EMPTY } from './bytes.js';
import { CipherState, DHLEN, HandshakeState } from './noise.js';
import { safetyCode } from './safety-code.js';
import { Direction, HANDSHAKE, PROTOCOL_NAME, Party, TRANSPORT, associatedData, pad, prologue, unpad, unwrap, wrap } from './envelope.js';

export { messageIdHex, newMessageId } from './envelope.js';

/** @import { Bytes } from './bytes.js' */
/** @import { CipherStateExport, KeyPair } from './noise.js' */
/**
 * What one received envelope did. Each outcome names the others' fields as absent, so that any field can be read.
 * @typedef {{ outcome: 'handshake', reply?: Bytes, messageId?: undefined, content?: undefined }
 *   | { outcome: 'message', messageId: Bytes, content: Bytes, reply?: undefined }
 *   | { outcome: 'rejected', reply?: undefined, messageId?: undefined, content?: undefined }} ReceiveOutcome
 */
/**
 * An established channel as kept across a reload (SecureChannel.exportState).
 * @typedef {{ sessionId: string, party: number, caller: boolean, send: CipherStateExport, receive: CipherStateExport,
 *   handshakeHash: Bytes, safetyCode: string, remoteStaticKey: Bytes }} ChannelState
 */

/** @type {ReceiveOutcome} */
const REJECTED = Object.freeze({ outcome: 'rejected' });

export class SecureChannel {
  #sessionId;
  #caller;
  #party;
  /** @type {HandshakeState | null} null once the handshake is complete, and in a restored channel */
  #handshake;
  /** @type {CipherState | null} */
  #send = null;
  /** @type {CipherState | null} */
  #receive = null;
  /** @type {Bytes | null} */
  #handshakeHash = null;
  /** @type {Bytes | null} */
  #remoteStaticKey = null;
  /** @type {string | null} */
  #safetyCode = null;
  /** @type {Promise<unknown>} */
  #queue = Promise.resolve();

  /**
   * Use forCaller, forSupporter or fromState.
   * @param {string} sessionId
   * @param {boolean} caller
   * @param {HandshakeState | null} handshake
   * @param {number} party
   */
  constructor(sessionId, caller, handshake, party = Party.SUPPORTER) {
    this.#sessionId = sessionId;
    this.#caller = caller;
    this.#handshake = handshake;
    this.#party = party;
  }

  /**
   * The caller's side.
   * @param {{sessionId: string, supporterStaticKey: Bytes, episodeKey: KeyPair,
   *          fixedEphemeral?: KeyPair | null, party?: number}} options supporterStaticKey (the staff member's key) comes from a
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

  /**
   * A staff member's side (the supporter, or a lead with party Party.LEAD), with the device's static X25519 key pair.
   * @param {{sessionId: string, staticKey: KeyPair, fixedEphemeral?: KeyPair | null, party?: number}} options
   */
  static async forSupporter({ sessionId, staticKey, fixedEphemeral = null, party = Party.SUPPORTER }) {
    const handshake = await HandshakeState.create(PROTOCOL_NAME, {
      initiator: false,
      prologue: prologue(sessionId, party),
      s: staticKey,
      e: fixedEphemeral,
    });
    return new SecureChannel(sessionId, false, handshake, party);
  }

  /**
   * An established channel that continues exactly where an exported one stood (same keys, nonces and safety code);
   * it takes no handshake message. `state` is what exportState() gave, possibly after a structured clone (IndexedDB).
   * Rejects (TypeError/RangeError) a malformed state, or one whose safety code does not follow from its handshake hash.
   * @param {unknown} state what exportState gave; checked field by field, as a kept state comes back from storage
   */
  static async fromState(state) {
    const {
      sessionId, party, caller, send, receive, handshakeHash, remoteStaticKey, safetyCode: keptCode,
    } = /** @type {Partial<ChannelState>} */ (state ?? {});
    if (typeof sessionId !== 'string' || sessionId === '') throw new TypeError('A channel state names its session.');
    if (party !== Party.SUPPORTER && party !== Party.LEAD) throw new TypeError('Unknown party.');
    if (typeof caller !== 'boolean') throw new TypeError('A channel state says whether it is the caller side.');
    for (const [name, bytes] of [['handshake hash', handshakeHash], ['remote static key', remoteStaticKey]]) {
      if (!(bytes instanceof Uint8Array) || bytes.length !== DHLEN) throw new TypeError(`The ${name} is a Uint8Array of 32 bytes.`);
    }
    const hash = /** @type {Bytes} checked above */ (handshakeHash);
    const code = await safetyCode(hash);
    if (keptCode !== code) throw new TypeError('The safety code does not match the handshake hash.');
    const channel = new SecureChannel(sessionId, caller, null, party);
    channel.#receive = CipherState.fromState(/** @type {CipherStateExport} CipherState checks it */ (receive));
    channel.#send = CipherState.fromState(/** @type {CipherStateExport} CipherState checks it */ (send));
    channel.#handshakeHash = hash.slice();
    channel.#remoteStaticKey = /** @type {Bytes} checked above */ (remoteStaticKey).slice();
    channel.#safetyCode = code;
    return channel;
  }

  get isEstablished() {
    return this.#send !== null;
  }

  /** The handshake failed for good: this channel will never carry a message. */
  get hasFailed() {
    return this.#handshake?.hasFailed ?? false;
  }

  /** "dddd dddd dddd" once the handshake is complete, else null. */
  get safetyCode() {
    return this.#safetyCode;
  }

  /** The Noise handshake hash once the handshake is complete (a copy), else null: the channel's identity, equal on both sides. */
  get handshakeHash() {
    return this.#handshakeHash === null ? null : this.#handshakeHash.slice();
  }

  /** The other side's static key once known: for a supporter, the caller's episode key. */
  get remoteStaticKey() {
    if (this.#remoteStaticKey !== null) return this.#remoteStaticKey.slice();
    return this.#handshake?.remoteStaticPublicKey ?? null;
  }

  /**
   * The established channel as a structured-cloneable object, to keep it across a reload:
   * { sessionId, party, caller, send: { key, nonce }, receive: { key, nonce }, handshakeHash, safetyCode, remoteStaticKey }.
   * The keys are the channel's non-extractable AES-GCM CryptoKeys (IndexedDB stores them by structured clone without
   * revealing them); nonces are numbers. It waits for every seal and receive called before it, so the nonces include
   * them; export again after each one. Rejects before the handshake is complete.
   * @returns {Promise<ChannelState>}
   */
  exportState() {
    return this.#serial(async () => {
      if (this.#send === null || this.#receive === null || this.#handshakeHash === null || this.#safetyCode === null
        || this.#remoteStaticKey === null) {
        throw new Error('Only an established channel can be exported.');
      }
      return {
        sessionId: this.#sessionId,
        party: this.#party,
        caller: this.#caller,
        send: this.#send.exportState(),
        receive: this.#receive.exportState(),
        handshakeHash: this.#handshakeHash.slice(),
        safetyCode: this.#safetyCode,
        remoteStaticKey: this.#remoteStaticKey.slice(),
      };
    });
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
      if (this.#handshake === null) throw new Error("This channel's handshake is over.");
      return wrap(HANDSHAKE, await this.#handshake.writeMessage(EMPTY));
    });
  }

  /**
   * Seals content for the relay under the seq it will be sent with. Seal each message once: a retry resends the bytes.
   * `messageId` (Uint8Array(16), from newMessageId()) is the end-to-end id chosen when the person wrote the message,
   * kept when it is sealed again under a later channel. Content over MAX_CONTENT bytes is refused (RangeError) and
   * uses no nonce.
   * @param {Uint8Array} messageId
   * @param {Uint8Array} content
   * @param {number | bigint} seq
   * @returns {Promise<Bytes>}
   */
  seal(messageId, content, seq) {
    return this.#serial(async () => {
      const send = this.#send;
      if (send === null) throw new Error('The handshake is not complete.');
      const ad = associatedData(this.#sessionId, this.#outgoing, seq);
      return wrap(TRANSPORT, await send.encryptWithAd(ad, pad(messageId, content)));
    });
  }

  /**
   * Takes one envelope (a Uint8Array; anything else is rejected) that arrived under relay seq `seq` (number or BigInt).
   * @param {unknown} envelope
   * @param {unknown} seq a relay seq; anything else is rejected
   * @returns {Promise<ReceiveOutcome>}
   */
  receive(envelope, seq) {
    return this.#serial(async () => {
      const unwrapped = unwrap(envelope);
      if (unwrapped === null) return REJECTED;
      return unwrapped.type === HANDSHAKE ? this.#receiveHandshake(unwrapped.body) : this.#receiveTransport(unwrapped.body, seq);
    });
  }

  /** @param {Bytes} body @returns {Promise<ReceiveOutcome>} */
  async #receiveHandshake(body) {
    const hs = this.#handshake;
    if (hs === null || hs.isComplete || hs.hasFailed || hs.isMyTurn) return REJECTED;
    if ((await hs.readMessage(body)) === null) return REJECTED;

    let reply;
    if (hs.isMyTurn) reply = wrap(HANDSHAKE, await hs.writeMessage(EMPTY));
    if (hs.isComplete) await this.#establish();
    return reply === undefined ? { outcome: 'handshake' } : { outcome: 'handshake', reply };
  }

  /** @param {Bytes} body @param {unknown} seq @returns {Promise<ReceiveOutcome>} */
  async #receiveTransport(body, seq) {
    const receive = this.#receive;
    if (receive === null) return REJECTED;
    let ad;
    try {
      ad = associatedData(this.#sessionId, this.#incoming, seq);
    } catch {
      return REJECTED; // not a relay seq
    }
    // A replayed, reordered or moved message fails here: wrong nonce, or wrong direction, session or seq in the AD.
    const padded = await receive.decryptWithAd(ad, body);
    const message = padded === null ? null : unpad(padded);
    return message === null ? REJECTED : { outcome: 'message', messageId: message.messageId, content: message.content };
  }

  async #establish() {
    const hs = /** @type {HandshakeState} called while the handshake is on */ (this.#handshake);
    const { send, receive } = await hs.split();
    const handshakeHash = hs.handshakeHash;
    this.#handshakeHash = handshakeHash;
    this.#remoteStaticKey = hs.remoteStaticPublicKey;
    this.#safetyCode = await safetyCode(handshakeHash);
    this.#handshake = null;
    this.#receive = receive;
    this.#send = send; // last: isEstablished means everything is ready
  }

  // Every operation awaits WebCrypto; one at a time keeps nonces and the transcript in call order.
  /**
   * @template T
   * @param {() => Promise<T>} operation
   * @returns {Promise<T>}
   */
  #serial(operation) {
    const result = this.#queue.then(operation);
    this.#queue = result.catch(() => {});
    return result;
  }
}
