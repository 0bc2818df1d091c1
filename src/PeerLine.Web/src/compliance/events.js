// The events section: the trail by time range and kind, oldest first, a page at a time.

import { $, h } from '../app/dom.js';
import { failure, getJson } from './api.js';
import { readable, timeSpan, utcIso } from './format.js';

/** @typedef {{ seq: number, at: string, kind: string, fields: Record<string, string> }} AuditEvent an audit event as the API gives it */

const PAGE = 100;
/** @type {Record<string, string | null>} */
let filter = {};
/** @type {number | null} the seq after which the next page starts, or null: no more */
let next = null;
let shown = 0;
let generation = 0; // a page that arrives after a newer filter was applied is dropped

/** Fills the kind choices and shows the first page of all events. */
export async function openEvents() {
  $('#events-filter').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilter();
  });
  $('#more-events').addEventListener('click', () => showPage(next));
  const kinds = await getJson('/api/audit/kinds');
  if (failure(kinds, 'event kinds') === null) {
    $('#kind').append(.../** @type {string[]} */ (kinds.body).map((kind) => h('option', { value: kind }, readable(kind))));
  }
  await applyFilter();
}

async function applyFilter() {
  $('#events-table tbody').replaceChildren();
  $('#more-events').hidden = true;
  shown = 0;
  generation++;
  const from = /** @type {HTMLInputElement} */ ($('#from')).value;
  const to = /** @type {HTMLInputElement} */ ($('#to')).value;
  if (from && to && /** @type {string} */ (utcIso(from)) >= /** @type {string} */ (utcIso(to))) {
    say('The filter is not valid: “From” must be before “To”.', true);
    return;
  }
  filter = { from: utcIso(from), to: utcIso(to), kind: /** @type {HTMLSelectElement} */ ($('#kind')).value };
  await showPage(null);
}

/** @param {number | null} after */
async function showPage(after) {
  $('#more-events').hidden = true;
  const asked = generation;
  const answer = await getJson('/api/audit/events', { ...filter, limit: PAGE, after });
  if (asked !== generation) return;
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
  shown += events.length;
  next = more;
  $('#more-events').hidden = next === null;
  say(shown === 0 ? 'No events match this filter.'
    : `${shown} ${shown === 1 ? 'event' : 'events'} shown${next === null ? '.' : '; there are more.'}`);
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
