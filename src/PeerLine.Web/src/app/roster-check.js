// Fetching and checking a supporter's roster certificate before a handshake (docs/protocol.md §11.8, §11.11).

import { equal, fromBase64 } from '../protocol/bytes.js';
import { Verdict, checkCertificate } from '../protocol/roster.js';
import { ErrorCodes, refusal } from './wire.js';

/** GET /api/roster: { publicKey: Uint8Array, revokedKeyIds: string[] }. */
export async function fetchRoster() {
  const response = await fetch('/api/roster', { credentials: 'omit', cache: 'no-store' });
  if (!response.ok) throw refusal(ErrorCodes.Unavailable);
  const body = await response.json();
  return { publicKey: fromBase64(body.publicKey), revokedKeyIds: body.revokedKeyIds ?? [] };
}

/**
 * The verdict for a certificate, against the roster key pinned when the session began. A roster key that
 * changed during a session is refused outright: the server would have to be lying or replaced.
 * @param {import('../protocol/bytes.js').Bytes} certificate
 * @param {import('../protocol/bytes.js').Bytes} pinnedRosterKey
 * @returns {Promise<{verdict: string, staticKey?: import('../protocol/bytes.js').Bytes, handle?: string}>}
 */
export async function checkSupporter(certificate, pinnedRosterKey) {
  const roster = await fetchRoster();
  if (!equal(roster.publicKey, pinnedRosterKey)) return { verdict: 'roster-key-changed' };
  const { verdict, certificate: parsed } = await checkCertificate(certificate, {
    rosterPublicKey: pinnedRosterKey,
    revokedKeyIds: roster.revokedKeyIds,
  });
  if (verdict !== Verdict.TRUSTED || !parsed) return { verdict };
  return { verdict, staticKey: parsed.staticKey, handle: parsed.handle };
}
