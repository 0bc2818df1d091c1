// The wire protocol as the pages use it (docs/protocol.md §3–§6): every wire string comes from wire-contract.js,
// generated from src/PeerLine.Protocol/Wire, and is re-exported here; this module adds what people are shown of the
// codes (labels) and the client's reading of a failed hub call.

import {
  Dispositions, ErrorCodes, FeedbackAnswers, FeedbackQuestions, Priorities, ResourceKinds, SessionStates, Topics,
} from './wire-contract.js';

export * from './wire-contract.js';

/** @typedef {Readonly<Record<string, string>>} Labels code -> what a person is shown */

/** @type {Labels} */
export const TopicLabels = Object.freeze({
  [Topics.AdverseEvent]: 'An adverse event or error',
  [Topics.PatientDeath]: 'A patient death',
  [Topics.LitigationOrComplaint]: 'A complaint or litigation',
  [Topics.Burnout]: 'Burnout or exhaustion',
  [Topics.Other]: 'Something else',
});

/** @type {Labels} */
export const PriorityLabels = Object.freeze({ [Priorities.Crisis]: 'Crisis', [Priorities.Soon]: 'Soon', [Priorities.Routine]: 'Routine' });

/** @param {string | null} state a SessionStates code, or none yet */
export const isFinal = (state) => state === SessionStates.Closed || state === SessionStates.Withdrawn || state === SessionStates.Abandoned;

/** @type {Labels} */
export const DispositionLabels = Object.freeze({
  [Dispositions.Supported]: 'Supported',
  [Dispositions.ResourcesShared]: 'Resources shared',
  [Dispositions.ReferredTier3]: 'Referred to professional care (tier 3)',
  [Dispositions.HandedTo988]: 'Handed over to 988',
  [Dispositions.HandedTo911]: 'Handed over to 911',
  [Dispositions.CallerLeft]: 'Caller left',
  [Dispositions.NotASupportRequest]: 'Not a support request',
  [Dispositions.Other]: 'Other',
});

/** Error codes after which the same call may be repeated unchanged (§1, Errors). */
/** @type {ReadonlySet<string>} */
const RETRYABLE = new Set([ErrorCodes.Unavailable, ErrorCodes.RateLimited]);

/**
 * What the client makes of a failed call that carries no PeerLine code: the call may or may not have been applied
 * ("outcome unknown"). Not a wire code: the server never sends it.
 */
export const DISCONNECTED = 'disconnected';

/**
 * The PeerLine code of a failed hub call: the last token of the error text (§1). An error the server sent without a
 * PeerLine code (SignalR's own, for a call it could not bind) is 'internal'. Any other error (the connection closed,
 * a WebSocket error, a timeout, not connected yet) says nothing about whether the server applied the call: it is
 * 'disconnected', "outcome unknown", retried identically after the next Resume.
 * @param {unknown} error
 */
export function errorCode(error) {
  const message = String(/** @type {{ message?: unknown } | null | undefined} */ (error)?.message ?? '');
  if (message.includes('HubException')) return message.slice(message.lastIndexOf(':') + 1).trim();
  return /on the server/i.test(message) ? ErrorCodes.Internal : DISCONNECTED;
}

/** @param {string} code */
export const isRetryable = (code) => code === DISCONNECTED || RETRYABLE.has(code);

/**
 * A refusal as the pages pass it on: an Error whose `code` is the PeerLine code (or a client code such as
 * DISCONNECTED).
 * @param {string} code
 */
export const refusal = (code) => Object.assign(new Error(code), { code });

/** @type {Labels} What kind of help a shared resource is (ResourceKinds): the only thing the server records of a shared card. */
export const ResourceKindLabels = Object.freeze({
  [ResourceKinds.CrisisLine]: 'Crisis line',
  [ResourceKinds.Emergency]: 'Emergency',
  [ResourceKinds.PhysicianSupportLine]: 'Physician support line',
  [ResourceKinds.Eap]: 'Employee assistance (EAP)',
  [ResourceKinds.Therapy]: 'Therapy',
  [ResourceKinds.OptOutTherapy]: 'Opt-out therapy',
  [ResourceKinds.PeerMentoring]: 'Peer mentoring',
  [ResourceKinds.Coaching]: 'Coaching',
  [ResourceKinds.BalintGroup]: 'Balint group',
  [ResourceKinds.SchwartzRounds]: 'Schwartz Rounds',
  [ResourceKinds.MedicalImprov]: 'Medical improv',
  [ResourceKinds.SupportGroup]: 'Support group',
  [ResourceKinds.Other]: 'Other',
});

/** @type {Readonly<Record<string, { text: string, answers: Record<string, string> }>>} */
// The anonymous questions after an answered chat (FeedbackQuestions): question code -> its text and coded answers.
export const FeedbackQuestionTexts = Object.freeze({
  [FeedbackQuestions.Helped]: {
    text: 'Did talking here help?',
    answers: { [FeedbackAnswers.Yes]: 'Yes', [FeedbackAnswers.Somewhat]: 'Somewhat', [FeedbackAnswers.No]: 'No' },
  },
  [FeedbackQuestions.WouldReturn]: {
    text: 'Would you reach out to PeerLine again?',
    answers: { [FeedbackAnswers.Yes]: 'Yes', [FeedbackAnswers.Maybe]: 'Maybe', [FeedbackAnswers.No]: 'No' },
  },
});
