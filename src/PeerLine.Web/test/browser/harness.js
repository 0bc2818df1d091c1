// Runs the vector checks inside a browser (the Playwright test BrowserVectorTests loads it on a page of the
// server's origin, with both vector files served next to it) and publishes the outcome on window.vectorResults.

import { checkCacophonyVector, checkEnvelopeAcceptance, checkEnvelopeTranscript } from '../vector-checks.js';

async function run() {
  const load = async (name) => (await fetch(`./${name}`)).json();
  const [cacophony, envelope] = await Promise.all([load('noise-25519-aesgcm-sha256.json'), load('peerline-envelope-v1.json')]);
  const checks = [
    ...cacophony.vectors.map((v) => [v.protocol_name, () => checkCacophonyVector(v)]),
    ['peerline-envelope-v1 transcript', () => checkEnvelopeTranscript(envelope)],
    ['peerline-envelope-v1 acceptance', () => checkEnvelopeAcceptance(envelope)],
  ];
  const results = { passed: [], failed: [] };
  for (const [name, check] of checks) {
    try {
      await check();
      results.passed.push(name);
    } catch (error) {
      results.failed.push(`${name}: ${error.message}`);
    }
  }
  return results;
}

window.vectorResults = run().catch((error) => ({ passed: [], failed: [`harness: ${error.message}`] }));
