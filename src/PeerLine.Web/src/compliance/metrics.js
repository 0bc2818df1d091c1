// The program metrics section (auditors and leads): weekly tables as the server publishes them, small counts withheld.

import { $, h } from '../app/dom.js';
import { DispositionLabels, FeedbackQuestionTexts, FeedbackQuestions, MetricColumns, MetricTables, ResourceKindLabels } from '../app/wire.js';
import { failure, getJson } from './api.js';
import { minutesSeconds, percent, readable, weekLabel } from './format.js';

/** Per table id: its caption and the labels of its column codes. */
/** @type {Record<string, { title: string, columns: Readonly<Record<string, string>> }>} */
const TABLES = {
  [MetricTables.Sessions]: {
    title: 'Requests by outcome (week of the request)',
    columns: {
      [MetricColumns.Answered]: 'Answered', [MetricColumns.Abandoned]: 'Left before an answer', [MetricColumns.Open]: 'Still open at the week’s end',
    },
  },
  [MetricTables.Dispositions]: {
    title: 'Closed chats by outcome (week closed)', columns: { ...DispositionLabels, [MetricColumns.NoDisposition]: 'No outcome recorded' },
  },
  [MetricTables.Resources]: { title: 'Resources shared in chats, by kind', columns: ResourceKindLabels },
  [MetricTables.FeedbackHelped]: { title: `After the chat: “${FeedbackQuestionTexts[FeedbackQuestions.Helped].text}”`, columns: FeedbackQuestionTexts[FeedbackQuestions.Helped].answers },
  [MetricTables.FeedbackWouldReturn]: {
    title: `After the chat: “${FeedbackQuestionTexts[FeedbackQuestions.WouldReturn].text}”`, columns: FeedbackQuestionTexts[FeedbackQuestions.WouldReturn].answers,
  },
};

/** @typedef {{ id: string, columns: string[], rows: { week: string, cells: (number | null)[], total: number | null }[] }} CountsTable */
/** @typedef {{ week: string, medianSeconds: number | null, p90Seconds: number | null, abandonmentRate: number | null }} WeekWaits */

/** Loads GET /api/metrics for the chosen number of weeks, and again whenever it changes. */
export function openMetrics() {
  return new MetricsSection().open();
}

/** The metrics section's state: which answer is still wanted. */
class MetricsSection {
  #latest = 0; // an answer for an earlier choice of weeks is dropped

  async open() {
    $('#weeks').addEventListener('change', () => this.#show());
    await this.#show();
  }

  async #show() {
    const status = $('#metrics-status');
    status.textContent = 'Loading…';
    const asked = ++this.#latest;
    const answer = await getJson('/api/metrics', { weeks: /** @type {HTMLSelectElement} */ ($('#weeks')).value });
    if (asked !== this.#latest) return;
    const problem = failure(answer, 'metrics');
    if (problem !== null) {
      status.textContent = problem;
      return;
    }
    /** @type {{ suppressedUpTo: number, weeks: string[], tables: CountsTable[], waits: WeekWaits[] }} */
    const report = answer.body;
    $('#metrics-legend').replaceChildren(withheld(),
      ` withheld: a count from 1 to ${report.suppressedUpTo}, or a figure from which one could be worked out with the week's total. `
      + 'This keeps a small group of callers or supporters from being singled out.');
    $('#metrics-tables').replaceChildren(...report.tables.map(countsTable), waitsTable(report.waits));
    status.textContent = `${report.weeks.length} whole weeks shown, starting on Mondays (UTC). Weeks are not added up: each stands alone.`;
  }
}

/**
 * A cell the server withheld (null): a dash to the eye, "withheld" to a screen reader and on hover.
 * @param {'span' | 'td'} tag
 */
export function withheld(tag = 'span') {
  return h(tag, { class: tag === 'td' ? 'withheld number' : 'withheld', title: 'withheld', dataset: { withheld: 'true' } },
    h('span', { 'aria-hidden': 'true' }, '–'), h('span', { class: 'visually-hidden' }, 'withheld'));
}

/** @param {number | null} value */
const count = (value) => (value === null ? withheld('td') : h('td', { class: 'number' }, value));

/** @param {CountsTable} table */
function countsTable({ id, columns, rows }) {
  const known = TABLES[id] ?? { title: readable(id), columns: {} };
  const header = h('tr', {}, h('th', { scope: 'col' }, 'Week starting'),
    columns.map((code) => h('th', { scope: 'col', class: 'number' }, known.columns[code] ?? readable(code))),
    h('th', { scope: 'col', class: 'number' }, 'Total'));
  const body = rows.map(({ week, cells, total }) =>
    h('tr', {}, h('th', { scope: 'row' }, weekLabel(week)), cells.map(count), count(total)));
  return scrolling(`metrics-${id}`, h('table', { class: 'data', dataset: { table: id } },
    h('caption', { id: `metrics-${id}` }, known.title),
    h('thead', {}, header), h('tbody', {}, body)));
}

/** @param {WeekWaits[]} waits */
function waitsTable(waits) {
  const missing = () => h('td', { class: 'number', title: 'not shown' },
    h('span', { 'aria-hidden': 'true' }, '–'), h('span', { class: 'visually-hidden' }, 'not shown'));
  const cell = (/** @type {string | null} */ text) => (text === null ? missing() : h('td', { class: 'number' }, text));
  const table = scrolling('metrics-waits', h('table', { class: 'data', dataset: { table: 'waits' } },
    h('caption', { id: 'metrics-waits' }, 'Waits for a first answer (minutes:seconds) and requests left before an answer'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Week starting'), h('th', { scope: 'col', class: 'number' }, 'Median wait'),
      h('th', { scope: 'col', class: 'number' }, '90th percentile wait'), h('th', { scope: 'col', class: 'number' }, 'Left before an answer'))),
    h('tbody', {}, waits.map((w) => h('tr', {}, h('th', { scope: 'row' }, weekLabel(w.week)),
      cell(minutesSeconds(w.medianSeconds)), cell(minutesSeconds(w.p90Seconds)), cell(percent(w.abandonmentRate)))))));
  return h('div', {}, table, h('p', { class: 'note' }, '– in this table: not shown, because nothing was answered that week or its counts are withheld.'));
}

/** A wide table scrolls on its own on a narrow screen, and can be scrolled with the keyboard. */
/** @param {string} captionId @param {HTMLTableElement} table */
function scrolling(captionId, table) {
  return h('div', { class: 'table-scroll', role: 'region', 'aria-labelledby': captionId, tabindex: 0 }, table);
}
