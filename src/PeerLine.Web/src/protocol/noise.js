// The Noise Protocol Framework (revision 34) for the suite 25519_AESGCM_SHA256, on WebCrypto.
// Mirrors src/PeerLine.Protocol/Noise/. Every operation is async because WebCrypto is.

import { EMPTY, concat, fromBase64Url, fromHex, isAllZero } from './bytes.js';

/** @import { Bytes } from './bytes.js' */
/**
 * An X25519 key pair: the private half stays inside WebCrypto.
 * @typedef {{ privateKey: CryptoKey, publicKey: Bytes }} KeyPair
 */
/**
 * A transport state as kept between page loads (see CipherState.exportState).
 * @typedef {{ key: CryptoKey, nonce: number | bigint }} CipherStateExport
 */
/** @typedef {ReturnType<typeof parsePattern>} HandshakePattern */

const subtle = globalThis.crypto.subtle;

export const DHLEN = 32;
export const TAGLEN = 16;
const HASHLEN = 32;
const SUITE = '_25519_AESGCM_SHA256';
const MAX_NONCE = 2n ** 64n - 1n; // reserved by the spec: refused rather than used
const PKCS8_X25519_PREFIX = fromHex('302e020100300506032b656e04220420');

/** @param {Bytes} data */
export async function sha256(data) {
  return new Uint8Array(await subtle.digest('SHA-256', data));
}

// ---- X25519. A key pair is { privateKey: CryptoKey, publicKey: Uint8Array(32) }.

/** @returns {Promise<KeyPair>} */
export async function generateKeyPair() {
  const pair = await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)) };
}

/**
 * From a raw 32-byte private key (test vectors, stored keys). The returned private key is not extractable.
 * @param {Bytes} raw
 * @returns {Promise<KeyPair>}
 */
export async function keyPairFromPrivate(raw) {
  if (raw.length !== DHLEN) throw new RangeError('An X25519 private key is 32 bytes.');
  const pkcs8 = concat(PKCS8_X25519_PREFIX, raw);
  // WebCrypto has no "public key of": an extractable copy exports it as the JWK "x", then is dropped.
  const { x } = await subtle.exportKey('jwk', await subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, true, ['deriveBits']));
  const privateKey = await subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  return { privateKey, publicKey: fromBase64Url(/** @type {string} */ (x)) };
}

/**
 * The shared secret, or null when the platform refuses the peer key or the result is all zeros (low order).
 * @param {KeyPair} keyPair
 * @param {Bytes} remotePublic
 */
async function dh(keyPair, remotePublic) {
  try {
    const peer = await subtle.importKey('raw', remotePublic, { name: 'X25519' }, true, []);
    const shared = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peer }, keyPair.privateKey, 256));
    return isAllZero(shared) ? null : shared;
  } catch {
    return null;
  }
}

// ---- HKDF as in Noise §4.3, composed from HMAC-SHA256 (RFC 5869 with salt = ck and empty info).
// WebCrypto's own HKDF is not used: Split() has empty input keying material, which not every platform imports.

/** @param {Bytes} key @param {Bytes} data */
async function hmac(key, data) {
  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, data));
}

/** @param {Bytes} chainingKey @param {Bytes} inputKeyMaterial @param {number} outputs */
async function hkdf(chainingKey, inputKeyMaterial, outputs) {
  const temp = await hmac(chainingKey, inputKeyMaterial);
  const result = [];
  let previous = EMPTY;
  for (let i = 1; i <= outputs; i++) {
    previous = await hmac(temp, concat(previous, [i]));
    result.push(previous);
  }
  return result;
}

// ---- CipherState: AES-256-GCM with a 64-bit counter nonce.

/** @param {bigint} n */
function nonceBytes(n) {
  const nonce = new Uint8Array(12);
  new DataView(nonce.buffer).setBigUint64(4, n);
  return nonce;
}

export class CipherState {
  /** @type {CryptoKey | null} a non-extractable AES-GCM CryptoKey, or null */
  #key = null;
  #n = 0n;

  /** @param {Bytes} raw */
  static async withKey(raw) {
    const state = new CipherState();
    await state.initializeKey(raw);
    return state;
  }

  /** @param {Bytes | null} raw */
  async initializeKey(raw) {
    if (raw !== null && raw.length !== 32) throw new RangeError('A cipher key is 32 bytes.');
    this.#key = raw === null ? null : await subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
    this.#n = 0n;
  }

  /**
   * A transport state that continues where an exported one stood (see exportState). The key must be a
   * non-extractable AES-GCM CryptoKey; the nonce a safe integer or a BigInt. Never let two live states seal with the
   * same key and nonce.
   * @param {CipherStateExport} state
   */
  static fromState({ key, nonce }) {
    if (!(key instanceof CryptoKey) || key.type !== 'secret' || key.algorithm?.name !== 'AES-GCM' || /** @type {AesKeyAlgorithm} */ (key.algorithm).length !== 256) {
      throw new TypeError('A cipher key is an AES-256-GCM CryptoKey.');
    }
    if (key.extractable) throw new TypeError('A kept cipher key must be non-extractable.');
    if (!key.usages.includes('encrypt') || !key.usages.includes('decrypt')) throw new TypeError('A cipher key encrypts and decrypts.');
    const n = typeof nonce === 'bigint' ? nonce : Number.isSafeInteger(nonce) ? BigInt(nonce) : -1n;
    if (n < 0n || n >= MAX_NONCE) throw new RangeError('A nonce is an integer from 0 to 2^64 - 2.');
    const state = new CipherState();
    state.#key = key;
    state.#n = n;
    return state;
  }

  /**
   * { key, nonce }: the key is the same non-extractable CryptoKey (structured clone, e.g. IndexedDB, keeps it without
   * revealing it); the nonce is a number (a BigInt past 2^53, which no conversation reaches).
   * @returns {CipherStateExport}
   */
  exportState() {
    if (this.#key === null) throw new Error('This cipher state has no key.');
    return { key: this.#key, nonce: this.#n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(this.#n) : this.#n };
  }

  get hasKey() {
    return this.#key !== null;
  }

  /** The next nonce this state will use. */
  get nonce() {
    return this.#n;
  }

  /** @param {Bytes} ad @param {Bytes} plaintext @returns {Promise<Bytes>} */
  async encryptWithAd(ad, plaintext) {
    if (this.#key === null) return Uint8Array.from(plaintext);
    if (this.#n === MAX_NONCE) throw new Error('Cipher nonce exhausted.');
    const n = this.#n++; // taken before awaiting, so overlapping calls can never share a nonce
    const params = { name: 'AES-GCM', iv: nonceBytes(n), additionalData: ad, tagLength: 128 };
    return new Uint8Array(await subtle.encrypt(params, this.#key, plaintext));
  }

  /**
   * The plaintext, or null when the tag does not verify; the nonce then does not advance.
   * @param {Bytes} ad
   * @param {Bytes} ciphertext
   * @returns {Promise<Bytes | null>}
   */
  async decryptWithAd(ad, ciphertext) {
    if (this.#key === null) return Uint8Array.from(ciphertext);
    if (this.#n === MAX_NONCE) throw new Error('Cipher nonce exhausted.');
    if (ciphertext.length < TAGLEN) return null;
    const n = this.#n;
    let plaintext;
    try {
      const params = { name: 'AES-GCM', iv: nonceBytes(n), additionalData: ad, tagLength: 128 };
      plaintext = new Uint8Array(await subtle.decrypt(params, this.#key, ciphertext));
    } catch {
      return null;
    }
    // Another decryption took this nonce while we awaited: this one is a duplicate.
    if (this.#n !== n) return null;
    this.#n = n + 1n;
    return plaintext;
  }
}

// ---- SymmetricState

class SymmetricState {
  cipher = new CipherState();
  /** @type {Bytes} */
  ck = EMPTY;
  /** @type {Bytes} */
  h = EMPTY;

  /** @param {string} protocolName */
  static async create(protocolName) {
    const state = new SymmetricState();
    const name = new TextEncoder().encode(protocolName);
    state.h = name.length <= HASHLEN ? concat(name, new Uint8Array(HASHLEN - name.length)) : await sha256(name);
    state.ck = state.h.slice();
    return state;
  }

  /** @param {Bytes} inputKeyMaterial */
  async mixKey(inputKeyMaterial) {
    const [ck, k] = await hkdf(this.ck, inputKeyMaterial, 2);
    this.ck = ck;
    await this.cipher.initializeKey(k);
  }

  /** @param {Bytes} data */
  async mixHash(data) {
    this.h = await sha256(concat(this.h, data));
  }

  /** @param {Bytes} inputKeyMaterial */
  async mixKeyAndHash(inputKeyMaterial) {
    const [ck, temp, k] = await hkdf(this.ck, inputKeyMaterial, 3);
    this.ck = ck;
    await this.mixHash(temp);
    await this.cipher.initializeKey(k);
  }

  /** @param {Bytes} plaintext */
  async encryptAndHash(plaintext) {
    const ciphertext = await this.cipher.encryptWithAd(this.h, plaintext);
    await this.mixHash(ciphertext);
    return ciphertext;
  }

  /** @param {Bytes} ciphertext */
  async decryptAndHash(ciphertext) {
    const plaintext = await this.cipher.decryptWithAd(this.h, ciphertext);
    if (plaintext !== null) await this.mixHash(ciphertext);
    return plaintext;
  }

  async split() {
    const [k1, k2] = await hkdf(this.ck, EMPTY, 2);
    return [await CipherState.withKey(k1), await CipherState.withKey(k2)];
  }
}

// ---- Handshake patterns (Noise §7): pre-messages before "...", one message a line, the initiator's first.

/** @type {Readonly<Record<string, string>>} */
const PATTERNS = {
  N: '<- s | ... | -> e, es',
  K: '-> s | <- s | ... | -> e, es, ss',
  X: '<- s | ... | -> e, es, s, ss',
  NN: '-> e | <- e, ee',
  NK: '<- s | ... | -> e, es | <- e, ee',
  NX: '-> e | <- e, ee, s, es',
  KN: '-> s | ... | -> e | <- e, ee, se',
  KK: '-> s | <- s | ... | -> e, es, ss | <- e, ee, se',
  KX: '-> s | ... | -> e | <- e, ee, se, s, es',
  XN: '-> e | <- e, ee | -> s, se',
  XK: '<- s | ... | -> e, es | <- e, ee | -> s, se',
  XX: '-> e | <- e, ee, s, es | -> s, se',
  IN: '-> e, s | <- e, ee, se',
  IK: '<- s | ... | -> e, es, s, ss | <- e, ee, se',
  IX: '-> e, s | <- e, ee, se, s, es',
  NK1: '<- s | ... | -> e | <- e, ee, es',
  NX1: '-> e | <- e, ee, s | -> es',
  X1N: '-> e | <- e, ee | -> s | <- se',
  X1K: '<- s | ... | -> e, es | <- e, ee | -> s | <- se',
  XK1: '<- s | ... | -> e | <- e, ee, es | -> s, se',
  X1K1: '<- s | ... | -> e | <- e, ee, es | -> s | <- se',
  X1X: '-> e | <- e, ee, s, es | -> s | <- se',
  XX1: '-> e | <- e, ee, s | -> es, s, se',
  X1X1: '-> e | <- e, ee, s | -> es, s | <- se',
  K1N: '-> s | ... | -> e | <- e, ee | -> se',
  K1K: '-> s | <- s | ... | -> e, es | <- e, ee | -> se',
  KK1: '-> s | <- s | ... | -> e | <- e, ee, se, es',
  K1K1: '-> s | <- s | ... | -> e | <- e, ee, es | -> se',
  K1X: '-> s | ... | -> e | <- e, ee, s, es | -> se',
  KX1: '-> s | ... | -> e | <- e, ee, se, s | -> es',
  K1X1: '-> s | ... | -> e | <- e, ee, s | -> se, es',
  I1N: '-> e, s | <- e, ee | -> se',
  I1K: '<- s | ... | -> e, es, s | <- e, ee | -> se',
  IK1: '<- s | ... | -> e, s | <- e, ee, se, es',
  I1K1: '<- s | ... | -> e, s | <- e, ee, es | -> se',
  I1X: '-> e, s | <- e, ee, s, es | -> se',
  IX1: '-> e, s | <- e, ee, se, s | -> es',
  I1X1: '-> e, s | <- e, ee, s | -> se, es',
};

/**
 * Parses the pattern part of a protocol name, for example "XK" or "NNpsk0+psk2".
 * @param {string} name
 */
export function parsePattern(name) {
  const pskAt = name.indexOf('psk');
  const baseName = pskAt < 0 ? name : name.slice(0, pskAt);
  const text = Object.hasOwn(PATTERNS, baseName) ? PATTERNS[baseName] : null;
  if (text === null) throw new Error(`Unknown handshake pattern '${baseName}'.`);

  const lines = text.split('|').map((l) => l.trim());
  const dots = lines.indexOf('...');
  const pre = dots < 0 ? [] : lines.slice(0, dots);
  const messages = (dots < 0 ? lines : lines.slice(dots + 1)).map((l) => l.slice(3).split(',').map((t) => t.trim()));

  if (pskAt >= 0) {
    for (const modifier of name.slice(pskAt).split('+')) {
      const match = /^psk(\d)$/.exec(modifier);
      const n = match ? Number(match[1]) : -1;
      if (n < 0 || n > messages.length) throw new Error(`Bad psk modifier '${modifier}'.`);
      if (n === 0) messages[0].unshift('psk');
      else messages[n - 1].push('psk');
    }
  }

  return {
    name,
    initiatorStaticKnown: pre.includes('-> s'),
    responderStaticKnown: pre.includes('<- s'),
    messages,
    oneWay: messages.length === 1,
    usesPsk: messages.some((m) => m.includes('psk')),
  };
}

// ---- HandshakeState

export class HandshakeState {
  /** @type {HandshakePattern} */
  #pattern;
  /** @type {SymmetricState} */
  #symmetric;
  #initiator = false;
  /** @type {KeyPair | null} local static key pair */
  #s = null;
  /** @type {KeyPair | null} local ephemeral key pair */
  #e = null;
  /** @type {Bytes | null} remote static public key */
  #rs = null;
  /** @type {Bytes | null} remote ephemeral public key */
  #re = null;
  /** @type {Bytes[]} */
  #psks = [];
  #pskIndex = 0;
  #message = 0;
  #failed = false;
  #busy = false;

  /**
   * Use HandshakeState.create.
   * @param {HandshakePattern} pattern
   * @param {SymmetricState} symmetric
   */
  constructor(pattern, symmetric) {
    this.#pattern = pattern;
    this.#symmetric = symmetric;
  }

  /**
   * @param {string} protocolName e.g. "Noise_XK_25519_AESGCM_SHA256"
   * @param {{initiator: boolean, prologue?: Bytes, s?: KeyPair | null, rs?: Bytes | null, e?: KeyPair | null, psks?: Bytes[]}} options
   *   s and e are key pairs; e is for test vectors only (a fixed ephemeral instead of a fresh one).
   */
  static async create(protocolName, { initiator, prologue = EMPTY, s = null, rs = null, e = null, psks = [] }) {
    if (!protocolName.startsWith('Noise_') || !protocolName.endsWith(SUITE)) {
      throw new Error('Only Noise_*_25519_AESGCM_SHA256 is supported.');
    }
    if (rs !== null && rs.length !== DHLEN) throw new RangeError('A remote static key is 32 bytes.');
    const pattern = parsePattern(protocolName.slice('Noise_'.length, -SUITE.length));
    const hs = new HandshakeState(pattern, await SymmetricState.create(protocolName));
    hs.#initiator = initiator;
    hs.#s = s;
    hs.#e = e;
    hs.#rs = rs === null ? null : rs.slice();
    hs.#psks = psks;

    await hs.#symmetric.mixHash(prologue);
    if (hs.#pattern.initiatorStaticKnown) await hs.#symmetric.mixHash(initiator ? hs.#localStatic() : hs.#remoteStatic());
    if (hs.#pattern.responderStaticKnown) await hs.#symmetric.mixHash(initiator ? hs.#remoteStatic() : hs.#localStatic());
    return hs;
  }

  get isComplete() {
    return this.#message === this.#pattern.messages.length;
  }

  /** A message failed: this handshake is over for good. */
  get hasFailed() {
    return this.#failed;
  }

  get isMyTurn() {
    return !this.isComplete && !this.#failed && this.#initiatorsTurn === this.#initiator;
  }

  get handshakeHash() {
    return this.#symmetric.h.slice();
  }

  /** The other side's static public key once known (pre-message or received), else null. */
  get remoteStaticPublicKey() {
    return this.#rs === null ? null : this.#rs.slice();
  }

  get #initiatorsTurn() {
    return this.#message % 2 === 0;
  }

  async writeMessage(payload = EMPTY) {
    if (!this.isMyTurn) throw new Error("Not this party's turn to write.");
    return this.#exclusive(async () => {
      try {
        const out = [];
        for (const token of this.#pattern.messages[this.#message]) {
          if (token === 'e') {
            this.#e ??= await generateKeyPair();
            out.push(this.#e.publicKey);
            await this.#symmetric.mixHash(this.#e.publicKey);
            if (this.#pattern.usesPsk) await this.#symmetric.mixKey(this.#e.publicKey);
          } else if (token === 's') {
            out.push(await this.#symmetric.encryptAndHash(this.#localStatic()));
          } else if (token === 'psk') {
            await this.#symmetric.mixKeyAndHash(this.#nextPsk());
          } else {
            const shared = await this.#dh(token);
            if (shared === null) throw new Error('Key agreement failed.');
            await this.#symmetric.mixKey(shared);
          }
        }
        out.push(await this.#symmetric.encryptAndHash(payload));
        this.#message++;
        return concat(...out);
      } catch (error) {
        this.#failed = true; // the transcript is half-written: nothing can continue from here
        throw error;
      }
    });
  }

  /** The payload, or null when the message is malformed or does not authenticate; the handshake has then failed. */
  /** @param {Bytes} message */
  async readMessage(message) {
    if (this.#failed) return null;
    if (this.isComplete || this.#initiatorsTurn === this.#initiator) throw new Error("Not this party's turn to read.");
    return this.#exclusive(async () => {
      let payload;
      try {
        payload = await this.#read(message);
      } catch (error) {
        this.#failed = true;
        throw error;
      }
      if (payload === null) this.#failed = true;
      else this.#message++;
      return payload;
    });
  }

  /** @param {Bytes} message */
  async #read(message) {
    for (const token of this.#pattern.messages[this.#message]) {
      if (token === 'e') {
        if (message.length < DHLEN) return null;
        this.#re = message.slice(0, DHLEN);
        message = message.subarray(DHLEN);
        await this.#symmetric.mixHash(this.#re);
        if (this.#pattern.usesPsk) await this.#symmetric.mixKey(this.#re);
      } else if (token === 's') {
        const length = DHLEN + (this.#symmetric.cipher.hasKey ? TAGLEN : 0);
        if (message.length < length) return null;
        const rs = await this.#symmetric.decryptAndHash(message.subarray(0, length));
        if (rs === null) return null;
        this.#rs = rs;
        message = message.subarray(length);
      } else if (token === 'psk') {
        await this.#symmetric.mixKeyAndHash(this.#nextPsk());
      } else {
        const shared = await this.#dh(token);
        if (shared === null) return null;
        await this.#symmetric.mixKey(shared);
      }
    }
    return this.#symmetric.decryptAndHash(message);
  }

  /**
   * The transport states of this party.
   * @returns {Promise<{ send: CipherState, receive: CipherState }>}
   */
  async split() {
    if (!this.isComplete) throw new Error('The handshake is not complete.');
    const [first, second] = await this.#symmetric.split();
    return this.#initiator ? { send: first, receive: second } : { send: second, receive: first };
  }

  // The state changes across awaits: a second call overlapping the first would corrupt the transcript.
  /**
   * @template T
   * @param {() => Promise<T>} fn
   */
  async #exclusive(fn) {
    if (this.#busy) throw new Error('A handshake message is already being processed.');
    this.#busy = true;
    try {
      return await fn();
    } finally {
      this.#busy = false;
    }
  }

  /** @param {string} token */
  #dh(token) {
    const i = this.#initiator;
    /** @type {Record<string, [KeyPair | null, Bytes | null]>} */
    const pairs = {
      ee: [this.#e, this.#re],
      ss: [this.#s, this.#rs],
      es: i ? [this.#e, this.#rs] : [this.#s, this.#re],
      se: i ? [this.#s, this.#re] : [this.#e, this.#rs],
    };
    const [local, remote] = pairs[token];
    if (!local || !remote) throw new Error('A key the pattern needs is missing.');
    return dh(local, remote);
  }

  #nextPsk() {
    if (this.#pskIndex >= this.#psks.length) throw new Error('The pattern needs another pre-shared key.');
    const psk = this.#psks[this.#pskIndex++];
    if (psk.length !== 32) throw new RangeError('A pre-shared key is 32 bytes.');
    return psk;
  }

  #localStatic() {
    if (!this.#s) throw new Error('The pattern needs a local static key.');
    return this.#s.publicKey;
  }

  #remoteStatic() {
    if (this.#rs === null) throw new Error('The pattern needs the remote static key.');
    return this.#rs;
  }
}
