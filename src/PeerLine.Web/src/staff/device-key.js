// This device's static X25519 key: created once per login, kept in IndexedDB as a non-extractable CryptoKey
// (the browser can use it but no script can read it out), and enrolled with the server for certification (§2).

import { toBase64 } from '../protocol/bytes.js';
import { generateKeyPair } from '../protocol/noise.js';

const DATABASE = 'peerline-staff';
const STORE = 'device-keys';
const EPISODES = 'episodes';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 2);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE);
      if (!db.objectStoreNames.contains(EPISODES)) db.createObjectStore(EPISODES);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action, store = STORE) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = action(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** The device key of this login on this browser, created on first use. */
export async function deviceKeyFor(login) {
  const stored = await run('readonly', (store) => store.get(login));
  if (stored?.privateKey instanceof CryptoKey && stored.publicKey instanceof Uint8Array) return stored;
  return replaceDeviceKey(login);
}

/** A new key for this login (after a revocation); the old one is gone from this browser. */
export async function replaceDeviceKey(login) {
  const pair = await generateKeyPair(); // the private key is created non-extractable
  await run('readwrite', (store) => store.put({ privateKey: pair.privateKey, publicKey: pair.publicKey }, login));
  return pair;
}

/** POST /api/staff/device-key: { keyId, status: 'awaiting-certification'|'certified'|'revoked', certificate }. */
export async function enroll(publicKey) {
  const response = await fetch('/api/staff/device-key', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ publicKey: toBase64(publicKey) }),
  });
  if (response.status === 401) throw Object.assign(new Error('signed-out'), { code: 'signed-out' });
  if (!response.ok) throw Object.assign(new Error('unavailable'), { code: 'unavailable' });
  return response.json();
}

// ---- Episodes this device has met: a caller who took a return code is recognised by the episode key their next
// handshake uses. Kept on this device only, per login: the day of the first meeting and its topic code.

const episodeId = (login, episodeKey) => `${login}|${episodeKey}`;

export function rememberEpisode(login, episodeKey, topic) {
  const firstMet = new Date().toISOString().slice(0, 10);
  return run('readwrite', (store) => store.put({ firstMet, topic }, episodeId(login, episodeKey)), EPISODES);
}

/** { firstMet: 'YYYY-MM-DD', topic } for a returning caller's episode key, or undefined. */
export function recallEpisode(login, episodeKey) {
  return run('readonly', (store) => store.get(episodeId(login, episodeKey)), EPISODES);
}
