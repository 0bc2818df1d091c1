// The request puzzle (docs/protocol.md §3), as src/PeerLine.Protocol/Puzzle/ProofOfWork.cs solves it: the smallest
// nonce 0, 1, 2, … (8 bytes, big-endian) whose PBKDF2-HMAC-SHA256 over the challenge begins with `bits` zero bits.
// WebCrypto runs PBKDF2 off the calling thread, so several attempts are kept in flight at once (`parallel`).

/** @import { Bytes } from './bytes.js' */

export const NONCE_BYTES = 8;
const OUTPUT_BITS = 256;
const MAX_BITS = 64;

/**
 * Attempts in flight at once. Chromium runs all WebCrypto of a page (its workers included) on one thread, so more
 * than one gains nothing there but costs nothing either (measured); Node and Firefox run it on a thread pool, where
 * several in flight use several cores.
 */
export const DEFAULT_PARALLEL = 4;

/**
 * How many zero bits the bytes begin with (most significant bit of byte 0 first).
 * @param {Uint8Array} bytes
 */
export function leadingZeroBits(bytes) {
  let zeros = 0;
  for (const b of bytes) {
    if (b !== 0) return zeros + Math.clz32(b) - 24;
    zeros += 8;
  }
  return zeros;
}

/**
 * The nonce for attempt n: n as an 8-byte big-endian unsigned integer.
 * @param {number} n a safe integer ≥ 0
 * @returns {Bytes}
 */
export function nonceFor(n) {
  const nonce = new Uint8Array(NONCE_BYTES);
  new DataView(nonce.buffer).setBigUint64(0, BigInt(n));
  return nonce;
}

/**
 * PBKDF2-HMAC-SHA256(password = nonce, salt = challenge, iterations), 32 bytes.
 * @param {Bytes} challenge
 * @param {Bytes} nonce
 * @param {number} iterations
 */
export async function puzzleOutput(challenge, nonce, iterations) {
  const key = await crypto.subtle.importKey('raw', nonce, 'PBKDF2', false, ['deriveBits']);
  return new Uint8Array(await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: challenge, iterations }, key, OUTPUT_BITS));
}

/**
 * Whether the nonce solves the challenge at this difficulty.
 * @param {Bytes} challenge
 * @param {Bytes} nonce
 * @param {number} bits
 * @param {number} iterations
 */
export async function isSolution(challenge, nonce, bits, iterations) {
  if (nonce.length !== NONCE_BYTES || bits < 0 || bits > MAX_BITS || iterations < 1) return false;
  return leadingZeroBits(await puzzleOutput(challenge, nonce, iterations)) >= bits;
}

/**
 * The smallest solving nonce. Attempts are started in order, `parallel` at a time; once one solves, none is started
 * after it and the ones before it still running are awaited, so the answer is the smallest, as a sequential search
 * would find it.
 * @param {{ challenge: Bytes, bits: number, iterations: number }} puzzle
 * @param {{ parallel?: number, signal?: AbortSignal }} [options] signal: stops the search (the promise rejects with its reason)
 * @returns {Promise<Bytes>}
 */
export function solve({ challenge, bits, iterations }, { parallel = DEFAULT_PARALLEL, signal } = {}) {
  if (!Number.isInteger(bits) || bits < 0 || bits > MAX_BITS) return Promise.reject(new RangeError('bits out of range'));
  if (!Number.isInteger(iterations) || iterations < 1) return Promise.reject(new RangeError('iterations out of range'));
  return new Promise((resolve, reject) => {
    let next = 0;
    let running = 0;
    let best = Infinity; // the smallest solving attempt seen so far
    let failed = false;
    const fail = (/** @type {unknown} */ error) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    signal?.addEventListener('abort', () => fail(signal.reason), { once: true });
    const launch = () => {
      while (!failed && running < parallel && next < best) {
        const n = next++;
        running++;
        puzzleOutput(challenge, nonceFor(n), iterations).then((output) => {
          running--;
          if (leadingZeroBits(output) >= bits && n < best) best = n;
          if (failed) return;
          if (running === 0 && next >= best) resolve(nonceFor(best));
          else launch();
        }, fail);
      }
    };
    if (signal?.aborted) fail(signal.reason);
    else launch();
  });
}
