// Every cacophony vector of the suite 25519_AESGCM_SHA256 (tests/vectors/noise-25519-aesgcm-sha256.json), byte for byte.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HandshakeState } from '../src/protocol/noise.js';
import { checkCacophonyVector, options } from './vector-checks.js';

const file = new URL('../../../tests/vectors/noise-25519-aesgcm-sha256.json', import.meta.url);
/** @type {import('./vector-checks.js').CacophonyVector[]} */
const vectors = JSON.parse(readFileSync(file, 'utf8')).vectors;
/** The XK vector (the pattern PeerLine uses); the first test checks it is there. */
const xk = () => /** @type {import('./vector-checks.js').CacophonyVector} */ (vectors.find((x) => x.protocol_name === 'Noise_XK_25519_AESGCM_SHA256'));

test('the suite has all 59 vectors, XK and NK among them', () => {
  const names = vectors.map((v) => v.protocol_name);
  assert.equal(names.length, 59);
  assert.ok(names.includes('Noise_XK_25519_AESGCM_SHA256'));
  assert.ok(names.includes('Noise_NK_25519_AESGCM_SHA256'));
});

for (const v of vectors) {
  test(`${v.protocol_name}: both sides produce and accept every message and agree on the handshake hash`, () => checkCacophonyVector(v));
}

test('XK: a tampered handshake message is refused and the handshake has failed for good', async () => {
  const v = xk();
  const initiator = await HandshakeState.create(v.protocol_name, await options(v, 'init', true));
  const responder = await HandshakeState.create(v.protocol_name, await options(v, 'resp', false));
  const first = await initiator.writeMessage(new Uint8Array(0));
  const tampered = first.slice();
  tampered[tampered.length - 1] ^= 0x01;

  assert.equal(await responder.readMessage(tampered), null);
  assert.ok(responder.hasFailed);
  assert.equal(responder.isMyTurn, false);
  assert.equal(await responder.readMessage(first), null, 'the genuine message is refused too');
  await assert.rejects(() => responder.split());
});

test('XK: a truncated message and a low-order ephemeral key fail the handshake', async () => {
  const v = xk();
  const responder = await HandshakeState.create(v.protocol_name, await options(v, 'resp', false));
  assert.equal(await responder.readMessage(new Uint8Array(31)), null);
  assert.ok(responder.hasFailed);

  const other = await HandshakeState.create(v.protocol_name, await options(v, 'resp', false));
  assert.equal(await other.readMessage(new Uint8Array(48)), null, 'e = 0 gives an all-zero DH');
  assert.ok(other.hasFailed);
});

test('writing or reading out of turn throws; concurrent use of one handshake is refused', async () => {
  const v = xk();
  const initiator = await HandshakeState.create(v.protocol_name, await options(v, 'init', true));
  const responder = await HandshakeState.create(v.protocol_name, await options(v, 'resp', false));
  await assert.rejects(() => initiator.readMessage(new Uint8Array(48)), /turn to read/);
  await assert.rejects(() => responder.writeMessage(), /turn to write/);

  const first = await initiator.writeMessage();
  const [a, b] = await Promise.allSettled([responder.readMessage(first), responder.readMessage(first)]);
  assert.equal(a.status, 'fulfilled');
  assert.equal(b.status, 'rejected');
});
