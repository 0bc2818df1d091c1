// The compliance view's wording of times, waits, rates and the integrity verdict (all UTC, all from codes).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minutesSeconds, percent, readable, timeSpan, utcIso, utcMinute, weekLabel } from '../src/compliance/format.js';
import { integritySummary, verifyCommand } from '../src/compliance/integrity.js';

test('an audit time stands for the hour it was rounded down to', () => {
  assert.equal(timeSpan('2026-11-25T14:00:00+00:00'), '25 Nov 2026, 14:00–15:00 UTC');
  assert.equal(timeSpan('2026-11-25T23:00:00Z'), '25 Nov 2026, 23:00–00:00 UTC');
  assert.equal(timeSpan('2026-01-05T09:30:00Z', 30), '5 Jan 2026, 09:30–10:00 UTC');
});

test('a datetime-local value is read as UTC, whatever the browser zone', () => {
  assert.equal(utcIso('2026-11-25T14:00'), '2026-11-25T14:00:00.000Z');
  assert.equal(utcIso(''), null);
  assert.equal(utcIso('not a time'), null);
});

test('weeks, checkpoints, waits and rates', () => {
  assert.equal(weekLabel('2026-11-16'), '16 Nov 2026');
  assert.equal(utcMinute('2026-11-25T17:04:00+00:00'), '25 Nov 2026 17:04 UTC');
  assert.equal(minutesSeconds(245), '4:05');
  assert.equal(minutesSeconds(0), '0:00');
  assert.equal(minutesSeconds(null), null);
  assert.equal(percent(0.125), '12.5%');
  assert.equal(percent(0), '0%');
  assert.equal(percent(null), null);
  assert.equal(readable('session-claimed'), 'Session claimed');
});

const status = {
  intact: true, records: 214, firstSeq: 1, lastSeq: 214, verifiedThrough: 200, checkpointSignedAt: '2026-11-25T17:04:00+00:00',
  firstBadSeq: null, problem: null, publicKey: 'a2V5',
};

test('an intact trail says how far the signed checkpoint reaches', () => {
  assert.equal(integritySummary(status),
    'Verified: 214 records; signed checkpoint covers records up to 200, signed 25 Nov 2026 17:04 UTC; 14 newer records await the next checkpoint.');
  assert.equal(integritySummary({ ...status, verifiedThrough: 214 }),
    'Verified: 214 records; signed checkpoint covers records up to 214, signed 25 Nov 2026 17:04 UTC; every record is covered.');
  assert.equal(integritySummary({ ...status, verifiedThrough: 0, checkpointSignedAt: null }),
    'Verified: 214 records; no checkpoint is signed yet, the next one will cover them.');
  assert.match(integritySummary({ ...status, firstSeq: 15, records: 200 }), /^Verified: 200 records \(records 15 to 214;/);
  assert.equal(integritySummary({ ...status, records: 0, firstSeq: 0, lastSeq: 0 }), 'The audit trail is empty: nothing to verify yet.');
});

test('a broken trail says where and why', () => {
  assert.equal(integritySummary({ ...status, intact: false, firstBadSeq: 6, problem: 'the hash does not match' }),
    'Integrity check FAILED at record 6: the hash does not match');
});

test('the verify command carries the key', () => {
  assert.equal(verifyCommand('a2V5'), 'dotnet run --project src/PeerLine.Cli -- audit verify FILE --key a2V5');
});
