// The wire records the pages receive, as JSDoc types: the JSON (camelCase) form of the records in
// src/PeerLine.Protocol/Wire/Messages.cs. Types only: this module exports nothing at run time.

/**
 * @typedef {object} RelayEnvelope one opaque, already-encrypted message (MessageReceived, LeadMessageReceived)
 * @property {string} sessionId
 * @property {string} messageId the relay id (a GUID)
 * @property {number} seq counts from 1 per session and direction
 * @property {string} ciphertext base64
 */
/**
 * @typedef {object} QueueStatus where a waiting caller stands
 * @property {string} state a SessionStates code
 * @property {number | null} position
 * @property {number | null} expectedWaitSeconds
 * @property {string | null} [resources] a ResourceReasons code, or null
 * @property {number | null} [awayGraceMinutes]
 */
/**
 * @typedef {object} SessionTicket the answer to RequestSupport and RequestReturn
 * @property {string} sessionId
 * @property {string} callerSecret
 * @property {QueueStatus} queue
 * @property {string | null} [return] a ReturnRoutes code (RequestReturn only)
 */
/**
 * @typedef {object} LeadLane the caller's lane with a lead
 * @property {boolean} joined
 * @property {number} lastSentSeq
 * @property {number} lastReceivedSeq
 * @property {number} [peerReceivedSeq]
 */
/**
 * @typedef {object} SessionView a party's view of one session after it (re)joined
 * @property {string} sessionId
 * @property {string} state a SessionStates code
 * @property {string} topic a Topics code
 * @property {string} priority a Priorities code
 * @property {number} lastSentSeq
 * @property {number} lastReceivedSeq
 * @property {QueueStatus} queue
 * @property {string} role a SessionRoles code
 * @property {LeadLane | null} [lead]
 * @property {number} holder
 * @property {number} peerReceivedSeq
 * @property {boolean} callerPresent
 */
/** @typedef {{ sessionId: string, present: boolean }} CallerPresence */
/** @typedef {{ sessionId: string }} LeadInvitation */
/** @typedef {{ sessionId: string, topic: string, priority: string, waitingSeconds: number, offered: boolean }} QueueEntry */
/**
 * @typedef {object} QueueSnapshot the live queue for staff
 * @property {number} waiting
 * @property {number} crisis
 * @property {number} soon
 * @property {number} routine
 * @property {number} onShift
 * @property {QueueEntry[]} head
 */
/** @typedef {{ onShift: boolean, capacity: number, activeSessions: number }} ShiftStatus */
/** @typedef {{ sessionId: string, state: string, reason: string }} SessionChange state and reason are codes */
/**
 * @typedef {object} SessionOffer
 * @property {string} sessionId
 * @property {string} topic
 * @property {string} priority
 * @property {number} waitingSeconds
 * @property {number} expiresInSeconds
 * @property {boolean} [returning]
 */
/** @typedef {{ sessionId: string, upToSeq: number }} DeliveryReceipt */
/** @typedef {{ login: string, roles: string[] }} StaffIdentity */
/** @typedef {{ sessionId: string, topic: string, waitingSeconds: number, waiting?: number }} CrisisAlert waiting: crisis requests waiting (several: a coalesced alert) */
/** @typedef {{ kind: string, login: string, shiftMinutes: number, weekMinutes: number }} WellbeingNotice kind: a WellbeingNotices code */
/** @typedef {{ meetingsLeft: number, validDays: number }} ReturnCodeInfo */

/**
 * An escalation directory entry (GET /api/directory), or a resource card received in a chat (fewer fields).
 * @typedef {object} DirectoryEntry
 * @property {string} id
 * @property {string} name
 * @property {string} kind a ResourceKinds code
 * @property {number} tier
 * @property {boolean} crisis
 * @property {boolean | null} [openNow] null: not known (a card received in a chat)
 * @property {{ phone?: string, text?: string, url?: string, howToReach?: string }} [contact]
 * @property {{ kind?: string, text?: string }} [hours]
 * @property {string} [cost]
 * @property {string} [confidentiality]
 * @property {string} [summary]
 */
/** @typedef {{ at: string | null, entries: DirectoryEntry[] }} Directory */

export {};
