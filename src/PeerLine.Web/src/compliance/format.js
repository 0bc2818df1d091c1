// How the compliance view writes times, waits and rates. Everything is UTC: the audit trail knows no other zone.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** @param {number} n */
const pad = (n) => String(n).padStart(2, '0');
/** @param {Date} date */
const time = (date) => `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;

/** "25 Nov 2026" @param {Date} date */
export function utcDay(date) {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "25 Nov 2026 17:04 UTC" @param {string} iso */
export function utcMinute(iso) {
  const date = new Date(iso);
  return `${utcDay(date)} ${time(date)} UTC`;
}

/** "25 Nov 2026, 14:00–15:00 UTC": the span an audit time stands for (the server rounds times down to `minutes`). */
/** @param {string} iso */
export function timeSpan(iso, minutes = 60) {
  const start = new Date(iso);
  const end = new Date(start.getTime() + minutes * 60_000);
  return `${utcDay(start)}, ${time(start)}–${time(end)} UTC`;
}

/** "16 Nov 2026" from a week's Monday as the metrics name it ("2026-11-16"). @param {string} week */
export function weekLabel(week) {
  return utcDay(new Date(`${week}T00:00:00Z`));
}

/**
 * The value of an <input type="datetime-local"> read as UTC, as the ISO time the API takes ("2026-11-25T14:00:00.000Z");
 * null when empty or not a time.
 * @param {string | null | undefined} value
 */
export function utcIso(value) {
  if (!value) return null;
  const date = new Date(`${value}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** "4:05" (minutes:seconds), null for null. @param {number | null | undefined} seconds */
export function minutesSeconds(seconds) {
  if (seconds === null || seconds === undefined) return null;
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${pad(s % 60)}`;
}

/** "12.5%" from 0.125, null for null. @param {number | null | undefined} rate */
export function percent(rate) {
  if (rate === null || rate === undefined) return null;
  return `${Number((rate * 100).toFixed(1))}%`;
}

/** "session-claimed" -> "Session claimed": audit kinds and field names are readable codes. @param {unknown} code */
export function readable(code) {
  const words = String(code).replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
