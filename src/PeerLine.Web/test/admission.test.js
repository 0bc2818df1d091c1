// Getting a request into the queue (src/caller/admission.js): a fresh proof with every request, a new one after
// puzzle-failed (bounded) or after a reconnection while solving, and the notice the caller reads meanwhile
// (src/caller/connecting.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Admission, MAX_PUZZLE_ATTEMPTS } from '../src/caller/admission.js';
import { CONNECTING, ConnectingNotice, SLOW, SLOW_AFTER_MS } from '../src/caller/connecting.js';
import { CallerHub, ErrorCodes } from '../src/app/wire.js';

/** @import { PuzzleChallenge, PuzzleProof } from '../src/app/types.js' */

/** @param {string} code */
const hubError = (code) => new Error(`An unexpected error occurred invoking 'RequestSupport' on the server. HubException: ${code}`);

/**
 * A server that hands out numbered challenges, and a solver that answers at once; records what happened.
 * @param {{ reconnectWhileSolving?: number }} [options] the connection changes during that many solves
 */
function setup({ reconnectWhileSolving = 0 } = {}) {
  let issued = 0;
  let connection = 1;
  /** @type {string[]} */
  const log = [];
  const admission = new Admission({
    invoke: async (method) => {
      assert.equal(method, CallerHub.Challenge);
      issued++;
      log.push(`challenge ${issued} on ${connection}`);
      return /** @type {PuzzleChallenge} */ ({ challenge: `c${issued}`, bits: 8, iterations: 1000, expiresInSeconds: 600 });
    },
    connection: () => `connection ${connection}`,
    solve: async (challenge) => {
      if (reconnectWhileSolving-- > 0) connection++;
      return { challenge: challenge.challenge, nonce: 'n' };
    },
    onSolving: (solving) => log.push(solving ? 'solving' : 'solved'),
  });
  return { admission, log };
}

/**
 * A server whose answers to the requests are given in order: an error code, or a ticket.
 * @param {string[]} answers
 */
function server(answers) {
  /** @type {string[]} */
  const proofs = [];
  const ask = async (/** @type {PuzzleProof} */ proof) => {
    proofs.push(proof.challenge);
    const answer = answers.shift();
    if (answer !== 'ticket') throw hubError(/** @type {string} */ (answer));
    return 'ticket';
  };
  return { ask, proofs };
}

test('a request carries the proof of a fresh challenge, solved while the caller is told', async () => {
  const { admission, log } = setup();
  const { ask, proofs } = server(['ticket']);
  assert.equal(await admission.request(ask), 'ticket');
  assert.deepEqual(proofs, ['c1']);
  assert.deepEqual(log, ['challenge 1 on 1', 'solving', 'solved']);
});

test('after puzzle-failed a new challenge is solved, at most MAX_PUZZLE_ATTEMPTS times, then the refusal stands', async () => {
  const { admission } = setup();
  const retried = server([ErrorCodes.PuzzleFailed, 'ticket']);
  assert.equal(await admission.request(retried.ask), 'ticket');
  assert.deepEqual(retried.proofs, ['c1', 'c2']);

  const { admission: again } = setup();
  const failing = server(Array(MAX_PUZZLE_ATTEMPTS + 1).fill(ErrorCodes.PuzzleFailed));
  await assert.rejects(again.request(failing.ask), /puzzle-failed/);
  assert.equal(failing.proofs.length, MAX_PUZZLE_ATTEMPTS);
});

test('any other refusal is passed on at once, and its proof is not used again', async () => {
  const { admission } = setup();
  const { ask, proofs } = server([ErrorCodes.SourceLimit, 'ticket']);
  await assert.rejects(admission.request(ask), /source-limit/);
  assert.equal(await admission.request(ask), 'ticket');
  assert.deepEqual(proofs, ['c1', 'c2']);
});

test('a proof goes on the connection that fetched its challenge: after a reconnection while solving, a new challenge', async () => {
  const { admission, log } = setup({ reconnectWhileSolving: 1 });
  const { ask, proofs } = server(['ticket']);
  assert.equal(await admission.request(ask), 'ticket');
  assert.deepEqual(proofs, ['c2']);
  assert.deepEqual(log, ['challenge 1 on 1', 'solving', 'solved', 'challenge 2 on 2', 'solving', 'solved']);
});

test('stopping ends the solve under way', async () => {
  /** @type {AbortSignal | undefined} */
  let seen;
  const admission = new Admission({
    invoke: async () => ({ challenge: 'c', bits: 8, iterations: 1000, expiresInSeconds: 600 }),
    connection: () => 'connection 1',
    solve: (_, { signal } = {}) => new Promise((_resolve, reject) => {
      seen = signal;
      signal?.addEventListener('abort', () => reject(signal.reason));
    }),
    onSolving: () => {},
  });
  const request = admission.request(async () => 'ticket');
  await new Promise((resolve) => setTimeout(resolve));
  admission.stop();
  await assert.rejects(request);
  assert.equal(seen?.aborted, true);
});

test('the caller reads "Connecting you securely…" at once, one calm sentence more after a few seconds, nothing once in line', () => {
  /** @type {string[][]} */
  const shown = [];
  /** @type {{ run: () => void, ms: number } | null} */
  let timer = null;
  const notice = new ConnectingNotice((lines) => shown.push(lines), {
    set: (run, ms) => (timer = { run, ms }),
    clear: () => { timer = null; },
  });

  notice.solving(true);
  assert.deepEqual(shown, [[CONNECTING]]);
  assert.equal(/** @type {any} */ (timer)?.ms, SLOW_AFTER_MS);
  /** @type {any} */ (timer).run();
  assert.deepEqual(shown.at(-1), [CONNECTING, SLOW]);
  notice.solving(false);
  notice.solving(true); // a second challenge after puzzle-failed: the sentence stays, no new timer
  assert.equal(shown.length, 2);
  notice.done();
  assert.deepEqual(shown.at(-1), []);
  assert.equal(notice.showing, false);

  notice.solving(true);
  notice.solving(false); // solved quickly: no second sentence
  assert.equal(timer, null);
  notice.done();
  assert.deepEqual(shown.slice(3), [[CONNECTING], []]);
});
