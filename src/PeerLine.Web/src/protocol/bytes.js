// Byte helpers shared by the protocol modules. Everything is a Uint8Array.

/**
 * Bytes backed by a plain ArrayBuffer: what WebCrypto accepts, and what every helper here returns.
 * @typedef {Uint8Array<ArrayBuffer>} Bytes
 */

const encoder = new TextEncoder();

/** @type {Bytes} */
export const EMPTY = new Uint8Array(0);

/** @param {string} text @returns {Bytes} */
export function utf8(text) {
  return encoder.encode(text);
}

/** @param {string} hex @returns {Bytes} */
export function fromHex(hex) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new TypeError('Not an even-length hex string.');
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** @param {Uint8Array} bytes */
export function toHex(bytes) {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** @param {Uint8Array} bytes */
export function toBase64(bytes) {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** @param {Uint8Array} bytes */
export function toBase64Url(bytes) {
  return toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Accepts the standard and the URL-safe alphabet, with or without padding.
 * @param {string} text
 * @returns {Bytes}
 */
export function fromBase64(text) {
  let b64 = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (b64.length % 4 === 1) throw new TypeError('Not base64.');
  b64 += '='.repeat((4 - (b64.length % 4)) % 4);
  const binary = atob(b64);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export const fromBase64Url = fromBase64;

/** @param {ArrayLike<number>[]} parts @returns {Bytes} */
export function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Byte equality without an early exit on the first difference.
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 */
export function equal(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** @param {Uint8Array} bytes */
export function isAllZero(bytes) {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}
