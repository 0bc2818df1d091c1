// GENERATED from src/PeerLine.Protocol/Wire by WireContractIsOneSourceTests — do not edit.
// Regenerate: PEERLINE_WRITE_WIRE_CONTRACT=1 dotnet test tests/PeerLine.Tests --filter WireContractIsOneSource

export const HubRoutes = Object.freeze({
  Caller: '/hubs/caller',
  Staff: '/hubs/staff',
});

export const AuditKinds = Object.freeze({
  CrisisAlert: 'crisis-alert',
  DispositionRecorded: 'disposition-recorded',
  ExportMade: 'export-made',
  KeyCertified: 'key-certified',
  KeyRevoked: 'key-revoked',
  LeadJoined: 'lead-joined',
  RequestsHourly: 'requests-hourly',
  ResourceOffered: 'resource-offered',
  RetentionRun: 'retention-run',
  RoleChanged: 'role-changed',
  SessionAbandoned: 'session-abandoned',
  SessionClaimed: 'session-claimed',
  SessionClosed: 'session-closed',
  SessionOffered: 'session-offered',
  SessionRequested: 'session-requested',
  SessionTransferred: 'session-transferred',
  ShiftEnded: 'shift-ended',
  ShiftStarted: 'shift-started',
  StaffAdded: 'staff-added',
  StaffDisabled: 'staff-disabled',
  StaffLogin: 'staff-login',
  StaffLoginFailed: 'staff-login-failed',
  StaffLoginThrottled: 'staff-login-throttled',
});

export const ChangeReasons = Object.freeze({
  Abandoned: 'abandoned',
  Claimed: 'claimed',
  ClosedByCaller: 'closed-by-caller',
  ClosedBySupporter: 'closed-by-supporter',
  ClosedIdle: 'closed-idle',
  LeadDeclined: 'lead-declined',
  LeadJoined: 'lead-joined',
  LeadLeft: 'lead-left',
  ReturnedToQueue: 'returned-to-queue',
  Transferred: 'transferred',
  TransferredAway: 'transferred-away',
  TransferredToYou: 'transferred-to-you',
  Withdrawn: 'withdrawn',
});

export const DeviceKeyStatuses = Object.freeze({
  AwaitingCertification: 'awaiting-certification',
  Certified: 'certified',
  Revoked: 'revoked',
});

export const Directions = Object.freeze({
  CallerToSupporter: 'caller-to-supporter',
  SupporterToCaller: 'supporter-to-caller',
});

export const Dispositions = Object.freeze({
  CallerLeft: 'caller-left',
  HandedTo911: 'handed-to-911',
  HandedTo988: 'handed-to-988',
  NotASupportRequest: 'not-a-support-request',
  Other: 'other',
  ReferredTier3: 'referred-tier3',
  ResourcesShared: 'resources-shared',
  Supported: 'supported',
});

export const ErrorCodes = Object.freeze({
  AlreadyClaimed: 'already-claimed',
  HeldFull: 'held-full',
  Internal: 'internal',
  InvalidArgument: 'invalid-argument',
  InvalidCredentials: 'invalid-credentials',
  NoCapacity: 'no-capacity',
  NotAllowed: 'not-allowed',
  NotFound: 'not-found',
  NotOnShift: 'not-on-shift',
  PuzzleFailed: 'puzzle-failed',
  QueueEmpty: 'queue-empty',
  QueueFull: 'queue-full',
  RateLimited: 'rate-limited',
  SequenceGap: 'sequence-gap',
  SourceLimit: 'source-limit',
  TooLarge: 'too-large',
  Unavailable: 'unavailable',
  WeeklyCapReached: 'weekly-cap-reached',
  WrongState: 'wrong-state',
});

export const FeedbackAnswers = Object.freeze({
  Maybe: 'maybe',
  No: 'no',
  Somewhat: 'somewhat',
  Yes: 'yes',
});

export const FeedbackQuestions = Object.freeze({
  Helped: 'helped',
  WouldReturn: 'would-return',
});

export const HealthStatuses = Object.freeze({
  Alive: 'alive',
  DatabaseUnreachable: 'database-unreachable',
  Ready: 'ready',
});

export const HoursKinds = Object.freeze({
  Always: 'always',
  ByAppointment: 'by-appointment',
  Weekly: 'weekly',
});

export const MetricColumns = Object.freeze({
  Abandoned: 'abandoned',
  Answered: 'answered',
  NoDisposition: 'none',
  Open: 'open',
});

export const MetricTables = Object.freeze({
  Dispositions: 'dispositions',
  FeedbackHelped: 'feedback-helped',
  FeedbackWouldReturn: 'feedback-would-return',
  Resources: 'resources',
  Sessions: 'sessions',
});

export const Priorities = Object.freeze({
  Crisis: 'crisis',
  Routine: 'routine',
  Soon: 'soon',
});

export const ResourceKinds = Object.freeze({
  BalintGroup: 'balint-group',
  Coaching: 'coaching',
  CrisisLine: 'crisis-line',
  Eap: 'eap',
  Emergency: 'emergency',
  MedicalImprov: 'medical-improv',
  OptOutTherapy: 'opt-out-therapy',
  Other: 'other',
  PeerMentoring: 'peer-mentoring',
  PhysicianSupportLine: 'physician-support-line',
  SchwartzRounds: 'schwartz-rounds',
  SupportGroup: 'support-group',
  Therapy: 'therapy',
});

export const ResourceReasons = Object.freeze({
  Crisis: 'crisis',
  LongWait: 'long-wait',
  NobodyOnShift: 'nobody-on-shift',
  OutsideHours: 'outside-hours',
});

export const ReturnRoutes = Object.freeze({
  CodeNotValid: 'code-not-valid',
  SameSupporter: 'same-supporter',
  SupporterAway: 'supporter-away',
});

export const SessionRoles = Object.freeze({
  Caller: 'caller',
  Lead: 'lead',
  Supporter: 'supporter',
});

export const SessionStates = Object.freeze({
  Abandoned: 'abandoned',
  Active: 'active',
  Closed: 'closed',
  Waiting: 'waiting',
  Withdrawn: 'withdrawn',
});

export const StaffRoles = Object.freeze({
  Admin: 'admin',
  Auditor: 'auditor',
  Lead: 'lead',
  Supporter: 'supporter',
});

export const Topics = Object.freeze({
  AdverseEvent: 'adverse-event',
  Burnout: 'burnout',
  LitigationOrComplaint: 'litigation-or-complaint',
  Other: 'other',
  PatientDeath: 'patient-death',
});

export const WellbeingNotices = Object.freeze({
  DebriefSuggested: 'debrief-suggested',
  ShiftEnded: 'shift-ended',
  ShiftLong: 'shift-long',
  WeeklyCap: 'weekly-cap',
});

export const CallerHub = Object.freeze({
  Acknowledge: 'Acknowledge',
  AcknowledgeLead: 'AcknowledgeLead',
  AnswerLeadInvitation: 'AnswerLeadInvitation',
  Challenge: 'Challenge',
  EndSession: 'EndSession',
  GiveFeedback: 'GiveFeedback',
  LeadCertificate: 'LeadCertificate',
  RegisterReturnCode: 'RegisterReturnCode',
  RequestReturn: 'RequestReturn',
  RequestSupport: 'RequestSupport',
  Resume: 'Resume',
  SendCiphertext: 'SendCiphertext',
  SendToLead: 'SendToLead',
  SupporterCertificate: 'SupporterCertificate',
});

export const StaffHub = Object.freeze({
  Acknowledge: 'Acknowledge',
  Claim: 'Claim',
  ClaimNext: 'ClaimNext',
  CloseSession: 'CloseSession',
  DeclineOffer: 'DeclineOffer',
  EndShift: 'EndShift',
  GetQueue: 'GetQueue',
  InviteLead: 'InviteLead',
  LeaveSession: 'LeaveSession',
  Resume: 'Resume',
  SendCiphertext: 'SendCiphertext',
  ShareResource: 'ShareResource',
  StartShift: 'StartShift',
  Transfer: 'Transfer',
});

export const CallerEvents = Object.freeze({
  LeadInvited: 'LeadInvited',
  LeadMessageReceived: 'LeadMessageReceived',
  LeadMessagesDelivered: 'LeadMessagesDelivered',
  MessageReceived: 'MessageReceived',
  MessagesDelivered: 'MessagesDelivered',
  QueueMoved: 'QueueMoved',
  SessionChanged: 'SessionChanged',
});

export const StaffEvents = Object.freeze({
  CallerPresence: 'CallerPresence',
  CrisisAlert: 'CrisisAlert',
  MessageReceived: 'MessageReceived',
  MessagesDelivered: 'MessagesDelivered',
  OfferWithdrawn: 'OfferWithdrawn',
  QueueChanged: 'QueueChanged',
  SessionChanged: 'SessionChanged',
  SessionOffered: 'SessionOffered',
  WellbeingNotice: 'WellbeingNotice',
});
