// This device's static X25519 key: created once per login, kept in IndexedDB as a non-extractable CryptoKey
// (the browser can use it but no script can read it out), and enrolled with the server for certification (§2).

import { toBase64 } from '../protocol/bytes.js';
import { generateKeyPair } from '../protocol/noise.js';

const DATABASE = 'peerline-staff';
const STORE = 'device-keys';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = action(transaction.objectStore(STORE));
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
