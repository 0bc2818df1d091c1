// The PeerLine envelope v2: the fixed-key transcript (tests/vectors/peerline-envelope-v2.json, the supporter and the lead
// channel) byte for byte, the values docs/protocol.md §11.9 shows, what a receiver rejects (§11.6), the old v1 format
// rejected, message ids, and a channel kept across a reload (exportState / fromState through structured clone).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { concat, fromHex, toHex, utf8 } from '../src/protocol/bytes.js';
import { HandshakeState, generateKeyPair } from '../src/protocol/noise.js';
import { SecureChannel } from '../src/protocol/channel.js';
import {
  checkEnvelopeAcceptance, checkEnvelopeTranscript, checkOldFormatRejected, vectorChannel, vectorChannels as channelsOf, vectorKeys as keysOf,
} from './vector-checks.js';

const vectorKeys = () => keysOf(vector);
const vectorChannels = () => channelsOf(vector);
import { safetyCode } from '../src/protocol/safety-code.js';
import {
  Direction, MAX_CONTENT, OVERHEAD, PROTOCOL_NAME, associatedData, isRestartRequest, newMessageId, pad, prologue, restartRequest,
  unpad, unwrap,
} from '../src/protocol/envelope.js';

/** @import { Bytes } from '../src/protocol/bytes.js' */
/** @import { EnvelopeVector } from './vector-checks.js' */
/** @import { ReceiveOutcome } from '../src/protocol/channel.js' */

/** @param {string} name */
const readVector = (name) => JSON.parse(readFileSync(new URL(`../../../tests/vectors/${name}`, import.meta.url), 'utf8'));
/** @type {EnvelopeVector} */
const vector = readVector('peerline-envelope-v2.json');
const id = () => newMessageId();
/** @param {Uint8Array | undefined} bytes */
const text = (bytes) => new TextDecoder().decode(bytes);
/** What unpad gives for a plaintext the test knows is well formed. @param {Bytes} padded */
const unpadded = (padded) => /** @type {NonNullable<ReturnType<typeof unpad>>} */ (unpad(padded));

// ---- The vector file

test('vector: the transcript from the fixed keys matches the file byte for byte, supporter and lead channel', async () => {
  const produced = await checkEnvelopeTranscript(vector);
  assert.deepEqual(produced.supporter.map((e) => e.length), [50, 50, 66, 256, 256, 1024]);
  assert.deepEqual(produced.lead.map((e) => e.length), [50, 50, 66, 256, 256]);
  assert.deepEqual(vector.channels.map((c) => c.party), ['00', '01']);
});

test('vector: every envelope in the file is accepted on its receiving side, with its message id', () => checkEnvelopeAcceptance(vector));

test('old format: v2 code rejects every envelope of peerline-envelope-v1.json', () => checkOldFormatRejected(readVector('peerline-envelope-v1.json')));

test('docs §11.9: handshake hash, transport keys, nonce, associated data and padded plaintext as documented', async () => {
  const k = await vectorKeys();
  const init = await HandshakeState.create(PROTOCOL_NAME, {
    initiator: true, prologue: prologue(vector.session_id), s: k.callerStatic, rs: k.supporterStatic.publicKey, e: k.callerEphemeral,
  });
  const resp = await HandshakeState.create(PROTOCOL_NAME, {
    initiator: false, prologue: prologue(vector.session_id), s: k.supporterStatic, e: k.supporterEphemeral,
  });
  await resp.readMessage(await init.writeMessage());
  await init.readMessage(await resp.writeMessage());
  await resp.readMessage(await init.writeMessage());
  const h = '89debb164b52fead0184bcf5fa4066695ca9137bcfb20d46ce1ea4b33accbec1';
  assert.equal(toHex(init.handshakeHash), h);
  assert.equal(toHex(resp.handshakeHash), h);
  assert.equal(toHex(k.callerStatic.publicKey), 'e3712d851a0e5d79b831c5e34ab22b41a198171de209b8b8faca23a11c624859');
  assert.equal(await safetyCode(fromHex(h)), '5712 6865 8060');

  // Open transport envelopes with plain AES-GCM and the documented keys, nonce 0 and AD.
  /** @param {string} keyHex @param {Bytes} ad @param {string} envelopeHex */
  const open = async (keyHex, ad, envelopeHex) => {
    const key = await crypto.subtle.importKey('raw', fromHex(keyHex), 'AES-GCM', false, ['decrypt']);
    const body = fromHex(envelopeHex).subarray(2);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12), additionalData: ad, tagLength: 128 }, key, body));
  };
  const supporter = vectorChannel(vector, 'supporter');
  const ad1 = associatedData(vector.session_id, Direction.CALLER_TO_SUPPORTER, 3);
  assert.equal(ad1.length, 44);
  assert.equal(toHex(ad1), '506565724c696e652d4532452d76320001' + '0000000000000003' + toHex(utf8(vector.session_id)));
  assert.equal(supporter.caller_send_key, 'd904ac635cbfd80d0234aa2bc96afb0e31e50160b146a03973bcc5ebdb17c132');
  const p1 = await open(supporter.caller_send_key, ad1, supporter.messages[3].envelope);
  assert.equal(p1.length, 238);
  assert.equal(toHex(p1.subarray(0, 20)), '3f1c9a2e7b4d4e0f8a6c5b2d1e0f9a8b' + '0021' + '4865');
  const ad2 = associatedData(vector.session_id, Direction.SUPPORTER_TO_CALLER, 2);
  const p2 = await open(supporter.caller_receive_key, ad2, supporter.messages[4].envelope);
  assert.equal(text(unpadded(p2).content), supporter.messages[4].content_utf8);
  assert.equal(toHex(unpadded(p2).messageId), supporter.messages[4].message_id);

  // The lead channel: the same episode key, party byte 01 in the prologue, direction 03 in the AD.
  const lead = vectorChannel(vector, 'lead');
  assert.equal(lead.prologue, '506565724c696e652d4532452d763201' + toHex(utf8(vector.session_id)));
  assert.equal(lead.handshake_hash, 'c2fc25892293faf66baf0e9e7f5a40b0ada57cf8affa9ba9d7dc0d523687fb89');
  assert.equal(lead.safety_code, '3674 7415 3109');
  const ad3 = associatedData(vector.session_id, Direction.CALLER_TO_LEAD, 3);
  assert.equal(toHex(ad3.subarray(15, 25)), '0003' + '0000000000000003');
  const p3 = await open(lead.caller_send_key, ad3, lead.messages[3].envelope);
  assert.equal(toHex(unpadded(p3).messageId), '8e2f6d4c1a3b4c5d9e6f7a8b9c0d1e2f');
  assert.equal(text(unpadded(p3).content), 'Thank you for joining.');
});

// ---- Channels with fresh keys, as they run over the relay: caller seq 1 and 2, supporter seq 1.

const SESSION = 'c2Vzc2lvbi1vbmUtaWQ';
const supporterKey = await generateKeyPair();
const episodeKey = await generateKeyPair();

async function establish(sessionId = SESSION) {
  const caller = await SecureChannel.forCaller({ sessionId, supporterStaticKey: supporterKey.publicKey, episodeKey });
  const supporter = await SecureChannel.forSupporter({ sessionId, staticKey: supporterKey });
  const reply = await supporter.receive(await caller.start(), 1);
  assert.equal(reply.outcome, 'handshake');
  const final = await caller.receive(reply.reply, 1);
  assert.ok(caller.isEstablished);
  assert.equal((await supporter.receive(final.reply, 2)).outcome, 'handshake');
  assert.ok(supporter.isEstablished);
  return { caller, supporter };
}

/** @param {Promise<ReceiveOutcome>} resultPromise */
async function read(resultPromise) {
  const result = await resultPromise;
  assert.equal(result.outcome, 'message');
  return text(result.content);
}

/** @param {Promise<ReceiveOutcome>} resultPromise */
const rejected = async (resultPromise) => assert.equal((await resultPromise).outcome, 'rejected');

test('handshake, then messages both ways; same safety code; the supporter learns the episode key', async () => {
  const { caller, supporter } = await establish();
  assert.equal(await read(supporter.receive(await caller.seal(id(), utf8('I lost a patient today'), 3), 3)), 'I lost a patient today');
  assert.equal(await read(caller.receive(await supporter.seal(id(), utf8("I'm here. Take your time."), 2), 2)), "I'm here. Take your time.");
  assert.match(caller.safetyCode ?? '', /^\d{4} \d{4} \d{4}$/);
  assert.equal(caller.safetyCode, supporter.safetyCode);
  assert.deepEqual(supporter.remoteStaticKey, episodeKey.publicKey);
});

test('tampered ciphertext is rejected; the genuine envelope still opens afterwards', async () => {
  const { caller, supporter } = await establish();
  const sealed = await caller.seal(id(), utf8('genuine'), 3);
  for (const at of [2, 40, sealed.length - 1]) {
    const tampered = sealed.slice();
    tampered[at] ^= 0x20;
    await rejected(supporter.receive(tampered, 3));
  }
  assert.equal(await read(supporter.receive(sealed, 3)), 'genuine');
});

test('a replayed envelope is rejected, under the same or another seq', async () => {
  const { caller, supporter } = await establish();
  const first = await caller.seal(id(), utf8('once'), 3);
  assert.equal(await read(supporter.receive(first, 3)), 'once');
  await rejected(supporter.receive(first, 3));
  await rejected(supporter.receive(first, 4));
});

test('reordered envelopes: the later one is rejected, then both open in order', async () => {
  const { caller, supporter } = await establish();
  const first = await caller.seal(id(), utf8('first'), 3);
  const second = await caller.seal(id(), utf8('second'), 4);
  await rejected(supporter.receive(second, 4));
  assert.equal(await read(supporter.receive(first, 3)), 'first');
  assert.equal(await read(supporter.receive(second, 4)), 'second');
});

test('an envelope moved to another seq is rejected', async () => {
  const { caller, supporter } = await establish();
  const sealed = await caller.seal(id(), utf8('at three'), 3);
  await rejected(supporter.receive(sealed, 5));
  await rejected(supporter.receive(sealed, 3n + 2n ** 32n));
  assert.equal(await read(supporter.receive(sealed, 3n)), 'at three', 'a BigInt seq is the same seq');
});

test('an envelope reflected back to its sender is rejected (direction)', async () => {
  const { caller, supporter } = await establish();
  await rejected(caller.receive(await caller.seal(id(), utf8('mine'), 3), 3));
  await rejected(supporter.receive(await supporter.seal(id(), utf8('mine too'), 2), 2));
});

test('an envelope moved to another session is rejected', async () => {
  const { caller } = await establish();
  const { supporter: other } = await establish('a-second-session');
  await rejected(other.receive(await caller.seal(id(), utf8('for session one'), 3), 3));
});

test('a handshake made for another session is rejected, and the channel then rejects everything', async () => {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey });
  const other = await SecureChannel.forSupporter({ sessionId: 'another-session-id', staticKey: supporterKey });
  const first = await caller.start();
  await rejected(other.receive(first, 1));
  await rejected(other.receive(first, 1));
});

test('a handshake envelope after a failed one is rejected without throwing', async () => {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey });
  const supporter = await SecureChannel.forSupporter({ sessionId: SESSION, staticKey: supporterKey });
  const first = await caller.start();
  const tampered = first.slice();
  tampered[tampered.length - 1] ^= 0x01;
  await rejected(supporter.receive(tampered, 1));
  await rejected(supporter.receive(first, 1));
  assert.equal(supporter.isEstablished, false);
});

test('a handshake envelope out of turn is rejected and changes nothing', async () => {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey });
  const supporter = await SecureChannel.forSupporter({ sessionId: SESSION, staticKey: supporterKey });
  const other = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey });
  const stray = await (await SecureChannel.forSupporter({ sessionId: SESSION, staticKey: supporterKey })).receive(await other.start(), 1);
  await rejected(caller.receive(stray.reply, 1)); // before start(): the caller's turn is to write

  const first = await caller.start();
  const reply = await supporter.receive(first, 1);
  const final = await caller.receive(reply.reply, 1);
  await rejected(caller.receive(reply.reply, 1)); // complete
  assert.equal((await supporter.receive(final.reply, 2)).outcome, 'handshake');
  assert.equal(caller.safetyCode, supporter.safetyCode);
  await rejected(supporter.receive(final.reply, 2)); // complete
  await rejected(supporter.receive(first, 3));
  assert.equal(await read(supporter.receive(await caller.seal(id(), utf8('still fine'), 3), 3)), 'still fine');
});

test("a caller's own message 1 reflected back is read as message 2 and fails its handshake", async () => {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey });
  const supporter = await SecureChannel.forSupporter({ sessionId: SESSION, staticKey: supporterKey });
  const first = await caller.start();
  await rejected(caller.receive(first, 1));
  await rejected(caller.receive((await supporter.receive(first, 1)).reply, 1));
  assert.equal(caller.isEstablished, false);
});

test('a stale message 1 read where message 3 is due fails the supporter\'s handshake for good', async () => {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey });
  const supporter = await SecureChannel.forSupporter({ sessionId: SESSION, staticKey: supporterKey });
  const first = await caller.start();
  const reply = await supporter.receive(first, 1);
  await rejected(supporter.receive(first, 2)); // it is the supporter's turn to read, so this is read as message 3
  const final = await caller.receive(reply.reply, 1);
  assert.ok(caller.isEstablished);
  await rejected(supporter.receive(final.reply, 3));
  assert.equal(supporter.isEstablished, false);
});

test('a transport envelope before the handshake is complete is rejected; sealing then throws', async () => {
  const { caller: established } = await establish();
  const sealed = await established.seal(id(), utf8('early'), 3);
  const supporter = await SecureChannel.forSupporter({ sessionId: SESSION, staticKey: supporterKey });
  await rejected(supporter.receive(sealed, 3));
  await assert.rejects(() => supporter.seal(id(), utf8('too early'), 1), /not complete/);
});

test('malformed envelopes are rejected', async () => {
  const { caller, supporter } = await establish();
  const sealed = await caller.seal(id(), utf8('x'), 3);
  /** @param {number} i @param {number} value */
  const headerChanged = (i, value) => { const e = sealed.slice(); e[i] = value; return e; };
  const cases = [
    new Uint8Array(0), Uint8Array.of(0x02), Uint8Array.of(0x09, 0x02, 0x00), Uint8Array.of(0x02, 0x07, 0x00),
    Uint8Array.of(0x02, 0x02), sealed.subarray(0, 17), headerChanged(0, 0x01), headerChanged(1, 0x01),
    concat(sealed, [0]), 'not bytes', null,
  ];
  for (const envelope of cases) await rejected(supporter.receive(envelope, 3));
  assert.equal(await read(supporter.receive(sealed, 3)), 'x', 'nothing above moved the nonce');
});

test('a seq that is not a relay seq is rejected when receiving and refused when sealing', async () => {
  const { caller, supporter } = await establish();
  const sealed = await caller.seal(id(), utf8('x'), 3);
  for (const seq of [0, -3, 3.5, '3', undefined, 2n ** 63n]) await rejected(supporter.receive(sealed, seq));
  await assert.rejects(() => caller.seal(id(), utf8('y'), 0), RangeError);
  assert.equal(await read(supporter.receive(sealed, 3)), 'x');
});

test('envelopes are padded to the bucket sizes', async () => {
  const { caller } = await establish();
  assert.equal(OVERHEAD, 36);
  for (const [length, size] of [[0, 256], [200, 256], [220, 256], [221, 1024], [988, 1024], [989, 4096], [4000, 4096], [4060, 4096], [4061, 16384], [16348, 16384]]) {
    assert.equal((await caller.seal(id(), new Uint8Array(length), 3)).length, size, `content of ${length}`);
  }
});

test('content beyond the largest bucket is refused', async () => {
  const { caller, supporter } = await establish();
  assert.equal(MAX_CONTENT, 16348);
  await assert.rejects(() => caller.seal(id(), new Uint8Array(MAX_CONTENT + 1), 3), RangeError);
  // The refusal used no nonce: the next message still opens.
  assert.equal(await read(supporter.receive(await caller.seal(id(), utf8('after'), 3), 3)), 'after');
});

test('padding: message id, length, content, zeros; unpad refuses a short plaintext, a bad length or non-zero padding', () => {
  const messageId = fromHex('00112233445566778899aabbccddeeff');
  const padded = pad(messageId, utf8('hi'));
  assert.equal(padded.length, 238);
  assert.equal(toHex(padded.subarray(0, 21)), '00112233445566778899aabbccddeeff' + '0002' + '6869' + '00');
  assert.equal(text(unpadded(padded).content), 'hi');
  assert.equal(toHex(unpadded(padded).messageId), '00112233445566778899aabbccddeeff');
  assert.equal(unpad(new Uint8Array(17)), null);
  assert.deepEqual(unpadded(new Uint8Array(18)).content, new Uint8Array(0));
  assert.equal(unpad(concat(messageId, [0, 3, 1, 2])), null);
  const dirty = padded.slice();
  dirty[237] = 1;
  assert.equal(unpad(dirty), null);
  assert.throws(() => pad(new Uint8Array(15), utf8('hi')), TypeError);
  // @ts-expect-error a message id that is not bytes is what this checks
  assert.throws(() => pad('00112233445566778899aabbccddeeff', utf8('hi')), TypeError);
  assert.equal(unwrap(Uint8Array.of(2, 2))?.body.length, 0);
  assert.equal(unwrap(Uint8Array.of(1, 2)), null, 'version 1');
});

test('overlapping seals use consecutive nonces in call order', async () => {
  const { caller, supporter } = await establish();
  const [a, b, c] = await Promise.all([3, 4, 5].map((seq) => caller.seal(id(), utf8(`m${seq}`), seq)));
  const results = await Promise.all([supporter.receive(a, 3), supporter.receive(b, 4), supporter.receive(c, 5)]);
  assert.deepEqual(results.map((r) => text(r.content)), ['m3', 'm4', 'm5']);
  await rejected(supporter.receive(a, 3));
});

test('the supporter cannot start; the caller cannot start twice', async () => {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey });
  const supporter = await SecureChannel.forSupporter({ sessionId: SESSION, staticKey: supporterKey });
  await assert.rejects(() => supporter.start());
  await caller.start();
  await assert.rejects(() => caller.start());
});

test('a low-order supporter key makes start() fail', async () => {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: new Uint8Array(32), episodeKey });
  await assert.rejects(() => caller.start(), /Key agreement failed/);
  await rejected(caller.receive(new Uint8Array(50).fill(1, 0, 2), 1));
});

test('restart request: exactly 02 03, never taken for a channel message', async () => {
  assert.equal(toHex(restartRequest()), '0203');
  assert.ok(isRestartRequest(restartRequest()));
  assert.ok(!isRestartRequest(new Uint8Array([2, 3, 0])));
  assert.ok(!isRestartRequest(new Uint8Array([1, 3])));
  assert.ok(!isRestartRequest(new Uint8Array([2, 2])));
  assert.equal(unwrap(restartRequest()), null);
  const { caller, supporter } = await vectorChannels();
  await supporter.receive(await caller.start(), 1);
  assert.equal((await caller.receive(restartRequest(), 1)).outcome, 'rejected', 'a channel rejects it without a state change');
});

test('a lead channel: its own prologue byte and directions; a supporter-channel handshake does not open it', async () => {
  assert.equal(toHex(prologue('s1', 0x01)).slice(30, 32), '01');
  const k = await vectorKeys();
  const caller = await SecureChannel.forCaller({ sessionId: 's1', supporterStaticKey: k.supporterStatic.publicKey, episodeKey: k.callerStatic, party: 0x01 });
  const lead = await SecureChannel.forSupporter({ sessionId: 's1', staticKey: k.supporterStatic, party: 0x01 });
  const asSupporter = await SecureChannel.forSupporter({ sessionId: 's1', staticKey: k.supporterStatic });
  const m1 = await caller.start();
  assert.equal((await asSupporter.receive(m1, 1)).outcome, 'rejected', 'another prologue');
  const m3 = (await caller.receive((await lead.receive(m1, 1)).reply, 1)).reply;
  await lead.receive(m3, 2);
  const sealed = await caller.seal(id(), utf8('to the lead'), 3);
  assert.equal(text((await lead.receive(sealed, 3)).content), 'to the lead');
  const ad = associatedData('s1', Direction.CALLER_TO_LEAD, 3);
  assert.equal(ad[16], 0x03);
});
