// The chat as this device showed it, kept with the lane state so that a reload shows it again: every message once,
// both ways, in the order shown, with the status of each one this side wrote. Content stays bytes (app/content.js).

/**
 * One message as this device showed it.
 * @typedef {{messageId: string, direction: 'in'|'out', from: string|null, content: Uint8Array, status: string|null}} TranscriptEntry
 */

export class Transcript {
  #entries;
  /** @type {Map<string, TranscriptEntry>} */
  #byId = new Map();

  /** @param {TranscriptEntry[]} entries */
  constructor(entries = []) {
    this.#entries = entries.map((entry) => ({ ...entry }));
    for (const entry of this.#entries) this.#byId.set(`${entry.direction}:${entry.messageId}`, entry);
  }

  get entries() {
    return this.#entries.map((entry) => ({ ...entry }));
  }

  /**
   * A received message; false when it is already in the transcript. `from` names a second sender (a lead).
   * @param {string} messageId
   * @param {Uint8Array} content
   * @param {string | null} from
   */
  incoming(messageId, content, from = null) {
    return this.#add({ messageId, direction: 'in', from, content, status: null });
  }

  /** @param {string} messageId @param {Uint8Array} content @param {string} status */
  outgoing(messageId, content, status = 'sending') {
    return this.#add({ messageId, direction: 'out', from: null, content, status });
  }

  /**
   * The status of a message this side wrote; ignored for messages not in the transcript (a return item).
   * @param {string} messageId
   * @param {string} status
   */
  status(messageId, status) {
    const entry = this.#byId.get(`out:${messageId}`);
    if (entry) entry.status = status;
  }

  /**
   * How many messages this side wrote now have `status`.
   * @param {string} status
   */
  count(status) {
    return this.#entries.filter((entry) => entry.direction === 'out' && entry.status === status).length;
  }

  /** @param {TranscriptEntry} entry */
  #add(entry) {
    const key = `${entry.direction}:${entry.messageId}`;
    if (this.#byId.has(key)) return false;
    this.#entries.push(entry);
    this.#byId.set(key, entry);
    return true;
  }
}
