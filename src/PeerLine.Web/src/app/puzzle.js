// Solving the request puzzle (docs/protocol.md §3) for the caller page, in a Web Worker so that the page stays
// responsive: one worker per puzzle, ended (terminate) as soon as it answered or the page gave up waiting.
//
// Without Worker (or when the worker cannot be loaded, e.g. a page from before a deploy whose worker asset is gone)
// the same solver runs on the page itself: WebCrypto runs each PBKDF2 off the page's thread, so the page only
// pays the bookkeeping between attempts.

/* global PEERLINE_PUZZLE_WORKER -- see build-constants.d.ts */

import { fromBase64, toBase64 } from '../protocol/bytes.js';
import { solve } from '../protocol/puzzle.js';

/** @import { Bytes } from '../protocol/bytes.js' */
/** @import { PuzzleChallenge, PuzzleProof } from './types.js' */
/** @typedef {{ challenge: Bytes, bits: number, iterations: number }} SolveRequest what the page posts to the worker */
/** @typedef {{ nonce: Bytes } | { error: string }} SolveAnswer what the worker posts back */

/**
 * The worker's asset URL, set by build.mjs (esbuild `define`); not defined outside the built page (Node tests).
 * @returns {string | null}
 */
function workerUrl() {
  return typeof PEERLINE_PUZZLE_WORKER === 'string' ? PEERLINE_PUZZLE_WORKER : null;
}

/**
 * Solves a challenge as the server sent it; resolves with the proof for RequestSupport or RequestReturn.
 * @param {PuzzleChallenge} challenge
 * @param {{ signal?: AbortSignal, worker?: string | null }} [options] signal: stop solving (the worker is ended);
 *   worker: the worker's URL (default: the built asset), null to solve on the page
 * @returns {Promise<PuzzleProof>}
 */
export async function solvePuzzle(challenge, { signal, worker = workerUrl() } = {}) {
  /** @type {SolveRequest} */
  const request = { challenge: fromBase64(challenge.challenge), bits: challenge.bits, iterations: challenge.iterations };
  const nonce = worker !== null && typeof Worker === 'function'
    ? await inWorker(worker, request, signal).catch((error) => {
      if (signal?.aborted || !(error instanceof WorkerUnavailable)) throw error;
      return solve(request, { signal });
    })
    : await solve(request, { signal });
  return { challenge: challenge.challenge, nonce: toBase64(nonce) };
}

class WorkerUnavailable extends Error {}

/**
 * @param {string} url
 * @param {SolveRequest} request
 * @param {AbortSignal | undefined} signal
 * @returns {Promise<Bytes>}
 */
function inWorker(url, request, signal) {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    /** @type {Worker} */
    let worker;
    try {
      worker = new Worker(url);
    } catch (error) {
      reject(new WorkerUnavailable(String(error)));
      return;
    }
    const end = () => {
      worker.terminate();
      signal?.removeEventListener('abort', abort);
    };
    const abort = () => {
      end();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.onmessage = (/** @type {MessageEvent<SolveAnswer>} */ { data }) => {
      end();
      if ('nonce' in data) resolve(data.nonce);
      else reject(new Error(data.error));
    };
    worker.onerror = (event) => { // the script could not be loaded or run
      event.preventDefault();
      end();
      reject(new WorkerUnavailable(event.message));
    };
    worker.postMessage(request);
  });
}
