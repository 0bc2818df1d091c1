// This device's static X25519 key: created once per login, kept in IndexedDB as a non-extractable CryptoKey
// (the browser can use it but no script can read it out), and enrolled with the server for certification (§2).

import { toBase64 } from '../protocol/bytes.js';
import { generateKeyPair } from '../protocol/noise.js';
import { inStore } from '../app/vault.js';
import { ErrorCodes, refusal } from '../app/wire.js';

/**
 * The console's database: the device keys (by login), the episodes met (docs/features/return-codes.md) and, per held session, the chat's lane
 * state and transcript (by LOGIN|SESSIONID, encrypted as app/vault.js describes).
 */
export const STAFF_DATABASE = Object.freeze({ name: 'peerline-staff', version: 3, stores: ['device-keys', 'episodes', 'lanes'] });
const STORE = 'device-keys';
/** The enrolment's answer when the staff member's cookie is gone (401): a client code, not a wire code. */
export const SIGNED_OUT = 'signed-out';
const EPISODES = 'episodes';

/** @import { KeyPair } from '../protocol/noise.js' */
/** @typedef {{ keyId: string | null, status: string, certificate?: string }} Enrolment POST /api/staff/device-key's answer */
/** @typedef {{ firstMet: string, topic: string }} Episode */

/**
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} action
 */
const run = (mode, action, store = STORE) => inStore(STAFF_DATABASE, store, mode, action);

/**
 * The device key of this login on this browser, created on first use.
 * @param {string} login
 * @returns {Promise<KeyPair>}
 */
export async function deviceKeyFor(login) {
  const stored = await run('readonly', (store) => store.get(login));
  if (stored?.privateKey instanceof CryptoKey && stored.publicKey instanceof Uint8Array) return stored;
  return replaceDeviceKey(login);
}

/**
 * A new key for this login (after a revocation); the old one is gone from this browser.
 * @param {string} login
 */
export async function replaceDeviceKey(login) {
  const pair = await generateKeyPair(); // the private key is created non-extractable
  await run('readwrite', (store) => store.put({ privateKey: pair.privateKey, publicKey: pair.publicKey }, login));
  return pair;
}

/**
 * POST /api/staff/device-key: { keyId, status: 'awaiting-certification'|'certified'|'revoked', certificate }.
 * @param {Uint8Array} publicKey
 * @returns {Promise<Enrolment>}
 */
export async function enroll(publicKey) {
  const response = await fetch('/api/staff/device-key', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ publicKey: toBase64(publicKey) }),
  });
  if (response.status === 401) throw refusal(SIGNED_OUT);
  if (!response.ok) throw refusal(ErrorCodes.Unavailable);
  return response.json();
}

// ---- Episodes this device has met: a caller who took a return code is recognised by the episode key their next
// handshake uses. Kept on this device only, per login: the day of the first meeting and its topic code.

/** @param {string} login @param {string} episodeKey base64 */
const episodeId = (login, episodeKey) => `${login}|${episodeKey}`;

/** @param {string} login @param {string} episodeKey @param {string} topic */
export function rememberEpisode(login, episodeKey, topic) {
  const firstMet = new Date().toISOString().slice(0, 10);
  return run('readwrite', (store) => store.put({ firstMet, topic }, episodeId(login, episodeKey)), EPISODES);
}

/**
 * { firstMet: 'YYYY-MM-DD', topic } for a returning caller's episode key, or undefined.
 * @param {string} login
 * @param {string} episodeKey
 * @returns {Promise<Episode | undefined>}
 */
export function recallEpisode(login, episodeKey) {
  return run('readonly', (store) => store.get(episodeId(login, episodeKey)), EPISODES);
}
