import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, equal, fromBase64, fromHex, toBase64, toBase64Url, toHex } from '../src/protocol/bytes.js';

test('hex and base64 round-trip; base64 accepts both alphabets, padded or not', () => {
  const bytes = Uint8Array.of(0xfb, 0xff, 0x00, 0x3e, 0x7f);
  assert.equal(toHex(bytes), 'fbff003e7f');
  assert.deepEqual(fromHex('FBFF003E7F'), bytes);
  assert.throws(() => fromHex('abc'), TypeError);
  assert.throws(() => fromHex('zz'), TypeError);
  assert.equal(toBase64(bytes), '+/8APn8=');
  assert.equal(toBase64Url(bytes), '-_8APn8');
  for (const text of ['+/8APn8=', '+/8APn8', '-_8APn8', '-_8APn8=']) assert.deepEqual(fromBase64(text), bytes);
});

test('concat and equal', () => {
  assert.deepEqual(concat(Uint8Array.of(1), [2, 3], new Uint8Array(0)), Uint8Array.of(1, 2, 3));
  assert.ok(equal(Uint8Array.of(1, 2), Uint8Array.of(1, 2)));
  assert.ok(!equal(Uint8Array.of(1, 2), Uint8Array.of(1, 3)));
  assert.ok(!equal(Uint8Array.of(1), Uint8Array.of(1, 0)));
});
