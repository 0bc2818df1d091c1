// The escalation directory (GET /api/directory), kept in memory only: the last copy stays on screen when the
// server cannot be reached, and a built-in minimum (988 and 911) covers a page that never got one.

import { HoursKinds, ResourceKinds, ResourceReasons } from './wire-contract.js';

/** @import { Directory, DirectoryEntry } from './types.js' */

const REFRESH_MS = 5 * 60_000;

/** @type {Directory} */
const FALLBACK = Object.freeze({
  at: null,
  entries: [
    {
      id: '988', name: '988 Suicide & Crisis Lifeline', kind: ResourceKinds.CrisisLine, tier: 3, crisis: true, openNow: true,
      contact: { phone: '988', text: '988' }, hours: { kind: HoursKinds.Always, text: '24 hours, 7 days' },
      cost: 'Free', confidentiality: 'Confidential.', summary: 'Call or text 988 to talk with a trained crisis counsellor now.',
    },
    {
      id: '911', name: 'Emergency: 911', kind: ResourceKinds.Emergency, tier: 3, crisis: true, openNow: true,
      contact: { phone: '911' }, hours: { kind: HoursKinds.Always, text: 'Always' },
      cost: 'Free', confidentiality: 'An emergency service: it is not anonymous.', summary: 'If you or someone else is in immediate danger.',
    },
  ],
});

/** The last copy fetched and who wants to hear of a fresh one; one per page, shared by all its parts. */
class DirectoryCopy {
  /** @type {Directory | null} */
  #last = null;
  /** @type {Set<(directory: Directory) => void>} */
  #listeners = new Set();

  get current() {
    return this.#last ?? FALLBACK;
  }

  /** @param {(directory: Directory) => void} listener */
  listen(listener) {
    this.#listeners.add(listener);
    listener(this.current);
  }

  async refresh() {
    try {
      const response = await fetch('/api/directory', { credentials: 'omit', cache: 'no-store' });
      if (!response.ok) return this.current;
      /** @type {Directory} */
      const directory = await response.json();
      if (!Array.isArray(directory?.entries)) return this.current;
      this.#last = directory;
      for (const listener of this.#listeners) listener(directory);
    } catch {
      // unreachable: keep showing the last copy
    }
    return this.current;
  }
}

const copy = new DirectoryCopy();

export function currentDirectory() {
  return copy.current;
}

/**
 * Calls `listener(directory)` now and whenever a fresh copy arrives.
 * @param {(directory: Directory) => void} listener
 */
export function onDirectory(listener) {
  copy.listen(listener);
}

export function refreshDirectory() {
  return copy.refresh();
}

export function keepDirectoryFresh() {
  refreshDirectory();
  setInterval(refreshDirectory, REFRESH_MS);
}

/**
 * What a caller is shown for a reason (QueueStatus.resources): the crisis lines for a crisis, otherwise what is open now.
 * @param {Pick<Directory, 'entries'>} directory
 * @param {string | null | undefined} reason
 */
export function entriesFor(directory, reason) {
  return reason === ResourceReasons.Crisis ? directory.entries.filter((e) => e.crisis) : directory.entries.filter((e) => e.openNow === true);
}

/**
 * Crisis lines first, then what is open now, then the rest by tier.
 * @param {Pick<Directory, 'entries'>} directory
 */
export function ordered(directory) {
  /** @param {DirectoryEntry} e */
  const rank = (e) => (e.crisis ? 0 : e.openNow === true ? 1 : 2);
  return [...directory.entries].sort((a, b) => rank(a) - rank(b) || b.tier - a.tier);
}
