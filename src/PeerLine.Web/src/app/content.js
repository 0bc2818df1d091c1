// What travels inside an end-to-end message (the content of docs/protocol.md §11.5): UTF-8 text, or a structured
// item marked by a leading NUL byte followed by JSON. Typed text never contains NUL (it is removed before sending),
// so the two cannot be confused. Structured items: { "type": "resource", "entry": { …directory entry… } } and
// { "type": "return", "episodeKey": base64 of 32 bytes }.

import { fromBase64, toBase64, utf8 } from '../protocol/bytes.js';

/** @import { DirectoryEntry } from './types.js' */
/**
 * What one message carries.
 * @typedef {{ type: 'text', text: string } | { type: 'resource', entry: DirectoryEntry } | { type: 'return', episodeKey: string }
 *   | { type: 'unknown' }} Content
 */

const decoder = new TextDecoder('utf-8', { fatal: false });
const STRUCTURED = 0x00;

/** @param {string} text */
export function textContent(text) {
  return utf8(text.replaceAll('\u0000', ''));
}

/** @param {object} item */
function structured(item) {
  const json = utf8(JSON.stringify(item));
  const bytes = new Uint8Array(json.length + 1);
  bytes[0] = STRUCTURED;
  bytes.set(json, 1);
  return bytes;
}

/**
 * The caller took a return code: the episode key its later conversations will use, for the supporter's device to remember.
 * @param {Uint8Array} episodePublicKey
 */
export function returnContent(episodePublicKey) {
  return structured({ type: 'return', episodeKey: toBase64(episodePublicKey) });
}

/**
 * A resource card: the directory entry as the supporter's page had it (no free text of the supporter's).
 * @param {DirectoryEntry} entry
 */
export function resourceContent(entry) {
  const card = {
    id: entry.id, name: entry.name, kind: entry.kind, tier: entry.tier, crisis: entry.crisis, summary: entry.summary,
    contact: entry.contact, hours: { text: entry.hours?.text ?? '' }, cost: entry.cost, confidentiality: entry.confidentiality,
  };
  return structured({ type: 'resource', entry: card });
}

/**
 * { type: 'text', text } | { type: 'resource', entry } | { type: 'return', episodeKey } | { type: 'unknown' }
 * @param {Uint8Array} bytes
 * @returns {Content}
 */
export function readContent(bytes) {
  if (bytes.length === 0 || bytes[0] !== STRUCTURED) return { type: 'text', text: decoder.decode(bytes) };
  try {
    const item = JSON.parse(decoder.decode(bytes.subarray(1)));
    if (item?.type === 'resource' && typeof item.entry?.name === 'string') return { type: 'resource', entry: item.entry };
    if (item?.type === 'return' && typeof item.episodeKey === 'string' && fromBase64(item.episodeKey).length === 32) {
      return { type: 'return', episodeKey: item.episodeKey };
    }
  } catch {
    // fall through
  }
  return { type: 'unknown' };
}
