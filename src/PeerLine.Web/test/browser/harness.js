// Runs the vector checks inside a browser (the Playwright test BrowserVectorTests loads it on a page of the
// server's origin, with the vector files served next to it) and publishes the outcome on window.vectorResults.

import { checkCacophonyVector, checkEnvelopeAcceptance, checkEnvelopeTranscript, checkOldFormatRejected } from '../vector-checks.js';

/** @typedef {{ passed: string[], failed: string[] }} VectorResults */

/** @returns {Promise<VectorResults>} */
async function run() {
  const load = async (/** @type {string} */ name) => (await fetch(`./${name}`)).json();
  const [cacophony, envelope, oldEnvelope] = await Promise.all(
    ['noise-25519-aesgcm-sha256.json', 'peerline-envelope-v2.json', 'peerline-envelope-v1.json'].map(load),
  );
  /** @type {[string, () => Promise<unknown>][]} */
  const checks = [
    .../** @type {import('../vector-checks.js').CacophonyVector[]} */ (cacophony.vectors)
      .map((v) => /** @type {[string, () => Promise<unknown>]} */ ([v.protocol_name, () => checkCacophonyVector(v)])),
    ['peerline-envelope-v2 transcript', () => checkEnvelopeTranscript(envelope)],
    ['peerline-envelope-v2 acceptance', () => checkEnvelopeAcceptance(envelope)],
    ['peerline-envelope-v1 rejected', () => checkOldFormatRejected(oldEnvelope)],
  ];
  /** @type {VectorResults} */
  const results = { passed: [], failed: [] };
  for (const [name, check] of checks) {
    try {
      await check();
      results.passed.push(name);
    } catch (error) {
      results.failed.push(`${name}: ${/** @type {Error} */ (error).message}`);
    }
  }
  return results;
}

/** @type {Window & { vectorResults?: Promise<VectorResults> }} */ (window).vectorResults = run()
  .catch((error) => ({ passed: [], failed: [`harness: ${error.message}`] }));
