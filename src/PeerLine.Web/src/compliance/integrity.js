// The integrity section: whether the stored trail verifies (checked by the server on every request, with the same
// verifier as the CLI), how far the signed checkpoints reach, and the key to check a download with.

import { $, h } from '../app/dom.js';
import { failure, getJson } from './api.js';
import { utcMinute } from './format.js';

/**
 * GET /api/audit/integrity's answer.
 * @typedef {object} IntegrityStatus
 * @property {boolean} intact
 * @property {number} records
 * @property {number} firstSeq
 * @property {number} lastSeq
 * @property {number} verifiedThrough
 * @property {string | null} checkpointSignedAt
 * @property {number | null} firstBadSeq
 * @property {string | null} problem
 * @property {string} publicKey
 */

/**
 * The verdict in one sentence, from GET /api/audit/integrity.
 * @param {IntegrityStatus} status
 */
export function integritySummary(status) {
  const { intact, records, firstSeq, lastSeq, verifiedThrough, checkpointSignedAt, firstBadSeq, problem } = status;
  if (!intact) return `Integrity check FAILED at record ${firstBadSeq}: ${problem}`;
  if (records === 0) return 'The audit trail is empty: nothing to verify yet.';
  const range = firstSeq > 1 ? ` (records ${firstSeq} to ${lastSeq}; older ones were removed by retention)` : '';
  const verified = `Verified: ${records} ${records === 1 ? 'record' : 'records'}${range}`;
  if (checkpointSignedAt === null || verifiedThrough === 0) {
    return `${verified}; no checkpoint is signed yet, the next one will cover them.`;
  }
  const newer = lastSeq - verifiedThrough;
  const pending = newer === 0 ? 'every record is covered'
    : `${newer} newer ${newer === 1 ? 'record awaits' : 'records await'} the next checkpoint`;
  return `${verified}; signed checkpoint covers records up to ${verifiedThrough}, signed ${utcMinute(checkpointSignedAt)}; ${pending}.`;
}

/** @param {string} key */
export const verifyCommand = (key) => `dotnet run --project src/PeerLine.Cli -- audit verify FILE --key ${key}`;

export async function showIntegrity() {
  const result = $('#integrity-result');
  result.replaceChildren(h('p', { class: 'note' }, 'Checking the whole trail…'));
  const answer = await getJson('/api/audit/integrity');
  const problem = failure(answer, 'integrity check');
  if (problem !== null) {
    result.replaceChildren(h('p', { class: 'error' }, problem));
    return;
  }
  /** @type {IntegrityStatus} */
  const status = answer.body;
  result.replaceChildren(status.intact
    ? h('p', { class: 'verdict ok', role: 'status' }, integritySummary(status))
    : h('p', { class: 'verdict failed', role: 'alert' }, integritySummary(status)));
  $('#audit-key').textContent = status.publicKey;
  $('#verify-command').textContent = verifyCommand(status.publicKey);
}
