// Getting a request into the queue (docs/protocol.md §3): every RequestSupport or RequestReturn carries the proof of a
// fresh puzzle. Challenge, solve (app/puzzle.js, in a Web Worker), ask; on puzzle-failed (a proof spent, expired, or
// from before a server restart) a new challenge is solved, a bounded number of times.
//
// A proof goes on the connection that fetched its challenge (only the server that issued it can check it): if the
// connection changed while solving, the proof is dropped and a new challenge is fetched on the new one.

import { solvePuzzle } from '../app/puzzle.js';
import { CallerHub, ErrorCodes, errorCode } from '../app/wire.js';

/** @import { PuzzleChallenge, PuzzleProof } from '../app/types.js' */

/** Proofs refused with puzzle-failed before the request is given up as refused. */
export const MAX_PUZZLE_ATTEMPTS = 3;

export class Admission {
  #invoke;
  #solve;
  #connection;
  #onSolving;
  #abort = new AbortController();

  /**
   * @param {{
   *   invoke: (method: string, ...args: unknown[]) => Promise<any>,
   *   connection: () => string | null,
   *   onSolving: (solving: boolean) => void,
   *   solve?: typeof solvePuzzle,
   * }} options invoke: a hub call; connection: the current connection's id; onSolving: told when solving starts and ends
   */
  constructor({ invoke, connection, onSolving, solve = solvePuzzle }) {
    this.#invoke = invoke;
    this.#connection = connection;
    this.#onSolving = onSolving;
    this.#solve = solve;
  }

  /**
   * Makes the request with a proof: `ask` sends it (RequestSupport or RequestReturn) and resolves with the answer.
   * Rejects with the last refusal (puzzle-failed after MAX_PUZZLE_ATTEMPTS proofs) or any other error as it came.
   * @template T
   * @param {(proof: PuzzleProof) => Promise<T>} ask
   * @returns {Promise<T>}
   */
  async request(ask) {
    for (let failed = 0; ;) {
      const { proof, fetchedOn } = await this.#proof();
      if (this.#connection() !== fetchedOn) continue; // reconnected while solving; asking Challenge needs a live one
      try {
        return await ask(proof);
      } catch (error) {
        if (errorCode(error) !== ErrorCodes.PuzzleFailed || ++failed >= MAX_PUZZLE_ATTEMPTS) throw error;
      }
    }
  }

  /** No more solving: a solve under way stops (its worker is ended). */
  stop() {
    this.#abort.abort();
  }

  /** @returns {Promise<{ proof: PuzzleProof, fetchedOn: string | null }>} */
  async #proof() {
    const fetchedOn = this.#connection();
    /** @type {PuzzleChallenge} */
    const challenge = await this.#invoke(CallerHub.Challenge);
    this.#onSolving(true);
    try {
      return { proof: await this.#solve(challenge, { signal: this.#abort.signal }), fetchedOn };
    } finally {
      this.#onSolving(false);
    }
  }
}
