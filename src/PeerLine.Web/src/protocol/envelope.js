// The E2E envelope (docs/protocol.md §11.2, §11.3, §11.5): header, session binding and padding.
// Mirrors src/PeerLine.Protocol/E2E/Envelope.cs, Binding.cs and Padding.cs.

import { concat, toHex, utf8 } from './bytes.js';

/** @import { Bytes } from './bytes.js' */

/** Envelope format 2: transport plaintexts carry the end-to-end message id. Version 1 envelopes are rejected. */
export const VERSION = 0x02;
export const HANDSHAKE = 0x01;
export const TRANSPORT = 0x02;
export const RESTART_REQUEST = 0x03;
export const HEADER_SIZE = 2;
const TAG_SIZE = 16;

export const Direction = Object.freeze({ CALLER_TO_SUPPORTER: 0x01, SUPPORTER_TO_CALLER: 0x02, CALLER_TO_LEAD: 0x03, LEAD_TO_CALLER: 0x04 });

/** Which staff member a caller's channel is with: the supporter, or a lead the caller let in (prologue byte). */
export const Party = Object.freeze({ SUPPORTER: 0x00, LEAD: 0x01 });

export const PROTOCOL_NAME = 'Noise_XK_25519_AESGCM_SHA256';
const LABEL = utf8('PeerLine-E2E-v2');

// ---- Envelope: version (1) | type (1) | body

/** @param {number} type @param {ArrayLike<number>} body */
export function wrap(type, body) {
  return concat([VERSION, type], body);
}

/**
 * 02 03: the supporter's side has no channel for this session and asks the caller for a new handshake. Not
 * authenticated; all it can cause is a new handshake with the same certified supporter key.
 */
export function restartRequest() {
  return new Uint8Array([VERSION, RESTART_REQUEST]);
}

/** @param {unknown} envelope */
export function isRestartRequest(envelope) {
  return envelope instanceof Uint8Array && envelope.length === HEADER_SIZE && envelope[0] === VERSION && envelope[1] === RESTART_REQUEST;
}

/**
 * { type, body }, or null for a truncated envelope, an unknown version or type, or a restart request.
 * @param {unknown} envelope
 * @returns {{ type: number, body: Bytes } | null}
 */
export function unwrap(envelope) {
  if (!(envelope instanceof Uint8Array) || envelope.length < HEADER_SIZE || envelope[0] !== VERSION) return null;
  const type = envelope[1];
  if (type !== HANDSHAKE && type !== TRANSPORT) return null;
  return { type, body: /** @type {Bytes} */ (envelope.subarray(HEADER_SIZE)) };
}

// ---- Binding

/**
 * "PeerLine-E2E-v2" | party (00 supporter, 01 lead) | session id (UTF-8).
 * @param {string} sessionId
 * @param {number} party
 */
export function prologue(sessionId, party = Party.SUPPORTER) {
  return concat(LABEL, [party], utf8(sessionId));
}

/**
 * "PeerLine-E2E-v2" | 00 | direction (1) | seq (int64 BE) | session id (UTF-8).
 * @param {string} sessionId
 * @param {number} direction
 * @param {unknown} seq a relay seq (RangeError for anything else)
 */
export function associatedData(sessionId, direction, seq) {
  if (!/** @type {number[]} */ (Object.values(Direction)).includes(direction)) {
    throw new RangeError('Unknown direction.');
  }
  const header = new Uint8Array(LABEL.length + 1 + 1 + 8);
  header.set(LABEL);
  header[LABEL.length + 1] = direction;
  new DataView(header.buffer).setBigInt64(LABEL.length + 2, toSeq(seq));
  return concat(header, utf8(sessionId));
}

/**
 * A relay seq as a BigInt. Relay seqs start at 1; anything else is a caller's mistake.
 * @param {unknown} seq
 */
export function toSeq(seq) {
  const value = typeof seq === 'bigint' ? seq : Number.isSafeInteger(seq) ? BigInt(/** @type {number} */ (seq)) : null;
  if (value === null || value < 1n || value > 2n ** 63n - 1n) throw new RangeError('A seq is an integer from 1 to 2^63 - 1.');
  return value;
}

// ---- Message ids: 16 random bytes the sender gives a message when the person writes it, kept when the same message
// is sealed again under a later channel, so the receiver shows it once. Inside the ciphertext: the server never sees it.

export const MESSAGE_ID_SIZE = 16;

/** A fresh end-to-end message id: 16 random bytes. */
export function newMessageId() {
  return globalThis.crypto.getRandomValues(new Uint8Array(MESSAGE_ID_SIZE));
}

/**
 * The id as 32 lowercase hex digits (for `data-message-id`, map keys, the `seen` set).
 * @param {unknown} messageId a message id; anything else is a TypeError
 */
export function messageIdHex(messageId) {
  requireMessageId(messageId);
  return toHex(messageId);
}

/**
 * @param {unknown} messageId
 * @returns {asserts messageId is Uint8Array}
 */
function requireMessageId(messageId) {
  if (!(messageId instanceof Uint8Array) || messageId.length !== MESSAGE_ID_SIZE) throw new TypeError('A message id is a Uint8Array of 16 bytes.');
}

// ---- Padding: message id (16) | uint16 BE length L | content (L) | zeros, so that the whole envelope is one bucket size.

export const BUCKETS = Object.freeze([256, 1024, 4096, 16384]);
/** Header (2) + tag (16) + message id (16) + length (2). */
export const OVERHEAD = HEADER_SIZE + TAG_SIZE + MESSAGE_ID_SIZE + 2;
/** 16348 bytes. */
export const MAX_CONTENT = BUCKETS[BUCKETS.length - 1] - OVERHEAD;
const MIN_PADDED = MESSAGE_ID_SIZE + 2;

/** @param {Uint8Array} messageId @param {Uint8Array} content */
export function pad(messageId, content) {
  requireMessageId(messageId);
  if (content.length > MAX_CONTENT) throw new RangeError(`Content is limited to ${MAX_CONTENT} bytes.`);
  const bucket = /** @type {number} content fits the last bucket */ (BUCKETS.find((b) => b - OVERHEAD >= content.length));
  const padded = new Uint8Array(bucket - HEADER_SIZE - TAG_SIZE);
  padded.set(messageId);
  new DataView(padded.buffer).setUint16(MESSAGE_ID_SIZE, content.length);
  padded.set(content, MIN_PADDED);
  return padded;
}

/**
 * { messageId, content }, or null when the plaintext is shorter than 18 bytes, the length does not fit, or the padding is not all zeros.
 * @param {Bytes} padded
 */
export function unpad(padded) {
  if (padded.length < MIN_PADDED) return null;
  const length = (padded[MESSAGE_ID_SIZE] << 8) | padded[MESSAGE_ID_SIZE + 1];
  if (length > padded.length - MIN_PADDED) return null;
  for (let i = MIN_PADDED + length; i < padded.length; i++) if (padded[i] !== 0) return null;
  return { messageId: padded.slice(0, MESSAGE_ID_SIZE), content: padded.slice(MIN_PADDED, MIN_PADDED + length) };
}
