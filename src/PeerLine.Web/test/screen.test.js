// The caller's self-screen: evaluated on the device, only codes leave it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateScreen } from '../src/caller/screen.js';

test('a yes to the safety question is a crisis, whatever else was answered', () => {
  assert.deepEqual(evaluateScreen({ topic: 'burnout', soon: 'today', safety: 'yes' }), { topic: 'burnout', priority: 'crisis' });
  assert.deepEqual(evaluateScreen({ topic: 'adverse-event', soon: 'now', safety: 'yes' }), { topic: 'adverse-event', priority: 'crisis' });
});

test('otherwise "as soon as possible" is soon and "today" is routine', () => {
  assert.deepEqual(evaluateScreen({ topic: 'patient-death', soon: 'now', safety: 'no' }), { topic: 'patient-death', priority: 'soon' });
  assert.deepEqual(evaluateScreen({ topic: 'other', soon: 'today', safety: 'no' }), { topic: 'other', priority: 'routine' });
});

test('a missing or unknown answer gives no request', () => {
  assert.equal(evaluateScreen({ topic: null, soon: 'now', safety: 'no' }), null);
  assert.equal(evaluateScreen({ topic: 'adverse-event', soon: null, safety: 'no' }), null);
  assert.equal(evaluateScreen({ topic: 'adverse-event', soon: 'now', safety: null }), null);
  assert.equal(evaluateScreen({ topic: 'toString', soon: 'now', safety: 'no' }), null);
});
