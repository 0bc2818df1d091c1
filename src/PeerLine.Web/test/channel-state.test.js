// A channel kept across a reload: exportState() survives structured clone (what IndexedDB does) with its keys still
// non-extractable, and SecureChannel.fromState() continues exactly where it stood. Message ids travel inside.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromHex, utf8 } from '../src/protocol/bytes.js';
import { generateKeyPair } from '../src/protocol/noise.js';
import { SecureChannel, messageIdHex, newMessageId } from '../src/protocol/channel.js';
import { Party } from '../src/protocol/envelope.js';

const SESSION = 'a2VlcGluZy1hLWNoYW5uZWw';
const supporterKey = await generateKeyPair();
const episodeKey = await generateKeyPair();
/** @import { ReceiveOutcome } from '../src/protocol/channel.js' */

/** @param {Uint8Array | undefined} bytes */
const text = (bytes) => new TextDecoder().decode(bytes);

/** @param {number} party */
async function establish(party = Party.SUPPORTER) {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey, party });
  const staff = await SecureChannel.forSupporter({ sessionId: SESSION, staticKey: supporterKey, party });
  const final = await caller.receive((await staff.receive(await caller.start(), 1)).reply, 1);
  assert.equal((await staff.receive(final.reply, 2)).outcome, 'handshake');
  return { caller, staff };
}

/** @param {Promise<ReceiveOutcome>} resultPromise */
async function read(resultPromise) {
  const result = await resultPromise;
  assert.equal(result.outcome, 'message');
  return text(result.content);
}

/** What a reload does to the state: structured clone (IndexedDB), then fromState. */
/** @param {SecureChannel} channel */
const reload = async (channel) => SecureChannel.fromState(structuredClone(await channel.exportState()));

test('newMessageId gives 16 random bytes; messageIdHex gives 32 hex digits and refuses anything else', () => {
  const a = newMessageId();
  assert.ok(a instanceof Uint8Array);
  assert.equal(a.length, 16);
  assert.notEqual(messageIdHex(a), messageIdHex(newMessageId()));
  assert.equal(messageIdHex(fromHex('00112233445566778899aabbccddeeff')), '00112233445566778899aabbccddeeff');
  assert.throws(() => messageIdHex(new Uint8Array(15)), TypeError);
  assert.throws(() => messageIdHex('00112233445566778899aabbccddeeff'), TypeError);
});

test('the message id round-trips inside the envelope; the same id sealed under another channel opens with the same id', async () => {
  const first = await establish();
  const second = await establish();
  const messageId = newMessageId();
  const a = await first.staff.receive(await first.caller.seal(messageId, utf8('written once'), 3), 3);
  const b = await second.staff.receive(await second.caller.seal(messageId, utf8('written once'), 4), 4);
  assert.equal(messageIdHex(a.messageId), messageIdHex(messageId));
  assert.equal(messageIdHex(b.messageId), messageIdHex(messageId));
  assert.equal(text(b.content), 'written once');
  await assert.rejects(() => first.caller.seal(new Uint8Array(8), utf8('bad id'), 4), TypeError);
  assert.equal(await read(first.staff.receive(await first.caller.seal(newMessageId(), utf8('the bad id used no nonce'), 4), 4)), 'the bad id used no nonce');
});

test('exportState survives structured clone; fromState continues both directions with the same safety code and nonces', async () => {
  const { caller, staff } = await establish();
  assert.equal(await read(staff.receive(await caller.seal(newMessageId(), utf8('before'), 3), 3)), 'before');
  assert.equal(await read(caller.receive(await staff.seal(newMessageId(), utf8('reply before'), 2), 2)), 'reply before');

  const state = structuredClone(await caller.exportState());
  assert.deepEqual(Object.keys(state).sort(), ['caller', 'handshakeHash', 'party', 'receive', 'remoteStaticKey', 'safetyCode', 'send', 'sessionId']);
  assert.equal(state.sessionId, SESSION);
  assert.equal(state.party, Party.SUPPORTER);
  assert.equal(state.caller, true);
  assert.deepEqual([state.send.nonce, state.receive.nonce], [1, 1]);
  for (const key of [state.send.key, state.receive.key]) {
    assert.ok(key instanceof CryptoKey);
    assert.equal(key.extractable, false);
    await assert.rejects(() => crypto.subtle.exportKey('raw', key));
  }
  assert.deepEqual(state.handshakeHash, caller.handshakeHash);
  assert.deepEqual(state.remoteStaticKey, supporterKey.publicKey);
  assert.equal(state.safetyCode, caller.safetyCode);

  const restoredCaller = await SecureChannel.fromState(state);
  const restoredStaff = await reload(staff);
  assert.ok(restoredCaller.isEstablished && restoredStaff.isEstablished);
  assert.equal(restoredCaller.safetyCode, caller.safetyCode);
  assert.equal(restoredStaff.safetyCode, caller.safetyCode);
  assert.deepEqual(restoredStaff.handshakeHash, caller.handshakeHash);
  assert.deepEqual(restoredStaff.remoteStaticKey, episodeKey.publicKey);

  assert.equal(await read(restoredStaff.receive(await restoredCaller.seal(newMessageId(), utf8('after'), 4), 4)), 'after');
  assert.equal(await read(restoredCaller.receive(await restoredStaff.seal(newMessageId(), utf8('reply after'), 3), 3)), 'reply after');
  const again = await restoredCaller.exportState();
  assert.deepEqual([again.send.nonce, again.receive.nonce], [2, 2]);
});

test('restored on one side only, the channel still talks to the live other side', async () => {
  const { caller, staff } = await establish();
  const restored = await reload(staff);
  assert.equal(await read(restored.receive(await caller.seal(newMessageId(), utf8('to the reloaded side'), 3), 3)), 'to the reloaded side');
  assert.equal(await read(caller.receive(await restored.seal(newMessageId(), utf8('from the reloaded side'), 2), 2)), 'from the reloaded side');
});

test('a restored channel rejects a replay of an envelope opened before the export', async () => {
  const { caller, staff } = await establish();
  const opened = await caller.seal(newMessageId(), utf8('opened before'), 3);
  assert.equal(await read(staff.receive(opened, 3)), 'opened before');
  const restored = await reload(staff);
  assert.equal((await restored.receive(opened, 3)).outcome, 'rejected');
  assert.equal(await read(restored.receive(await caller.seal(newMessageId(), utf8('next'), 4), 4)), 'next');
});

test('exportState waits for the seals called before it, so its nonce is never one already used', async () => {
  const { caller, staff } = await establish();
  const sealing = [3, 4, 5].map((seq) => caller.seal(newMessageId(), utf8(`m${seq}`), seq));
  const state = await caller.exportState();
  assert.equal(state.send.nonce, 3);
  for (const [i, envelope] of (await Promise.all(sealing)).entries()) await read(staff.receive(envelope, i + 3));
  const restored = await SecureChannel.fromState(state);
  assert.equal(await read(staff.receive(await restored.seal(newMessageId(), utf8('m6'), 6), 6)), 'm6');
});

test('a lead channel keeps its party and directions', async () => {
  const { caller, staff } = await establish(Party.LEAD);
  const restoredLead = await reload(staff);
  assert.equal((await restoredLead.exportState()).party, Party.LEAD);
  assert.equal(await read(restoredLead.receive(await caller.seal(newMessageId(), utf8('to the lead'), 3), 3)), 'to the lead');
  const restoredCaller = await reload(caller);
  assert.equal(await read(restoredLead.receive(await restoredCaller.seal(newMessageId(), utf8('again'), 4), 4)), 'again');
});

test('exportState before the handshake is complete is refused; a restored channel takes no handshake message', async () => {
  const caller = await SecureChannel.forCaller({ sessionId: SESSION, supporterStaticKey: supporterKey.publicKey, episodeKey });
  await assert.rejects(() => caller.exportState(), /established/);
  const first = await caller.start();
  await assert.rejects(() => caller.exportState(), /established/);
  assert.equal(caller.handshakeHash, null);

  const { staff } = await establish();
  const restored = await reload(staff);
  assert.equal((await restored.receive(first, 3)).outcome, 'rejected');
  await assert.rejects(() => restored.start());
  assert.equal(restored.hasFailed, false);
});

test('fromState refuses a malformed state, an extractable key, or a safety code that does not follow from the hash', async () => {
  const { caller } = await establish();
  const state = await caller.exportState();
  await assert.rejects(() => SecureChannel.fromState({ ...state, safetyCode: '0000 0000 0000' }), TypeError);
  await assert.rejects(() => SecureChannel.fromState({ ...state, handshakeHash: new Uint8Array(31) }), TypeError);
  await assert.rejects(() => SecureChannel.fromState({ ...state, party: 2 }), TypeError);
  await assert.rejects(() => SecureChannel.fromState({ ...state, sessionId: '' }), TypeError);
  await assert.rejects(() => SecureChannel.fromState({ ...state, send: { ...state.send, nonce: -1 } }), RangeError);
  const extractable = await crypto.subtle.importKey('raw', new Uint8Array(32), 'AES-GCM', true, ['encrypt', 'decrypt']);
  await assert.rejects(() => SecureChannel.fromState({ ...state, send: { key: extractable, nonce: 0 } }), TypeError);
  await assert.rejects(() => SecureChannel.fromState(null), TypeError);
  assert.ok((await SecureChannel.fromState(state)).isEstablished);
});
