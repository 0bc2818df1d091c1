// The events section: the trail by time range and kind, oldest first, a page at a time.

import { $, h } from '../app/dom.js';
import { failure, getJson } from './api.js';
import { readable, timeSpan, utcIso } from './format.js';

/** @typedef {{ seq: number, at: string, kind: string, fields: Record<string, string> }} AuditEvent an audit event as the API gives it */

const PAGE = 100;

/** Fills the kind choices and shows the first page of all events. */
export function openEvents() {
  return new EventTrail().open();
}

/** The events section's state: the filter applied, how far it has been paged, and which answer is still wanted. */
class EventTrail {
  /** @type {Record<string, string | null>} */
  #filter = {};
  /** @type {number | null} the seq after which the next page starts, or null: no more */
  #next = null;
  #shown = 0;
  #generation = 0; // a page that arrives after a newer filter was applied is dropped

  async open() {
    $('#events-filter').addEventListener('submit', (event) => {
      event.preventDefault();
      this.#applyFilter();
    });
    $('#more-events').addEventListener('click', () => this.#showPage(this.#next));
    const kinds = await getJson('/api/audit/kinds');
    if (failure(kinds, 'event kinds') === null) {
      $('#kind').append(.../** @type {string[]} */ (kinds.body).map((kind) => h('option', { value: kind }, readable(kind))));
    }
    await this.#applyFilter();
  }

  async #applyFilter() {
    $('#events-table tbody').replaceChildren();
    $('#more-events').hidden = true;
    this.#shown = 0;
    this.#generation++;
    const from = /** @type {HTMLInputElement} */ ($('#from')).value;
    const to = /** @type {HTMLInputElement} */ ($('#to')).value;
    if (from && to && /** @type {string} */ (utcIso(from)) >= /** @type {string} */ (utcIso(to))) {
      say('The filter is not valid: “From” must be before “To”.', true);
      return;
    }
    this.#filter = { from: utcIso(from), to: utcIso(to), kind: /** @type {HTMLSelectElement} */ ($('#kind')).value };
    await this.#showPage(null);
  }

  /** @param {number | null} after */
  async #showPage(after) {
    $('#more-events').hidden = true;
    const asked = this.#generation;
    const answer = await getJson('/api/audit/events', { ...this.#filter, limit: PAGE, after });
    if (asked !== this.#generation) return;
    if (answer.status === 400) {
      say('The filter is not valid: check the times and the event.', true);
      return;
    }
    const problem = failure(answer, 'events');
    if (problem !== null) {
      say(problem, true);
      return;
    }
    /** @type {{ events: AuditEvent[], next: number | null, timeResolutionMinutes: number }} */
    const { events, next: more, timeResolutionMinutes } = answer.body;
    $('#events-table tbody').append(...events.map((event) => row(event, timeResolutionMinutes)));
    this.#shown += events.length;
    this.#next = more;
    $('#more-events').hidden = this.#next === null;
    const shown = this.#shown;
    say(shown === 0 ? 'No events match this filter.'
      : `${shown} ${shown === 1 ? 'event' : 'events'} shown${this.#next === null ? '.' : '; there are more.'}`);
  }
}

/** @param {AuditEvent} event @param {number} minutes */
function row(event, minutes) {
  return h('tr', { dataset: { kind: event.kind, seq: event.seq } },
    h('td', { class: 'number' }, event.seq),
    h('td', {}, timeSpan(event.at, minutes)),
    h('td', {}, readable(event.kind)),
    h('td', {}, h('ul', { class: 'fields' }, Object.entries(event.fields).map(([name, value]) =>
      h('li', {}, h('span', { class: 'field-name' }, `${name}:`), ' ', h('span', { class: 'code-value' }, value))))));
}

/** @param {string} text */
function say(text, isError = false) {
  const status = $('#events-status');
  status.textContent = text;
  status.classList.toggle('error', isError);
}
