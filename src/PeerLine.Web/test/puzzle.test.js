// The request puzzle (src/protocol/puzzle.js, src/app/puzzle.js) against the vectors of docs/protocol.md §3, which the
// .NET solver (PeerLine.Protocol.Puzzle.ProofOfWork) is held to as well.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64, toBase64, toHex } from '../src/protocol/bytes.js';
import { isSolution, leadingZeroBits, nonceFor, puzzleOutput, solve } from '../src/protocol/puzzle.js';
import { solvePuzzle } from '../src/app/puzzle.js';

const challenge = Uint8Array.from({ length: 46 }, (_, i) => i);
const ITERATIONS = 1000;
/** @param {Uint8Array} nonce */
const asNumber = (nonce) => Number(new DataView(nonce.buffer).getBigUint64(0));

test('leading zero bits count from the most significant bit of byte 0', () => {
  assert.equal(leadingZeroBits(Uint8Array.of(0x80, 0)), 0);
  assert.equal(leadingZeroBits(Uint8Array.of(0x01, 0xff)), 7);
  assert.equal(leadingZeroBits(Uint8Array.of(0x00, 0x40)), 9);
  assert.equal(leadingZeroBits(Uint8Array.of(0x00, 0x00, 0x0f)), 20);
  assert.equal(leadingZeroBits(new Uint8Array(4)), 32);
  assert.equal(leadingZeroBits(new Uint8Array(0)), 0);
});

test('nonces are 8-byte big-endian integers', () => {
  assert.equal(toHex(nonceFor(0)), '0000000000000000');
  assert.equal(toHex(nonceFor(330)), '000000000000014a');
  assert.equal(toHex(nonceFor(2 ** 40 + 1)), '0000010000000001');
});

test('the PBKDF2 output for nonce 330 is the vector\'s', async () => {
  assert.match(toHex(await puzzleOutput(challenge, nonceFor(330), ITERATIONS)), /^00816b01b7/);
});

for (const [bits, smallest] of [[4, 8], [8, 330], [10, 1826]]) {
  test(`the smallest nonce for ${bits} bits is ${smallest}, however many attempts run at once`, async () => {
    for (const parallel of [1, 3, 8]) assert.equal(asNumber(await solve({ challenge, bits, iterations: ITERATIONS }, { parallel })), smallest);
    assert.equal(await isSolution(challenge, nonceFor(smallest), bits, ITERATIONS), true);
    assert.equal(await isSolution(challenge, nonceFor(smallest - 1), bits, ITERATIONS), false);
  });
}

test('a nonce of the wrong length, or a difficulty out of range, is no solution', async () => {
  assert.equal(await isSolution(challenge, new Uint8Array(7), 0, ITERATIONS), false);
  assert.equal(await isSolution(challenge, nonceFor(8), 65, ITERATIONS), false);
  assert.equal(await isSolution(challenge, nonceFor(8), 4, 0), false);
  await assert.rejects(solve({ challenge, bits: 65, iterations: ITERATIONS }), RangeError);
  await assert.rejects(solve({ challenge, bits: 4, iterations: 0 }), RangeError);
});

test('a solve stops when told to', async () => {
  const stop = new AbortController();
  const solving = solve({ challenge, bits: 40, iterations: ITERATIONS }, { signal: stop.signal });
  stop.abort(new Error('stopped'));
  await assert.rejects(solving, /stopped/);
  await assert.rejects(solve({ challenge, bits: 4, iterations: ITERATIONS }, { signal: AbortSignal.abort() }));
});

test('the proof is the challenge as received and the nonce, both base64 (the JSON form of byte[])', async () => {
  const proof = await solvePuzzle({ challenge: toBase64(challenge), bits: 8, iterations: ITERATIONS, expiresInSeconds: 600 }, { worker: null });
  assert.deepEqual(proof, { challenge: toBase64(challenge), nonce: toBase64(nonceFor(330)) });
  assert.equal(asNumber(fromBase64(proof.nonce)), 330);
});

/** A stand-in for the browser's Worker: runs the solver in this process, or fails to load like a missing asset. */
class FakeWorker {
  /** @type {FakeWorker[]} */
  static made = [];
  static loads = true;
  terminated = false;
  #stop = new AbortController();
  /** @type {((event: { data: unknown }) => void) | null} */
  onmessage = null;
  /** @type {((event: { message: string, preventDefault: () => void }) => void) | null} */
  onerror = null;

  /** @param {string} url */
  constructor(url) {
    this.url = url;
    FakeWorker.made.push(this);
  }

  /** @param {{ challenge: Uint8Array<ArrayBuffer>, bits: number, iterations: number }} request */
  postMessage(request) {
    setTimeout(async () => {
      if (!FakeWorker.loads) return this.onerror?.({ message: 'not found', preventDefault: () => {} });
      const nonce = await solve(request, { signal: this.#stop.signal }).catch(() => null);
      if (nonce !== null) this.onmessage?.({ data: { nonce } });
    });
  }

  terminate() {
    this.terminated = true;
    this.#stop.abort();
  }
}

test('in a worker: the same proof, and the worker is ended; a worker that cannot load leaves it to the page', async (t) => {
  /** @type {any} */ (globalThis).Worker = FakeWorker;
  t.after(() => { delete /** @type {any} */ (globalThis).Worker; });
  const puzzle = { challenge: toBase64(challenge), bits: 8, iterations: ITERATIONS, expiresInSeconds: 600 };
  const expected = { challenge: puzzle.challenge, nonce: toBase64(nonceFor(330)) };

  assert.deepEqual(await solvePuzzle(puzzle, { worker: '/assets/puzzle-worker-X.js' }), expected);
  FakeWorker.loads = false;
  assert.deepEqual(await solvePuzzle(puzzle, { worker: '/assets/puzzle-worker-X.js' }), expected);
  assert.deepEqual(FakeWorker.made.map((w) => [w.url, w.terminated]), [['/assets/puzzle-worker-X.js', true], ['/assets/puzzle-worker-X.js', true]]);
});

test('stopping a solve ends its worker', async (t) => {
  /** @type {any} */ (globalThis).Worker = FakeWorker;
  t.after(() => { delete /** @type {any} */ (globalThis).Worker; });
  FakeWorker.made = [];
  FakeWorker.loads = true;
  const stop = new AbortController();
  const solving = solvePuzzle({ challenge: toBase64(challenge), bits: 40, iterations: ITERATIONS, expiresInSeconds: 600 },
    { worker: '/w.js', signal: stop.signal });
  stop.abort(new Error('stopped'));
  await assert.rejects(solving, /stopped/);
  assert.equal(FakeWorker.made.length, 1);
  assert.equal(FakeWorker.made[0].terminated, true);
});
