// What the vault (src/app/vault.js) keeps as JSON and what it keeps as CryptoKeys: CryptoKeys never go into the JSON
// (they stay non-extractable and are stored by structured clone), bytes and BigInts come back as they were.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, split } from '../src/app/vault.js';

test('vault: CryptoKeys are set apart, bytes and BigInts round-trip through JSON', async () => {
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const value = { channel: { send: { key, nonce: 5n }, hash: new Uint8Array([1, 2, 255]) }, seen: ['ab'], n: 3, none: null };
  /** @type {CryptoKey[]} */
  const keys = [];
  const json = JSON.stringify(split(value, keys));
  assert.deepEqual(keys, [key]);
  assert.ok(!json.includes('"type":"secret"'), 'no key material or key object in the JSON');
  const back = join(JSON.parse(json), keys);
  assert.equal(back.channel.send.key, key);
  assert.equal(back.channel.send.nonce, 5n);
  assert.deepEqual(back.channel.hash, new Uint8Array([1, 2, 255]));
  assert.deepEqual(back.seen, ['ab']);
  assert.equal(back.n, 3);
  assert.equal(back.none, null);
});
