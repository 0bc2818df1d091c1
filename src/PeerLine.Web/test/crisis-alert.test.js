// The console's crisis alert: one request, or a coalesced alert standing for several.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crisisAlertDetail, crisisAlertHeadline } from '../src/staff/texts.js';
import { Topics } from '../src/app/wire.js';

test('a coalesced alert says how many crisis requests wait, and names the latest', () => {
  const alert = { sessionId: 's', topic: Topics.PatientDeath, waitingSeconds: 12, waiting: 7 };
  assert.equal(crisisAlertHeadline(alert), '7 crisis requests waiting');
  assert.match(crisisAlertDetail(alert), /^the latest: .+\. Each caller has been shown the crisis lines\.$/);
});

test('an alert for one request reads as before (also from a server that sends no count)', () => {
  const alert = { sessionId: 's', topic: Topics.Burnout, waitingSeconds: 0 };
  assert.equal(crisisAlertHeadline(alert), 'Crisis request waiting');
  assert.equal(crisisAlertHeadline({ ...alert, waiting: 1 }), 'Crisis request waiting');
  assert.match(crisisAlertDetail(alert), /The caller has been shown the crisis lines\.$/);
});
