// Chat state at rest in IndexedDB. One record per key:
//   { stateKey, keys, iv, data }
// stateKey: a non-extractable AES-256-GCM CryptoKey made for this record (IndexedDB keeps it by structured clone, so
// no script can read it out); keys: the CryptoKeys of the state (channel keys, the episode private key), also by
// structured clone and non-extractable; data: everything else as JSON, encrypted under stateKey with a fresh 12-byte
// IV per write (iv). In the JSON, a CryptoKey is {"$key": index into keys}, bytes are {"$bytes": base64}.

import { fromBase64, toBase64, utf8 } from '../protocol/bytes.js';

const subtle = globalThis.crypto.subtle;
const decoder = new TextDecoder();

/** @typedef {{ name: string, version: number, stores: string[] }} DatabaseSpec */
/** @typedef {{ stateKey: CryptoKey, keys: CryptoKey[], iv: Uint8Array<ArrayBuffer>, data: Uint8Array<ArrayBuffer> }} VaultRecord */

/**
 * Opens (and creates or upgrades) a database whose object stores are `stores` (out-of-line keys).
 * @param {string} name
 * @param {number} version
 * @param {string[]} stores
 * @returns {Promise<IDBDatabase>}
 */
export function openDatabase(name, version, stores) {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = () => {
      for (const store of stores) if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * One request in its own transaction, the database closed afterwards (so that it can be deleted at any time).
 * @template T
 * @param {DatabaseSpec} database
 * @param {string} store
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} action
 * @returns {Promise<T>}
 */
export async function inStore({ name, version, stores }, store, mode, action) {
  const db = await openDatabase(name, version, stores);
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(store, mode);
      const request = action(transaction.objectStore(store));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    db.close();
  }
}

/** @param {string} name @returns {Promise<void>} */
export function deleteDatabase(name) {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** The encrypted records of one object store. */
export class Vault {
  #database;
  #store;
  /** @type {Map<IDBValidKey, CryptoKey>} record key -> its state key, once read or made */
  #stateKeys = new Map();

  /** @param {DatabaseSpec} database @param {string} store */
  constructor(database, store) {
    this.#database = database;
    this.#store = store;
  }

  /**
   * The value kept under `key`, or null (none, or it cannot be read any more).
   * @param {IDBValidKey} key
   * @returns {Promise<any>} what was saved: its owner knows the shape
   */
  async load(key) {
    /** @type {VaultRecord | undefined} */
    const record = await inStore(this.#database, this.#store, 'readonly', (s) => s.get(key));
    if (!record?.stateKey) return null;
    try {
      const plain = await subtle.decrypt({ name: 'AES-GCM', iv: record.iv }, record.stateKey, record.data);
      this.#stateKeys.set(key, record.stateKey);
      return join(JSON.parse(decoder.decode(plain)), record.keys);
    } catch {
      return null;
    }
  }

  /** @param {IDBValidKey} key @param {unknown} value */
  async save(key, value) {
    const stateKey = this.#stateKeys.get(key) ?? await this.#stateKeyOf(key);
    /** @type {CryptoKey[]} */
    const keys = [];
    const json = JSON.stringify(split(value, keys));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, stateKey, utf8(json)));
    await inStore(this.#database, this.#store, 'readwrite', (s) => s.put({ stateKey, keys, iv, data }, key));
  }

  /** Every key kept in this store. */
  keys() {
    return inStore(this.#database, this.#store, 'readonly', (s) => s.getAllKeys());
  }

  /** @param {IDBValidKey} key */
  async remove(key) {
    this.#stateKeys.delete(key);
    await inStore(this.#database, this.#store, 'readwrite', (s) => s.delete(key));
  }

  /** @param {IDBValidKey} key @returns {Promise<CryptoKey>} */
  async #stateKeyOf(key) {
    /** @type {VaultRecord | undefined} */
    const record = await inStore(this.#database, this.#store, 'readonly', (s) => s.get(key));
    const stateKey = record?.stateKey ?? await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    this.#stateKeys.set(key, stateKey);
    return stateKey;
  }
}

/**
 * Writes one record as often as asked, but never two writes at once and never a stale one last: a save while a
 * write is under way waits for it and writes the newest snapshot. After erase(), nothing is written any more.
 */
export class RecordKeeper {
  #vault;
  #key;
  #snapshot;
  /** @type {Promise<void>} */
  #writing = Promise.resolve();
  /** @type {Promise<void> | null} */
  #next = null;
  #erased = false;

  /**
   * @param {{save: (key: string, value: unknown) => Promise<void>, remove: (key: string) => Promise<void>}} vault
   * @param {string} key
   * @param {() => Promise<object>} snapshot
   */
  constructor(vault, key, snapshot) {
    this.#vault = vault;
    this.#key = key;
    this.#snapshot = snapshot;
  }

  /** @returns {Promise<void>} */
  save() {
    if (this.#erased) return Promise.resolve();
    this.#next ??= this.#writing.then(async () => {
      this.#next = null;
      if (this.#erased) return;
      try {
        await this.#vault.save(this.#key, await this.#snapshot());
      } catch {
        // storage refused (private mode, quota): the chat goes on from memory, as before this store existed
      }
    });
    const next = this.#next;
    this.#writing = next;
    return next;
  }

  async erase() {
    this.#erased = true;
    await this.#writing;
    await this.#vault.remove(this.#key).catch(() => {});
  }
}

/**
 * `value` as JSON-safe data; CryptoKeys go to `keys`.
 * @param {unknown} value
 * @param {CryptoKey[]} keys
 * @returns {unknown}
 */
export function split(value, keys) {
  if (value instanceof CryptoKey) return { $key: keys.push(value) - 1 };
  if (value instanceof Uint8Array) return { $bytes: toBase64(value) };
  if (typeof value === 'bigint') return { $bigint: value.toString() };
  if (Array.isArray(value)) return value.map((item) => split(item, keys));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, split(item, keys)]));
  }
  return value;
}

/**
 * The value `split` gave, with its CryptoKeys, bytes and BigInts back.
 * @param {unknown} value
 * @param {CryptoKey[]} keys
 * @returns {any} the saved value again: its owner knows the shape
 */
export function join(value, keys) {
  if (Array.isArray(value)) return value.map((item) => join(item, keys));
  if (value !== null && typeof value === 'object') {
    if ('$key' in value) return keys[/** @type {number} */ (value.$key)];
    if ('$bytes' in value) return fromBase64(/** @type {string} */ (value.$bytes));
    if ('$bigint' in value) return BigInt(/** @type {string} */ (value.$bigint));
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, join(item, keys)]));
  }
  return value;
}
