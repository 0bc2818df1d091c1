// The safety code (docs/protocol.md §11.7): twelve digits both people can read aloud.

import { concat, utf8 } from './bytes.js';
import { sha256 } from './noise.js';

const LABEL = utf8('PeerLine-safety-code-v1');

/** SHA-256(label | handshake hash), first 8 bytes big-endian, modulo 10^12, as "dddd dddd dddd". */
/** @param {import('./bytes.js').Bytes} handshakeHash */
export async function safetyCode(handshakeHash) {
  const digest = await sha256(concat(LABEL, handshakeHash));
  const value = new DataView(digest.buffer).getBigUint64(0) % 10n ** 12n; // beyond 2^53: BigInt
  const digits = value.toString().padStart(12, '0');
  return `${digits.slice(0, 4)} ${digits.slice(4, 8)} ${digits.slice(8)}`;
}
