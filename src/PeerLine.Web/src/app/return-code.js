// Return codes (continuity without identity, docs/features/return-codes.md): sixteen characters the caller writes down.
// Nothing of the code is stored on the device or sent: the server gets a lookup value derived from it, and the
// caller's next episode key is derived from it too, so the earlier supporter's console can recognise the episode.

import { concat, utf8 } from '../protocol/bytes.js';
import { keyPairFromPrivate, sha256 } from '../protocol/noise.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U
const LENGTH = 16; // 80 bits

/** A fresh code, "XXXX-XXXX-XXXX-XXXX". */
export function newReturnCode() {
  const bytes = crypto.getRandomValues(new Uint8Array(LENGTH));
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}

/** The 16 characters of what a person typed (case, spaces and dashes ignored; O→0, I/L→1), or null. */
/** @param {unknown} typed */
export function normalizeReturnCode(typed) {
  const chars = String(typed ?? '').toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return chars.length === LENGTH && [...chars].every((c) => ALPHABET.includes(c)) ? chars : null;
}

/** What the server may see: SHA-256("PeerLine-return-lookup-v1" | code). */
/** @param {string} code */
export function returnLookup(code) {
  return sha256(concat(utf8('PeerLine-return-lookup-v1'), utf8(code)));
}

/** The episode key of the conversations this code opens: X25519 from SHA-256("PeerLine-return-episode-v1" | code). */
/** @param {string} code */
export async function returnEpisodeKey(code) {
  return keyPairFromPrivate(await sha256(concat(utf8('PeerLine-return-episode-v1'), utf8(code))));
}
