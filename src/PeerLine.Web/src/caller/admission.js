// Getting a request into the queue (docs/protocol.md §3): every RequestSupport or RequestReturn carries the proof of a
// fresh puzzle. Challenge, solve (app/puzzle.js, in a Web Worker), ask; on puzzle-failed (a proof spent, expired, or
// from before a server restart) a new challenge is solved, a bounded number of times.
//
// A proof the server has not answered for is kept while it is fresh, so a request lost with its connection does not
// cost the caller another solve; if it had reached the server after all, the next try gets puzzle-failed and solves anew.

import { solvePuzzle } from '../app/puzzle.js';
import { CallerHub, DISCONNECTED, ErrorCodes, errorCode } from '../app/wire.js';

/** @import { PuzzleChallenge, PuzzleProof } from '../app/types.js' */

/** Proofs solved for one request before it is given up as refused (puzzle-failed). */
export const MAX_PUZZLE_ATTEMPTS = 3;
/** A kept proof is used again only while this much of its time is left. */
const FRESH_MARGIN_SECONDS = 30;

export class Admission {
  #invoke;
  #solve;
  #now;
  #onSolving;
  /** @type {{ proof: PuzzleProof, usableUntil: number } | null} */
  #kept = null;
  #abort = new AbortController();

  /**
   * @param {{
   *   invoke: (method: string, ...args: unknown[]) => Promise<any>,
   *   onSolving: (solving: boolean) => void,
   *   solve?: typeof solvePuzzle,
   *   now?: () => number,
   * }} options invoke: a hub call; onSolving: told when solving starts and ends; now: milliseconds
   */
  constructor({ invoke, onSolving, solve = solvePuzzle, now = Date.now }) {
    this.#invoke = invoke;
    this.#onSolving = onSolving;
    this.#solve = solve;
    this.#now = now;
  }

  /**
   * Makes the request with a proof: `ask` sends it (RequestSupport or RequestReturn) and resolves with the answer.
   * Rejects with the last refusal (puzzle-failed after MAX_PUZZLE_ATTEMPTS proofs) or any other error as it came.
   * @template T
   * @param {(proof: PuzzleProof) => Promise<T>} ask
   * @returns {Promise<T>}
   */
  async request(ask) {
    for (let attempt = 1; ; attempt++) {
      const proof = await this.#proof();
      try {
        const answer = await ask(proof);
        this.#kept = null;
        return answer;
      } catch (error) {
        const code = errorCode(error);
        if (code !== DISCONNECTED) this.#kept = null; // answered for: spent
        if (code !== ErrorCodes.PuzzleFailed || attempt >= MAX_PUZZLE_ATTEMPTS) throw error;
      }
    }
  }

  /** No more solving: a solve under way stops (its worker is ended). */
  stop() {
    this.#abort.abort();
  }

  /** @returns {Promise<PuzzleProof>} */
  async #proof() {
    if (this.#kept !== null && this.#kept.usableUntil > this.#now()) return this.#kept.proof;
    this.#kept = null;
    /** @type {PuzzleChallenge} */
    const challenge = await this.#invoke(CallerHub.Challenge);
    const usableUntil = this.#now() + (challenge.expiresInSeconds - FRESH_MARGIN_SECONDS) * 1000;
    this.#onSolving(true);
    try {
      const proof = await this.#solve(challenge, { signal: this.#abort.signal });
      this.#kept = { proof, usableUntil };
      return proof;
    } finally {
      this.#onSolving(false);
    }
  }
}
