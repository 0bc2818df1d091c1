// The request puzzle's worker (built as its own asset, /assets/puzzle-worker-HASH.js; see app/puzzle.js): solves one
// puzzle per message and answers with the nonce. The page ends it with terminate() once it has the answer or no
// longer wants one.

import { solve } from '../protocol/puzzle.js';

/** @import { SolveRequest, SolveAnswer } from './puzzle.js' */

const scope = /** @type {{ onmessage: ((event: MessageEvent<SolveRequest>) => void) | null, postMessage: (answer: SolveAnswer) => void }} */ (
  /** @type {unknown} */ (globalThis));

scope.onmessage = async ({ data }) => {
  try {
    scope.postMessage({ nonce: await solve(data) });
  } catch (error) {
    scope.postMessage({ error: String(error) });
  }
};
