// Roster certificates (docs/protocol.md §11.8): checked against a pinned Ed25519 roster key.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concat, toHex, utf8 } from '../src/protocol/bytes.js';
import { generateKeyPair } from '../src/protocol/noise.js';
import { Verdict, checkCertificate, keyIdFor } from '../src/protocol/roster.js';

const subtle = globalThis.crypto.subtle;

async function rosterKey() {
  const pair = await subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)) };
}

/**
 * The test's signer: RosterCertificate.Sign. Times are Unix seconds.
 * @param {{ privateKey: CryptoKey }} signingKey
 * @param {{ keyId: Uint8Array, staticKey: Uint8Array, notBefore: number, notAfter: number, handle?: string, handleBytes?: Uint8Array }} fields
 */
async function sign(signingKey, { keyId, staticKey, notBefore, notAfter, handle = 'sam', handleBytes = utf8(handle) }) {
  const header = new Uint8Array(70);
  const view = new DataView(header.buffer);
  header.set(utf8('PLRC'));
  header[4] = 1;
  header.set(keyId, 5);
  header.set(staticKey, 21);
  view.setBigInt64(53, BigInt(notBefore));
  view.setBigInt64(61, BigInt(notAfter));
  header[69] = handleBytes.length;
  const body = concat(header, handleBytes);
  return concat(body, new Uint8Array(await subtle.sign({ name: 'Ed25519' }, signingKey.privateKey, body)));
}

const NOW = new Date('2025-11-25T12:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const roster = await rosterKey();
const device = await generateKeyPair();
const keyId = await keyIdFor(device.publicKey);
const fields = { keyId, staticKey: device.publicKey, notBefore: nowSeconds - 300, notAfter: nowSeconds + 30 * 86400, handle: 'Sam (nights)' };
const trust = { rosterPublicKey: roster.publicKey, now: NOW };
const exact = { ...trust, clockSkewSeconds: 0 }; // boundaries without the tolerated clock skew

test('signed: trusted, and the fields round-trip', async () => {
  const result = await checkCertificate(await sign(roster, fields), trust);
  assert.equal(result.verdict, Verdict.TRUSTED);
  assert.deepEqual(result.certificate?.staticKey, device.publicKey);
  assert.deepEqual(result.certificate?.keyId, keyId);
  assert.equal(result.certificate?.keyIdHex, toHex(keyId));
  assert.equal(result.certificate?.handle, 'Sam (nights)');
  assert.equal(result.certificate?.notBefore, BigInt(fields.notBefore));
  assert.equal(result.certificate?.notAfter, BigInt(fields.notAfter));
  assert.equal(keyId.length, 16);
});

test('the pinned key may be given as a CryptoKey; the default time is now', async () => {
  const pinned = await subtle.importKey('raw', roster.publicKey, { name: 'Ed25519' }, false, ['verify']);
  const live = { ...fields, notBefore: Math.floor(Date.now() / 1000) - 60, notAfter: Math.floor(Date.now() / 1000) + 60 };
  assert.equal((await checkCertificate(await sign(roster, live), { rosterPublicKey: pinned })).verdict, Verdict.TRUSTED);
});

test('signed by another key: bad signature', async () => {
  const other = await rosterKey();
  const result = await checkCertificate(await sign(other, fields), trust);
  assert.deepEqual(result, { verdict: Verdict.BAD_SIGNATURE });
});

test('any altered byte: bad signature', async () => {
  const signed = await sign(roster, fields);
  for (const at of [0, 4, 5, 30, 53, 61, 70, signed.length - 1]) {
    const altered = signed.slice();
    altered[at] ^= 0x01;
    assert.equal((await checkCertificate(altered, trust)).verdict, Verdict.BAD_SIGNATURE, `byte ${at}`);
  }
});

test('truncated or extended: bad signature', async () => {
  const signed = await sign(roster, fields);
  for (const cut of [0, 69, 133, signed.length - 1]) {
    assert.equal((await checkCertificate(signed.subarray(0, cut), trust)).verdict, Verdict.BAD_SIGNATURE, `${cut} bytes`);
  }
  assert.equal((await checkCertificate(concat(signed, [0]), trust)).verdict, Verdict.BAD_SIGNATURE);
  assert.equal((await checkCertificate('not bytes', trust)).verdict, Verdict.BAD_SIGNATURE);
});

test('a handle over 64 bytes or not UTF-8 is refused even when signed', async () => {
  const long = await sign(roster, { ...fields, handle: 'x'.repeat(65) });
  assert.equal((await checkCertificate(long, trust)).verdict, Verdict.BAD_SIGNATURE);
  const badUtf8 = await sign(roster, { ...fields, handleBytes: Uint8Array.of(0x53, 0xc3, 0x28) });
  assert.equal((await checkCertificate(badUtf8, trust)).verdict, Verdict.BAD_SIGNATURE);
  const max = await sign(roster, { ...fields, handle: 'é'.repeat(32) });
  assert.equal((await checkCertificate(max, trust)).verdict, Verdict.TRUSTED);
  assert.equal(max.length, 198);
  const empty = await sign(roster, { ...fields, handle: '' });
  assert.equal((await checkCertificate(empty, trust)).certificate?.handle, '');
  assert.equal(empty.length, 134);
});

test('a leading byte-order mark stays part of the handle, as in .NET', async () => {
  const bom = await sign(roster, { ...fields, handle: '\ufeffsam' });
  assert.equal((await checkCertificate(bom, trust)).certificate?.handle, '\ufeffsam');
});

test('past not after: expired (not after is exclusive)', async () => {
  const signed = await sign(roster, { ...fields, notAfter: nowSeconds });
  assert.equal((await checkCertificate(signed, exact)).verdict, Verdict.EXPIRED);
  const justBefore = { ...exact, now: new Date(NOW.getTime() - 1) };
  assert.equal((await checkCertificate(signed, justBefore)).verdict, Verdict.TRUSTED);
});

test('before not before: not yet valid (not before is inclusive)', async () => {
  const signed = await sign(roster, { ...fields, notBefore: nowSeconds + 1 });
  assert.equal((await checkCertificate(signed, exact)).verdict, Verdict.NOT_YET_VALID);
  const atStart = { ...exact, now: new Date((nowSeconds + 1) * 1000) };
  assert.equal((await checkCertificate(signed, atStart)).verdict, Verdict.TRUSTED);
  const almost = { ...exact, now: new Date((nowSeconds + 1) * 1000 - 1) };
  assert.equal((await checkCertificate(signed, almost)).verdict, Verdict.NOT_YET_VALID);
});

test('steps run in order: an expired forgery is a bad signature, an expired revoked key is expired', async () => {
  const other = await rosterKey();
  const expiredForgery = await sign(other, { ...fields, notAfter: nowSeconds - 1 });
  assert.equal((await checkCertificate(expiredForgery, exact)).verdict, Verdict.BAD_SIGNATURE);
  const expired = await sign(roster, { ...fields, notAfter: nowSeconds - 1 });
  assert.equal((await checkCertificate(expired, { ...exact, revokedKeyIds: [toHex(keyId)] })).verdict, Verdict.EXPIRED);
});

test('a device clock off by up to ten minutes is tolerated, further is not', async () => {
  const early = await sign(roster, { ...fields, notBefore: nowSeconds + 9 * 60 });
  assert.equal((await checkCertificate(early, trust)).verdict, Verdict.TRUSTED);
  const tooEarly = await sign(roster, { ...fields, notBefore: nowSeconds + 11 * 60 });
  assert.equal((await checkCertificate(tooEarly, trust)).verdict, Verdict.NOT_YET_VALID);
  const late = await sign(roster, { ...fields, notAfter: nowSeconds - 9 * 60 });
  assert.equal((await checkCertificate(late, trust)).verdict, Verdict.TRUSTED);
  const tooLate = await sign(roster, { ...fields, notAfter: nowSeconds - 10 * 60 });
  assert.equal((await checkCertificate(tooLate, trust)).verdict, Verdict.EXPIRED);
});

test('a key id that is not the static key\'s own: bad signature', async () => {
  const signed = await sign(roster, { ...fields, keyId: await keyIdFor(new Uint8Array(32)) });
  assert.equal((await checkCertificate(signed, trust)).verdict, Verdict.BAD_SIGNATURE);
});

test('a revoked key id: revoked, whatever the hex case', async () => {
  const signed = await sign(roster, fields);
  const other = toHex(await keyIdFor(new Uint8Array(32)));
  assert.equal((await checkCertificate(signed, { ...trust, revokedKeyIds: [other, toHex(keyId)] })).verdict, Verdict.REVOKED);
  assert.equal((await checkCertificate(signed, { ...trust, revokedKeyIds: [toHex(keyId).toUpperCase()] })).verdict, Verdict.REVOKED);
  assert.equal((await checkCertificate(signed, { ...trust, revokedKeyIds: [other] })).verdict, Verdict.TRUSTED);
});

test('a pinned key that is not 32 bytes is a configuration error', async () => {
  await assert.rejects(() => checkCertificate(new Uint8Array(134), { rosterPublicKey: new Uint8Array(31), now: NOW }), RangeError);
});
