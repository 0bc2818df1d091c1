// The post-chat questions: only known answer codes of known questions leave the device.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { feedbackAnswers } from '../src/caller/feedback.js';

test('both answers are sent under their question codes', () => {
  assert.deepEqual(feedbackAnswers({ helped: 'somewhat', 'would-return': 'maybe' }), { helped: 'somewhat', 'would-return': 'maybe' });
});

test('a question left unanswered is left out', () => {
  assert.deepEqual(feedbackAnswers({ helped: null, 'would-return': 'no' }), { 'would-return': 'no' });
  assert.deepEqual(feedbackAnswers({}), {});
});

test('unknown questions and answers never leave the device', () => {
  assert.deepEqual(feedbackAnswers({ helped: 'maybe', name: 'yes', 'would-return': 'toString' }), {});
});
