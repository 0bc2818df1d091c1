// What the console says: the texts of claim refusals, lead events, offers and well-being notices, by their codes.

import { duration } from '../app/dom.js';
import { ChangeReasons, ErrorCodes, PriorityLabels, TopicLabels, WellbeingNotices } from '../app/wire.js';

/** @import { CrisisAlert, SessionOffer, WellbeingNotice } from '../app/types.js' */

/** A label of a code table, or the code itself when the table has none. */
export const label = (/** @type {Readonly<Record<string, string>>} */ table, /** @type {string} */ code) => table[code] ?? code;

/** @type {Readonly<Record<string, string>>} */
export const CLAIM_REFUSALS = Object.freeze({
  [ErrorCodes.QueueEmpty]: 'Nobody is waiting.',
  [ErrorCodes.NoCapacity]: 'You are at your limit of chats. Close one first.',
  [ErrorCodes.NotOnShift]: 'Start your shift first.',
  [ErrorCodes.AlreadyClaimed]: 'A colleague took that chat.',
});

/** @type {Readonly<Record<string, string>>} what the supporter's pane notes for a lead event (SessionChange reason) */
export const LEAD_NOTES = Object.freeze({
  [ChangeReasons.LeadJoined]: 'A lead joined, with the caller’s consent. They have their own secure connection with the caller and see what the caller writes from now on.',
  [ChangeReasons.LeadDeclined]: 'The caller said no to a lead joining. Nothing else changes.',
  [ChangeReasons.LeadLeft]: 'The lead left the chat.',
});

/** @param {SessionOffer} offer */
export function offerText(offer) {
  return offer.returning
    ? `A caller you talked with before is coming back (${label(TopicLabels, offer.topic)}). You are asked first; after ${offer.expiresInSeconds} s anyone may take it.`
    : `A ${label(PriorityLabels, offer.priority)} chat (${label(TopicLabels, offer.topic)}) is offered to you. `
      + `It waited ${duration(offer.waitingSeconds)}; the offer lapses after ${offer.expiresInSeconds} s.`;
}

/** A crisis alert's headline: "Crisis request waiting", or "7 crisis requests waiting" for an alert that stands for several. */
export const crisisAlertHeadline = (/** @type {CrisisAlert} */ alert) =>
  ((alert.waiting ?? 1) > 1 ? `${alert.waiting} crisis requests waiting` : 'Crisis request waiting');

/** @param {CrisisAlert} alert */
export function crisisAlertDetail(alert) {
  return (alert.waiting ?? 1) > 1
    ? `the latest: ${label(TopicLabels, alert.topic)}. Each caller has been shown the crisis lines.`
    : `${label(TopicLabels, alert.topic)}. The caller has been shown the crisis lines.`;
}

/** "45 min", "3 h 05 min". */
export const hours = (/** @type {number} */ minutes) => (minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`);

/**
 * A well-being notice about oneself (mine) or, for leads, about a colleague; null for a kind this page does not know.
 * @param {WellbeingNotice} notice
 * @param {boolean} mine
 */
export function noticeText({ kind, login, shiftMinutes }, mine) {
  /** @type {Record<string, string>} */
  const texts = mine ? {
    [WellbeingNotices.ShiftLong]: `You have been on shift ${hours(shiftMinutes)}. Your shift ends soon: start wrapping up. Chats you hold stay with you.`,
    [WellbeingNotices.ShiftEnded]: 'Your shift reached its maximum length and has ended. Chats you hold stay with you until you close them.',
    [WellbeingNotices.WeeklyCap]: 'You reached this week’s hours cap, so your shift has ended. Chats you hold stay with you.',
    [WellbeingNotices.DebriefSuggested]: 'That was a crisis conversation. Take a few minutes for yourself, and consider a debrief with your lead.',
  } : {
    [WellbeingNotices.ShiftLong]: `${login} has been on shift ${hours(shiftMinutes)}.`,
    [WellbeingNotices.ShiftEnded]: `${login}’s shift reached its maximum length and ended.`,
    [WellbeingNotices.WeeklyCap]: `${login} reached the weekly hours cap.`,
    [WellbeingNotices.DebriefSuggested]: `${login} just finished a crisis conversation: offer a debrief.`,
  };
  return texts[kind] ?? null;
}
