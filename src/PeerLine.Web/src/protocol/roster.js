// Roster certificates (docs/protocol.md §11.8). Mirrors src/PeerLine.Protocol/Roster/.
// "PLRC" | version 1 | key id (16) | X25519 public key (32) | not before (int64 BE, Unix seconds) |
// not after (int64 BE) | handle length (1) | handle (UTF-8) | Ed25519 signature (64) over everything before it.

import { equal, toHex, utf8 } from './bytes.js';
import { sha256 } from './noise.js';

/** @import { Bytes } from './bytes.js' */
/**
 * A roster certificate whose structure is sound and whose signature verifies.
 * @typedef {{ keyId: Bytes, keyIdHex: string, staticKey: Bytes, notBefore: bigint, notAfter: bigint, handle: string }} Certificate
 */

const subtle = globalThis.crypto.subtle;

const MAGIC = utf8('PLRC');
export const CERTIFICATE_VERSION = 1;
export const KEY_ID_SIZE = 16;
export const MAX_HANDLE_BYTES = 64;
/** How far a device's clock may be off: a certificate counts as valid this much before and after its window. */
export const CLOCK_SKEW_SECONDS = 600;
const SIGNATURE_SIZE = 64;
const BODY_FIXED = 70; // everything before the handle

export const Verdict = Object.freeze({
  TRUSTED: 'trusted',
  BAD_SIGNATURE: 'bad-signature',
  NOT_YET_VALID: 'not-yet-valid',
  EXPIRED: 'expired',
  REVOKED: 'revoked',
});

// fatal: invalid UTF-8 is refused as in .NET; ignoreBOM: a leading U+FEFF stays part of the handle, as in .NET.
const handleDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A device key's id: the first 16 bytes of SHA-256 of its X25519 public key.
 * @param {Bytes} staticKey
 */
export async function keyIdFor(staticKey) {
  return (await sha256(staticKey)).slice(0, KEY_ID_SIZE);
}

/**
 * Imports the pinned 32-byte Ed25519 roster public key.
 * @param {Bytes} raw
 */
export function importRosterKey(raw) {
  if (raw.length !== 32) throw new RangeError('An Ed25519 public key is 32 bytes.');
  return subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
}

/**
 * Checks a signed certificate, in the order of RosterTrust.Check; the first failing step gives the verdict.
 * @param {unknown} signed the certificate's bytes; anything else is a bad signature
 * @param {{rosterPublicKey: Bytes | CryptoKey, now?: Date, revokedKeyIds?: Iterable<string>, clockSkewSeconds?: number}} trust
 *   revokedKeyIds are hex (GET /api/roster serves lower case; case does not matter here). clockSkewSeconds: how far
 *   this device's clock may be off (CLOCK_SKEW_SECONDS unless given).
 * @returns {Promise<{verdict: string, certificate?: Certificate}>} certificate is present unless the verdict is 'bad-signature'.
 *   Use its staticKey for a handshake only when the verdict is 'trusted'.
 */
export async function checkCertificate(signed, { rosterPublicKey, now = new Date(), revokedKeyIds = [], clockSkewSeconds = CLOCK_SKEW_SECONDS }) {
  if (Number.isNaN(now.getTime())) throw new RangeError('Invalid date.');
  const nowSeconds = BigInt(Math.floor(now.getTime() / 1000)); // flooring keeps both comparisons exact
  const skew = BigInt(clockSkewSeconds);
  const key = rosterPublicKey instanceof Uint8Array ? await importRosterKey(rosterPublicKey) : rosterPublicKey;

  const certificate = await verify(signed, key);
  if (certificate === null) return { verdict: Verdict.BAD_SIGNATURE };
  if (nowSeconds + skew < certificate.notBefore) return { verdict: Verdict.NOT_YET_VALID, certificate };
  if (nowSeconds - skew >= certificate.notAfter) return { verdict: Verdict.EXPIRED, certificate };
  const revoked = new Set(Array.from(revokedKeyIds, (id) => id.toLowerCase()));
  if (revoked.has(certificate.keyIdHex)) return { verdict: Verdict.REVOKED, certificate };
  return { verdict: Verdict.TRUSTED, certificate };
}

/**
 * The parsed certificate when its structure is sound and the signature verifies, else null.
 * @param {unknown} candidate
 * @param {CryptoKey} rosterKey
 * @returns {Promise<Certificate | null>}
 */
async function verify(candidate, rosterKey) {
  if (!(candidate instanceof Uint8Array) || candidate.length < BODY_FIXED + SIGNATURE_SIZE) return null;
  const signed = /** @type {Bytes} */ (candidate);
  if (!equal(signed.subarray(0, 4), MAGIC) || signed[4] !== CERTIFICATE_VERSION) return null;
  const handleLength = signed[69];
  if (handleLength > MAX_HANDLE_BYTES || signed.length !== BODY_FIXED + handleLength + SIGNATURE_SIZE) return null;

  const body = signed.subarray(0, signed.length - SIGNATURE_SIZE);
  const signature = signed.subarray(signed.length - SIGNATURE_SIZE);
  try {
    if (!(await subtle.verify({ name: 'Ed25519' }, rosterKey, signature, body))) return null;
  } catch {
    return null;
  }

  let handle;
  try {
    handle = handleDecoder.decode(body.subarray(BODY_FIXED, BODY_FIXED + handleLength));
  } catch {
    return null;
  }
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const keyId = body.slice(5, 5 + KEY_ID_SIZE);
  // The key id names the key for revocation, so it must be that key's id and no other.
  if (!equal(keyId, await keyIdFor(body.subarray(21, 53)))) return null;
  return {
    keyId,
    keyIdHex: toHex(keyId),
    staticKey: body.slice(21, 53),
    notBefore: view.getBigInt64(53), // Unix seconds, BigInt
    notAfter: view.getBigInt64(61),
    handle,
  };
}
