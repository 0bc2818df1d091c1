// The continuity rules R1–R7 (src/app/lane.js) against an in-memory relay, fake channels and memory stores:
// every message shown once to the side it was for, or its sender told it was not delivered; never a false "Delivered".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeRelay, Side, until } from './lane-harness.js';

async function chat() {
  const relay = new FakeRelay();
  const caller = new Side(relay, 'caller').fresh();
  const staff = new Side(relay, 'staff').fresh();
  await staff.resume();
  await caller.resume(); // active, no channel: the caller starts the handshake (R6)
  await until(() => caller.currentLane.isSecure && staff.currentLane.isSecure, 'the handshake completes');
  return { relay, caller, staff };
}

/** @param {Side} side @param {string[]} ids */
const delivered = (side, ids) => () => ids.every((id) => side.statuses.get(id) === 'delivered');

test('lane: a handshake, then messages both ways, each shown once and delivered', async () => {
  const { caller, staff } = await chat();
  assert.equal(caller.currentLane.safetyCode, staff.currentLane.safetyCode);
  const up = ['one', 'two', 'three'].map((t) => caller.write(t));
  const down = staff.write('hello');
  await until(delivered(caller, up), 'the caller\'s messages are delivered');
  await until(delivered(staff, [down]), 'the supporter\'s message is delivered');
  assert.deepEqual(staff.shown, ['one', 'two', 'three']);
  assert.deepEqual(caller.shown, ['hello']);
});

test('lane R1: a message written before the channel exists waits, then is sealed and sent', async () => {
  const relay = new FakeRelay();
  const caller = new Side(relay, 'caller').fresh();
  const staff = new Side(relay, 'staff').fresh();
  const early = caller.write('written while securing');
  await until(() => caller.statuses.get(early) === 'sending', 'shown as sending');
  await staff.resume();
  await caller.resume();
  await until(delivered(caller, [early]), 'the early message is delivered');
  assert.deepEqual(staff.shown, ['written while securing']);
});

test('lane R1: a seal that fails locally uses up no seq', async () => {
  const { relay, caller, staff } = await chat();
  const tooLarge = caller.write('x'.repeat(200));
  const next = caller.write('fits');
  await until(delivered(caller, [next]), 'the next message is delivered');
  assert.equal(caller.statuses.get(tooLarge), 'failed');
  const seqs = relay.sent.filter((s) => s.side === 'caller').map((s) => s.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'no gap in the caller\'s seqs');
  assert.deepEqual(staff.shown, ['fits']);
});

test('lane R2/R6: a reload of the staff side keeps the channel; messages in flight are opened once', async () => {
  const { caller, staff } = await chat();
  const before = staff.currentLane.safetyCode;
  staff.hub.connected = false; // the console reloads while five messages are in flight
  const ids = [1, 2, 3, 4, 5].map((n) => caller.write(`in flight ${n}`));
  await until(() => ids.every((id) => caller.statuses.get(id) === 'sent'), 'the server stored them');
  await staff.reload();
  staff.hub.connected = true;
  await staff.resume();
  await until(delivered(caller, ids), 'the caller sees them delivered');
  assert.deepEqual(staff.shown, ['in flight 1', 'in flight 2', 'in flight 3', 'in flight 4', 'in flight 5']);
  assert.equal(staff.currentLane.safetyCode, before, 'same channel, no handshake');
  assert.deepEqual(staff.secured, [before, before], 'established once, restored once');
});

test('lane R5/R3: the staff side lost its state for good: restart request, re-seal, every message once, no false delivery', async () => {
  const { relay, caller, staff } = await chat();
  const first = caller.write('kept before the loss');
  await until(delivered(caller, [first]), 'delivered');
  staff.hub.connected = false;
  const ids = [1, 2, 3].map((n) => caller.write(`lost channel ${n}`));
  await until(() => ids.every((id) => caller.statuses.get(id) === 'sent'), 'stored');
  await staff.reload({ lost: true }); // a cleared browser
  staff.hub.connected = true;
  await staff.resume();
  // The receipts for the envelopes the staff side could not open must not say "Delivered" for the old channel's seqs.
  await until(delivered(caller, ids), 're-sealed under the new channel and delivered');
  assert.deepEqual(staff.shown, ['kept before the loss', 'lost channel 1', 'lost channel 2', 'lost channel 3']);
  assert.notEqual(caller.currentLane.safetyCode, null);
  assert.equal(caller.currentLane.safetyCode, staff.currentLane.safetyCode);
  const upSeqs = relay.sent.filter((s) => s.side === 'caller').map((s) => s.seq);
  assert.deepEqual(upSeqs, upSeqs.map((_, i) => i + 1));
});

test('lane R2: a message sealed again under a later channel is shown once (dedupe by message id)', async () => {
  const { caller, staff } = await chat();
  staff.hub.connected = false; // the supporter reads nothing for a while
  const ids = ['a', 'b'].map((t) => caller.write(t));
  await until(() => ids.every((id) => caller.statuses.get(id) === 'sent'), 'stored');
  staff.hub.connected = true;
  await staff.resume(); // the staff side opens and keeps both, but the receipts are lost on the way
  await until(() => staff.shown.length === 2, 'shown');
  caller.hub.connected = false;
  await caller.currentLane.delivered(0);
  caller.hub.connected = true;
  await caller.currentLane.abandon({ restart: true }); // the caller starts over before it heard of the receipts (R5)
  await until(delivered(caller, ids), 'delivered under the new channel');
  assert.deepEqual(staff.shown, ['a', 'b']);
});

test('lane R4: a receipt covering seqs of an abandoned channel is ignored', async () => {
  const { caller, staff } = await chat();
  staff.hub.connected = false;
  const id = caller.write('sealed for the old channel');
  await until(() => caller.statuses.get(id) === 'sent', 'stored');
  const seq = caller.relay.directions.up.last;
  await caller.currentLane.abandon();
  await caller.currentLane.delivered(seq);
  assert.equal(caller.statuses.get(id), 'sending', 'not delivered: it waits for the next channel');
  await caller.currentLane.sync({ lastSentSeq: seq, lastReceivedSeq: 0, peerReceivedSeq: seq });
  assert.equal(caller.statuses.get(id), 'sending', 'the view\'s peerReceivedSeq is a receipt like any other');
});

test('lane R6: after a restart the kept envelopes are resent byte for byte under the same relay id and seq', async () => {
  const { relay, caller, staff } = await chat();
  caller.hub.connected = false; // the page is offline: sends wait
  const ids = ['x', 'y'].map((t) => caller.write(t));
  await until(() => caller.kept.wire.length === 2, 'kept before sending');
  const kept = caller.kept.wire.map((w) => [w.seq, w.relayMessageId]);
  await caller.reload();
  caller.hub.connected = true;
  await caller.resume();
  await until(delivered(caller, ids), 'delivered');
  const resent = relay.sent.filter((s) => s.side === 'caller').slice(-2).map((s) => [s.seq, s.messageId]);
  assert.deepEqual(resent, kept);
  assert.deepEqual(staff.shown, ['x', 'y']);
});

test('lane R6: a stored state older than what the server has starts a new channel and loses nothing', async () => {
  const { caller, staff } = await chat();
  const old = structuredClone(caller.kept);
  const ids = ['p', 'q'].map((t) => caller.write(t));
  await until(delivered(caller, ids), 'delivered');
  staff.hub.connected = false;
  const pending = caller.write('not yet read');
  await until(() => caller.statuses.get(pending) === 'sent', 'stored');
  // the caller's storage goes back to before it sent p and q (a lost write): the server has more than it knows of
  caller.store.value = { ...old, outbox: [...old.outbox, ...caller.kept.outbox] };
  await caller.reload();
  staff.hub.connected = true;
  await caller.resume();
  await staff.resume();
  await until(delivered(caller, [pending]), 'the pending message arrives under a new channel');
  assert.deepEqual(staff.shown, ['p', 'q', 'not yet read']);
  assert.equal(caller.currentLane.safetyCode, staff.currentLane.safetyCode);
});

test('lane R7: when the lane ends, what is still in the outbox is reported as not delivered', async () => {
  const { caller, staff } = await chat();
  staff.hub.connected = false;
  const ids = ['left unread 1', 'left unread 2'].map((t) => caller.write(t));
  await until(() => ids.every((id) => caller.statuses.get(id) === 'sent'), 'stored');
  await caller.currentLane.end();
  assert.deepEqual(caller.statusesOf(ids), ['undelivered', 'undelivered']);
});

test('lane R5: the caller keeps the previous channel to open what the old supporter sent before the change', async () => {
  const { caller, staff } = await chat();
  caller.hub.connected = false;
  const down = staff.write('sent before the transfer');
  await until(() => staff.statuses.get(down) === 'sent', 'stored');
  await caller.currentLane.abandon(); // the caller hears of a change while the message waits for it
  caller.hub.connected = true;
  await caller.resume();
  await until(() => caller.shown.length === 1, 'opened with the previous channel');
  assert.deepEqual(caller.shown, ['sent before the transfer']);
});

test('lane R6: a view naming another holder makes the caller start a new channel and re-seal what was not delivered', async () => {
  const { relay, caller, staff } = await chat();
  await caller.currentLane.sync({ ...await relay.resume('caller'), holder: 1 }); // the channel learns its holder
  const before = caller.currentLane.safetyCode;
  staff.hub.connected = false; // the first supporter reads nothing more
  const ids = ['for whoever holds it 1', 'for whoever holds it 2'].map((t) => caller.write(t));
  await until(() => ids.every((id) => caller.statuses.get(id) === 'sent'), 'stored');
  caller.hub.connected = false; // the caller is away while the chat is handed over
  const colleague = new Side(relay, 'staff').fresh(); // the new holder: nothing kept, asks for a restart (R3)
  await colleague.resume();
  caller.hub.connected = true;
  caller.currentLane.hold(); // the reconnection: the restart request is read after the view that names the new holder
  await caller.currentLane.sync({ ...await relay.resume('caller'), holder: 2 });
  await until(delivered(caller, ids), 'delivered to the new holder');
  assert.deepEqual(colleague.shown, ['for whoever holds it 1', 'for whoever holds it 2']);
  assert.notEqual(caller.currentLane.safetyCode, before);
  assert.equal(caller.currentLane.safetyCode, colleague.currentLane.safetyCode);
  assert.deepEqual(staff.shown, []);
});

test('lane: held-full: the send waits for the other side\'s receipt and goes on; every message once, in order, none delivered early', async () => {
  const { relay, caller, staff } = await chat();
  await until(() => relay.directions.up.stored.size === 0, 'the handshake is acknowledged');
  relay.maxHeld = 2;
  staff.hub.connected = false; // the supporter reads nothing for a while
  const texts = ['one', 'two', 'three', 'four', 'five'];
  const ids = texts.map((t) => caller.write(t));
  await until(() => relay.heldFull > 0, 'the third send is refused with held-full');
  assert.deepEqual(caller.statusesOf(ids), ['sent', 'sent', 'sending', 'sending', 'sending']);
  assert.equal(relay.directions.up.stored.size, 2, 'nothing stored past the quota');
  staff.hub.connected = true;
  await staff.resume(); // reads and acknowledges: the receipt lets the caller's lane go on
  await until(delivered(caller, ids), 'every message delivered');
  assert.deepEqual(staff.shown, texts);
  const seqs = relay.sent.filter((s) => s.side === 'caller').map((s) => s.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'each seq stored once, in order');
});

test('lane: held-full with the receipt lost on the way: the send goes again after a pause, and is not shown as delivered', async () => {
  const { relay, caller } = await chat();
  await until(() => relay.directions.up.stored.size === 0, 'the handshake is acknowledged');
  relay.maxHeld = 1;
  caller.relay.sides.staff = undefined; // the supporter's acknowledgements reach no one
  const [first, second] = ['kept', 'waits'].map((t) => caller.write(t));
  await until(() => relay.heldFull > 0, 'the second send is refused with held-full');
  relay.directions.up.stored.clear(); // the other side acknowledged; the caller never heard of it
  await until(() => caller.statuses.get(second) === 'sent', 'sent again after the pause');
  assert.deepEqual(caller.statusesOf([first, second]), ['sent', 'sent']);
});
