import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorCode, isRetryable } from '../src/app/wire.js';

test('error codes: the last token of a hub error', () => {
  assert.equal(errorCode(new Error("An unexpected error occurred invoking 'Claim' on the server. HubException: already-claimed")), 'already-claimed');
  assert.equal(isRetryable('already-claimed'), false);
  assert.equal(isRetryable('unavailable'), true);
  assert.equal(isRetryable('rate-limited'), true);
});

test('an error the server sent without a PeerLine code is internal, not retried', () => {
  const code = errorCode(new Error("Failed to invoke 'SendCiphertext' due to an error on the server. InvalidDataException: Invocation provides 2 argument(s) but target expects 4."));
  assert.equal(code, 'internal');
  assert.equal(isRetryable(code), false);
});

test('any other failure is outcome unknown: retried after the next Resume', () => {
  for (const message of [
    "Cannot send data if the connection is not in the 'Connected' State.",
    'Invocation canceled due to the underlying connection being closed.',
    'WebSocket closed with status code: 1006 (no reason given).',
    'Server timeout elapsed without receiving a message from the server.',
    'Failed to fetch',
  ]) {
    assert.equal(errorCode(new Error(message)), 'disconnected', message);
    assert.equal(isRetryable(errorCode(new Error(message))), true);
  }
  assert.equal(errorCode(undefined), 'disconnected');
});
