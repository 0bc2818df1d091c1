// The delivery contract in the browser (src/app/relay.js, docs/protocol.md §7), against a scripted hub.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toBase64 } from '../src/protocol/bytes.js';
import { Inbox, Outbox } from '../src/app/relay.js';
import { errorCode, isRetryable } from '../src/app/wire.js';

const envelope = (seq, byte = seq) => ({ sessionId: 's', seq, ciphertext: toBase64(new Uint8Array([byte])) });

function recordingInbox() {
  const delivered = [];
  const acks = [];
  const inbox = new Inbox(async (seq, bytes) => { delivered.push([seq, bytes[0]]); }, async (upTo) => { acks.push(upTo); });
  return { inbox, delivered, acks };
}

test('inbox: holds everything until the view, then delivers from lastReceivedSeq + 1 in order', async () => {
  const { inbox, delivered, acks } = recordingInbox();
  await inbox.accept(envelope(3));
  await inbox.accept(envelope(2));
  assert.deepEqual(delivered, []);
  await inbox.sync(1);
  assert.deepEqual(delivered, [[2, 2], [3, 3]]);
  assert.deepEqual(acks, [3]);
});

test('inbox: a redelivered or duplicated seq reaches the application once', async () => {
  const { inbox, delivered, acks } = recordingInbox();
  await inbox.sync(0);
  await inbox.accept(envelope(1));
  await inbox.accept(envelope(1));
  await inbox.accept(envelope(2));
  await inbox.sync(0); // a resumed view that is behind what this page already handled
  await inbox.accept(envelope(1));
  await inbox.accept(envelope(2));
  assert.deepEqual(delivered, [[1, 1], [2, 2]]);
  assert.deepEqual(acks, [1, 2]);
});

test('inbox: a gap holds later messages until it fills', async () => {
  const { inbox, delivered } = recordingInbox();
  await inbox.sync(0);
  await inbox.accept(envelope(2));
  await inbox.accept(envelope(3));
  assert.deepEqual(delivered, []);
  await inbox.accept(envelope(1));
  assert.deepEqual(delivered.map(([s]) => s), [1, 2, 3]);
});

test('inbox: a failed acknowledgement is retried with the next one', async () => {
  const acks = [];
  let fail = true;
  const inbox = new Inbox(async () => {}, async (upTo) => {
    if (fail) { fail = false; throw new Error('Invocation canceled due to the underlying connection being closed.'); }
    acks.push(upTo);
  });
  await inbox.sync(0);
  await inbox.accept(envelope(1));
  await inbox.accept(envelope(2));
  assert.deepEqual(acks, [2]);
});

function scriptedHub(answers) {
  const calls = [];
  return {
    calls,
    whenConnected: async () => {},
    invoke: async (...args) => {
      calls.push(args);
      const answer = answers.shift();
      if (answer) throw new Error(answer);
    },
  };
}

test('outbox: a send lost with the connection is retried with the same id, seq and bytes, sealed once', async () => {
  const hub = scriptedHub(['Invocation canceled due to the underlying connection being closed.', "An unexpected error occurred invoking 'SendCiphertext' on the server. HubException: unavailable"]);
  const outbox = new Outbox(hub, 's');
  outbox.sync(4);
  let seals = 0;
  const seq = await outbox.send(async (s) => { seals++; return new Uint8Array([s]); });
  assert.equal(seq, 5);
  assert.equal(seals, 1);
  assert.equal(hub.calls.length, 3);
  for (const call of hub.calls) assert.deepEqual(call, hub.calls[0]);
  assert.deepEqual(hub.calls[0].slice(0, 1).concat(hub.calls[0].slice(1, 2), hub.calls[0].slice(3)), ['SendCiphertext', 's', 5, toBase64(new Uint8Array([5]))]);
});

test('outbox: a refusal for good fails the message and gives its seq to the next one', async () => {
  const hub = scriptedHub(["An unexpected error occurred invoking 'SendCiphertext' on the server. HubException: too-large"]);
  const outbox = new Outbox(hub, 's');
  await assert.rejects(outbox.send(async () => new Uint8Array(1)), (error) => error.code === 'too-large');
  assert.equal(await outbox.send(async () => new Uint8Array(1)), 1);
});

test('outbox: messages go one at a time, in the order sent', async () => {
  const hub = scriptedHub([]);
  const outbox = new Outbox(hub, 's');
  const seqs = await Promise.all([1, 2, 3].map((n) => outbox.send(async (s) => new Uint8Array([n, s]))));
  assert.deepEqual(seqs, [1, 2, 3]);
  assert.deepEqual(hub.calls.map((c) => c[3]), [1, 2, 3]);
});

test('outbox: delivery receipts only move forward', () => {
  const seen = [];
  const outbox = new Outbox(scriptedHub([]), 's', { onDelivered: (upTo) => seen.push(upTo) });
  outbox.deliveredUpTo(3);
  outbox.deliveredUpTo(2);
  outbox.deliveredUpTo(5);
  assert.deepEqual(seen, [3, 5]);
  assert.equal(outbox.delivered, 5);
});

test('error codes: the last token of a hub error; a lost connection is retryable', () => {
  assert.equal(errorCode(new Error("An unexpected error occurred invoking 'Claim' on the server. HubException: already-claimed")), 'already-claimed');
  assert.equal(errorCode(new Error("Cannot send data if the connection is not in the 'Connected' State.")), 'disconnected');
  assert.equal(errorCode(new Error('something else')), 'internal');
  assert.ok(isRetryable('disconnected') && isRetryable('unavailable') && isRetryable('rate-limited'));
  assert.ok(!isRetryable('wrong-state') && !isRetryable('internal'));
});
