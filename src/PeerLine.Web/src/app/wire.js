// Names and codes of the wire protocol (docs/protocol.md §3–§6), mirroring src/PeerLine.Protocol/Wire/.

export const Hubs = Object.freeze({ CALLER: '/hubs/caller', STAFF: '/hubs/staff' });

export const Events = Object.freeze({
  MESSAGE_RECEIVED: 'MessageReceived',
  MESSAGES_DELIVERED: 'MessagesDelivered',
  QUEUE_MOVED: 'QueueMoved',
  SESSION_CHANGED: 'SessionChanged',
  QUEUE_CHANGED: 'QueueChanged',
  SESSION_OFFERED: 'SessionOffered',
  OFFER_WITHDRAWN: 'OfferWithdrawn',
  CRISIS_ALERT: 'CrisisAlert',
  WELLBEING_NOTICE: 'WellbeingNotice',
  LEAD_INVITED: 'LeadInvited',
  LEAD_MESSAGE_RECEIVED: 'LeadMessageReceived',
  LEAD_MESSAGES_DELIVERED: 'LeadMessagesDelivered',
  CALLER_PRESENCE: 'CallerPresence',
});

/** @type {Readonly<Record<string, string>>} code -> label */
export const Topics = Object.freeze({
  'adverse-event': 'An adverse event or error',
  'patient-death': 'A patient death',
  'litigation-or-complaint': 'A complaint or litigation',
  burnout: 'Burnout or exhaustion',
  other: 'Something else',
});

/** @type {Readonly<Record<string, string>>} code -> label */
export const Priorities = Object.freeze({ crisis: 'Crisis', soon: 'Soon', routine: 'Routine' });

export const States = Object.freeze({
  WAITING: 'waiting', ACTIVE: 'active', CLOSED: 'closed', WITHDRAWN: 'withdrawn', ABANDONED: 'abandoned',
});

/** @param {string} state */
export const isFinal = (state) => state === States.CLOSED || state === States.WITHDRAWN || state === States.ABANDONED;

/** @type {Readonly<Record<string, string>>} code -> label */
export const Dispositions = Object.freeze({
  supported: 'Supported',
  'resources-shared': 'Resources shared',
  'referred-tier3': 'Referred to professional care (tier 3)',
  'handed-to-988': 'Handed over to 988',
  'handed-to-911': 'Handed over to 911',
  'caller-left': 'Caller left',
  'not-a-support-request': 'Not a support request',
  other: 'Other',
});

export const Reasons = Object.freeze({
  CLAIMED: 'claimed',
  CLOSED_BY_SUPPORTER: 'closed-by-supporter',
  CLOSED_BY_CALLER: 'closed-by-caller',
  WITHDRAWN: 'withdrawn',
  ABANDONED: 'abandoned',
  RETURNED_TO_QUEUE: 'returned-to-queue',
  TRANSFERRED: 'transferred',
  TRANSFERRED_AWAY: 'transferred-away',
  TRANSFERRED_TO_YOU: 'transferred-to-you',
  LEAD_JOINED: 'lead-joined',
  LEAD_DECLINED: 'lead-declined',
  LEAD_LEFT: 'lead-left',
});

/** Error codes after which the same call may be repeated unchanged (§1, Errors). */
const RETRYABLE = new Set(['unavailable', 'rate-limited']);

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
  return /on the server/i.test(message) ? 'internal' : 'disconnected';
}

/** @param {string} code */
export const isRetryable = (code) => code === 'disconnected' || RETRYABLE.has(code);

/** What kind of help a shared resource is (ResourceKinds): the only thing the server records of a shared card. */
/** @type {Readonly<Record<string, string>>} code -> label */
export const ResourceKinds = Object.freeze({
  'crisis-line': 'Crisis line',
  emergency: 'Emergency',
  'physician-support-line': 'Physician support line',
  eap: 'Employee assistance (EAP)',
  therapy: 'Therapy',
  'opt-out-therapy': 'Opt-out therapy',
  'peer-mentoring': 'Peer mentoring',
  coaching: 'Coaching',
  'balint-group': 'Balint group',
  'schwartz-rounds': 'Schwartz Rounds',
  'medical-improv': 'Medical improv',
  'support-group': 'Support group',
  other: 'Other',
});

/** The anonymous questions after an answered chat (FeedbackQuestions): question code -> its text and coded answers. */
/** @type {Readonly<Record<string, { text: string, answers: Record<string, string> }>>} */
export const FeedbackQuestions = Object.freeze({
  helped: { text: 'Did talking here help?', answers: { yes: 'Yes', somewhat: 'Somewhat', no: 'No' } },
  'would-return': { text: 'Would you reach out to PeerLine again?', answers: { yes: 'Yes', maybe: 'Maybe', no: 'No' } },
});
