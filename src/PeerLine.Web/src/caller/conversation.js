// The caller's side of one session, end to end (docs/protocol.md §3, §7, §11): asks for support, follows the
// queue, checks the supporter's roster certificate, runs the Noise XK handshake with a fresh episode key and
// carries messages both ways exactly once. It knows nothing of the page; the page listens to its events.
//
// What survives a reload is only what sessionStorage holds: the session id, the caller secret and the roster key
// pinned at the start. Keys and the conversation live in memory, so after a reload the caller runs a new
// handshake (a new safety code) and the earlier messages are not shown again.
//
// After a chat a supporter answered has ended, storage is wiped but the connection stays open, bound to the session,
// for the optional post-chat questions (giveFeedback); it closes once they are sent or the page moves on (close).

import { fromBase64, toBase64 } from '../protocol/bytes.js';
import { readContent, returnContent } from '../app/content.js';
import { newReturnCode, returnLookup, returnEpisodeKey } from '../app/return-code.js';
import { SecureChannel } from '../protocol/channel.js';
import { Party, isRestartRequest, newMessageId } from '../protocol/envelope.js';
import { generateKeyPair } from '../protocol/noise.js';
import { HubClient } from '../app/hub.js';
import { Inbox, Outbox } from '../app/relay.js';
import { checkSupporter, fetchRoster } from '../app/roster-check.js';
import { Events, Hubs, Reasons, States, errorCode, isFinal, isRetryable } from '../app/wire.js';

const STORAGE_KEY = 'peerline.caller';
const MAX_RESTARTS = 3;

export const storedSession = {
  read() {
    try {
      const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
      return value && typeof value.sessionId === 'string' && typeof value.callerSecret === 'string' ? value : null;
    } catch {
      return null;
    }
  },
  write(value) {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(value));
  },
  wipe() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

/**
 * Events (CustomEvent detail):
 *  connection {status}            'connecting' | 'connected' | 'reconnecting'
 *  queue      {position, expectedWaitSeconds}
 *  state      {state, reason}     reason is null when the state comes from a resumed view
 *  securing   {restarted}         a supporter holds the session; checking the certificate and handshaking
 *                                 (restarted: a channel existed before, so the safety code will change)
 *  secure     {safetyCode, handle}
 *  refused    {code}              certificate refused or handshake failed (a code, never content)
 *  message    {seq, content}      from the supporter, in order, once (content: see app/content.js readContent)
 *  sent       {id, seq}           the server stored the caller's message
 *  delivered  {upToSeq}           the supporter's device received everything up to upToSeq
 *  failed     {id, code}          the server refused the caller's message for good
 *  resumed    {}                  this page took over an existing session after a reload
 *  refused-request {code}         the server turned the request down (for example 'queue-full')
 *  return-route {route}           where a return code led: 'same-supporter', 'supporter-away' or 'code-not-valid'
 *  lead-invited {}                the supporter asks whether a lead may join (answerLeadInvitation)
 *  lead       {joined}            a lead joined or left
 *  lead-secure {safetyCode}       the channel with the lead is ready
 *  message also carries from: 'supporter' | 'lead' 
 */
export class CallerConversation extends EventTarget {
  #hub;
  #ticket = null; // { sessionId, callerSecret, rosterKey }
  #request = null; // { topic, priority } until the server answers RequestSupport
  #returnCode = null;
  #codeTaken = false;
  #inbox = null;
  #outbox = null;
  #episodeKey = null;
  #channel = null;
  #handle = null;
  #restarts = 0;
  #handshakes = Promise.resolve();
  #established = null;
  #resolveEstablished = null;
  #state = null;
  #resumedOnce = false;
  #answered = false; // a supporter held this session at some point
  #feedbackOpen = false;
  #stopped = false;
  // The lane with a lead the caller let in: its own relay sequence, channel and handshake (docs/protocol.md §16).
  #leadInbox = null;
  #leadOutbox = null;
  #leadChannel = null;
  #leadEstablished = null;
  #resolveLeadEstablished = null;

  /** @param {{returnCode?: string}} options a normalized return code: this episode continues an earlier one */
  constructor({ returnCode = null } = {}) {
    super();
    this.#returnCode = returnCode;
    this.#hub = new HubClient(Hubs.CALLER, {
      onConnected: () => this.#onConnected(),
      onStatus: (status) => this.#emit('connection', { status }),
    });
    this.#hub.on(Events.QUEUE_MOVED, (status) => this.#emit('queue', status));
    this.#hub.on(Events.SESSION_CHANGED, (change) => this.#onSessionChanged(change));
    this.#hub.on(Events.MESSAGE_RECEIVED, (envelope) => {
      if (envelope.sessionId === this.#ticket?.sessionId) this.#inbox.accept(envelope);
    });
    this.#hub.on(Events.MESSAGES_DELIVERED, (receipt) => {
      if (receipt.sessionId === this.#ticket?.sessionId) this.#outbox.deliveredUpTo(receipt.upToSeq);
    });
    this.#hub.on(Events.LEAD_INVITED, (invitation) => {
      if (invitation.sessionId === this.#ticket?.sessionId) this.#emit('lead-invited', {});
    });
    this.#hub.on(Events.LEAD_MESSAGE_RECEIVED, (envelope) => {
      if (envelope.sessionId === this.#ticket?.sessionId) this.#leadInbox.accept(envelope);
    });
    this.#resetEstablished();
  }

  get state() {
    return this.#state;
  }

  get safetyCode() {
    return this.#channel?.safetyCode ?? null;
  }

  /** The post-chat questions may be answered: an answered chat has ended and they were not sent yet. */
  get feedbackOpen() {
    return this.#feedbackOpen;
  }

  /** Asks for support with the coded result of the self-screen. */
  async request(topic, priority) {
    this.#request = { topic, priority };
    await this.#hub.start();
  }

  /** Takes over the session kept in sessionStorage (after a reload). */
  async resume(stored) {
    this.#useTicket(stored);
    await this.#hub.start();
  }

  /** Lets the lead in (true) or not (false): refusing changes nothing else. */
  async answerLeadInvitation(accept) {
    // Recorded before asking: the server announces the lead before it answers this call. Kept with the session, so a
    // reload still knows; taken back if the answer does not go through.
    const before = this.#ticket;
    if (accept) this.#keepTicket({ ...before, leadConsent: true });
    try {
      await this.#hub.invoke('AnswerLeadInvitation', before.sessionId, accept);
    } catch (error) {
      this.#keepTicket(before);
      throw error;
    }
  }

  #keepTicket(ticket) {
    this.#ticket = ticket;
    storedSession.write(ticket);
  }

  /**
   * Sends one message (bytes from app/content.js) to the supporter, and to the lead too while one is in the chat;
   * returns a local id at once, the events say what becomes of the supporter's copy.
   */
  send(content, { toLead = true } = {}) {
    const messageId = newMessageId();
    if (toLead) this.#leadEstablished?.then((channel) => this.#leadOutbox.send((s) => channel.seal(messageId, content, s)).catch(() => {}));
    const id = crypto.randomUUID();
    this.#established.then(async (channel) => {
      try {
        const seq = await this.#outbox.send((s) => channel.seal(messageId, content, s));
        this.#emit('sent', { id, seq });
      } catch (error) {
        this.#emit('failed', { id, code: error.code ?? 'internal' });
      }
    });
    return id;
  }

  /**
   * Takes a return code for the supporter of this chat: registers its lookup value with the server and tells the
   * supporter's device (end to end) the episode key the caller will come back with. Resolves with { code, meetingsLeft, validDays }.
   */
  async takeReturnCode() {
    if (this.#codeTaken) throw Object.assign(new Error('already-taken'), { code: 'already-taken' });
    const code = newReturnCode();
    const plain = code.replaceAll('-', '');
    const info = await this.#hub.invoke('RegisterReturnCode', this.#ticket.sessionId, toBase64(await returnLookup(plain)));
    this.#codeTaken = true;
    this.send(returnContent((await returnEpisodeKey(plain)).publicKey), { toLead: false }); // for the supporter's device only
    return { code, meetingsLeft: info.meetingsLeft, validDays: info.validDays };
  }

  /** Sends the answers to the post-chat questions ({ question: answer }), then lets the connection go. */
  async giveFeedback(answers) {
    if (!this.#feedbackOpen) throw Object.assign(new Error('wrong-state'), { code: 'wrong-state' });
    await this.#hub.whenConnected();
    await this.#hub.invoke('GiveFeedback', this.#ticket.sessionId, answers);
    this.close();
  }

  /** Done with this conversation (the page moves on): the connection closes. */
  close() {
    this.#feedbackOpen = false;
    this.#stop();
  }

  /** Ends the session (or leaves the queue) and forgets it on this device. */
  async end() {
    const sessionId = this.#ticket?.sessionId;
    storedSession.wipe();
    if (!sessionId || isFinal(this.#state)) return this.#stop();
    try {
      await this.#hub.invoke('EndSession', sessionId);
    } catch (error) {
      if (errorCode(error) !== 'wrong-state') throw error;
    }
  }

  async #onConnected() {
    if (this.#ticket === null) {
      const { topic, priority } = this.#request;
      const roster = await fetchRoster();
      let ticket;
      try {
        if (this.#returnCode === null) ticket = await this.#hub.invoke('RequestSupport', topic, priority);
        else ticket = await this.#hub.invoke('RequestReturn', topic, priority, toBase64(await returnLookup(this.#returnCode)));
      } catch (error) {
        const code = errorCode(error);
        if (isRetryable(code)) throw error; // asked again on the next connection
        this.#emit('refused-request', { code });
        this.#stop();
        return;
      }
      this.#useTicket({ sessionId: ticket.sessionId, callerSecret: ticket.callerSecret, rosterKey: toBase64(roster.publicKey) });
      storedSession.write(this.#ticket);
      if (ticket.return) this.#emit('return-route', { route: ticket.return });
      await this.#applyView({ state: ticket.queue.state, lastSentSeq: 0, lastReceivedSeq: 0, queue: ticket.queue });
      return;
    }
    let view;
    try {
      view = await this.#hub.invoke('Resume', this.#ticket.sessionId, this.#ticket.callerSecret);
    } catch (error) {
      if (errorCode(error) !== 'not-found') throw error;
      storedSession.wipe(); // the session no longer exists here
      this.#answered = false; // nothing left to give feedback on
      this.#setState(States.CLOSED, 'not-found');
      return;
    }
    await this.#applyView(view);
    if (!this.#resumedOnce && this.#state === States.ACTIVE && this.#channel === null) {
      this.#emit('resumed', {});
      this.#beginHandshake(); // after a reload: the old channel's keys are gone
    }
    this.#resumedOnce = true;
  }

  #useTicket(ticket) {
    this.#ticket = ticket;
    this.#leadInbox = new Inbox((seq, bytes) => this.#onLeadEnvelope(seq, bytes), (upTo) => this.#hub.invoke('AcknowledgeLead', ticket.sessionId, upTo));
    this.#leadOutbox = new Outbox(this.#hub, ticket.sessionId, { method: 'SendToLead' });
    this.#inbox = new Inbox((seq, bytes) => this.#onEnvelope(seq, bytes), (upTo) => this.#hub.invoke('Acknowledge', ticket.sessionId, upTo));
    this.#outbox = new Outbox(this.#hub, ticket.sessionId, { onDelivered: (upToSeq) => this.#emit('delivered', { upToSeq }) });
  }

  async #applyView(view) {
    this.#outbox.sync(view.lastSentSeq);
    this.#setState(view.state, null);
    if (view.state === States.WAITING && view.queue) this.#emit('queue', view.queue);
    await this.#inbox.sync(view.lastReceivedSeq);
    if (view.lead) {
      this.#leadOutbox.sync(view.lead.lastSentSeq);
      await this.#leadInbox.sync(view.lead.lastReceivedSeq);
      // Only a lead this caller agreed to: a "lead joined" the caller never said yes to opens nothing.
      if (view.lead.joined && this.#ticket.leadConsent && this.#leadChannel === null && view.state === States.ACTIVE) this.#beginLeadHandshake();
    }
  }

  #onSessionChanged(change) {
    if (change.sessionId !== this.#ticket?.sessionId) return;
    if (change.reason === Reasons.LEAD_JOINED) {
      if (!this.#ticket.leadConsent) return; // not something this caller agreed to
      this.#emit('lead', { joined: true });
      // The view says where the lead lane stands; the handshake with the lead follows from it.
      this.#hub.invoke('Resume', this.#ticket.sessionId, this.#ticket.callerSecret).then((view) => this.#applyView(view)).catch(() => {});
      return;
    }
    if (change.reason === Reasons.LEAD_LEFT) {
      this.#leadChannel = null;
      this.#leadEstablished = null;
      this.#emit('lead', { joined: false });
      return;
    }
    this.#setState(change.state, change.reason);
    if (change.state === States.ACTIVE) this.#beginHandshake();
  }

  #setState(state, reason) {
    const changed = state !== this.#state || reason !== null;
    this.#state = state;
    if (state === States.ACTIVE) this.#answered = true;
    if (isFinal(state)) this.#feedbackOpen = state === States.CLOSED && this.#answered && !this.#stopped;
    if (changed) this.#emit('state', { state, reason });
    if (isFinal(state)) {
      storedSession.wipe();
      if (!this.#feedbackOpen) this.#stop();
    }
  }

  #beginHandshake() {
    this.#handshakes = this.#handshakes.then(() => this.#handshake()).catch(() => this.#emit('refused', { code: 'unavailable' }));
  }

  async #handshake() {
    if (this.#state !== States.ACTIVE) return;
    this.#emit('securing', { restarted: this.#channel !== null });
    const check = await this.#checkedStaffKey('SupporterCertificate');
    if (check === null) return;
    this.#episodeKey ??= this.#returnCode === null ? await generateKeyPair() : await returnEpisodeKey(this.#returnCode);
    this.#channel = await SecureChannel.forCaller({
      sessionId: this.#ticket.sessionId, supporterStaticKey: check.staticKey, episodeKey: this.#episodeKey,
    });
    this.#handle = check.handle;
    if (this.#resolveEstablished === null) this.#resetEstablished();
    const first = await this.#channel.start();
    this.#outbox.send(async () => first).catch((error) => this.#emit('refused', { code: error.code }));
  }

  /**
   * The certificate of the supporter or lead (hub method `method`), checked against the roster key pinned at the
   * start: { staticKey, handle }, or null after telling the page why not.
   */
  async #checkedStaffKey(method) {
    let certificate;
    try {
      certificate = fromBase64(await this.#hub.invoke(method, this.#ticket.sessionId));
    } catch (error) {
      this.#emit('refused', { code: errorCode(error) });
      return null;
    }
    const check = await checkSupporter(certificate, fromBase64(this.#ticket.rosterKey));
    if (check.staticKey !== undefined) return check;
    this.#emit('refused', { code: check.verdict });
    return null;
  }

  #beginLeadHandshake() {
    this.#handshakes = this.#handshakes.then(() => this.#leadHandshake()).catch(() => this.#emit('refused', { code: 'unavailable' }));
  }

  async #leadHandshake() {
    const check = await this.#checkedStaffKey('LeadCertificate');
    if (check === null) return;
    this.#episodeKey ??= await generateKeyPair();
    this.#leadChannel = await SecureChannel.forCaller({
      sessionId: this.#ticket.sessionId, supporterStaticKey: check.staticKey, episodeKey: this.#episodeKey, party: Party.LEAD,
    });
    this.#leadEstablished = new Promise((resolve) => { this.#resolveLeadEstablished = resolve; });
    const first = await this.#leadChannel.start();
    this.#leadOutbox.send(async () => first).catch(() => {});
  }

  async #onLeadEnvelope(seq, bytes) {
    const channel = this.#leadChannel;
    if (isRestartRequest(bytes)) {
      if (channel !== null && (channel.isEstablished || channel.hasFailed)) this.#beginLeadHandshake();
      return;
    }
    if (channel === null) return;
    const result = await channel.receive(bytes, seq);
    if (result.outcome === 'handshake') {
      if (result.reply) this.#leadOutbox.send(async () => result.reply).catch(() => {});
      if (channel.isEstablished && channel === this.#leadChannel) {
        this.#resolveLeadEstablished(channel);
        this.#emit('lead-secure', { safetyCode: channel.safetyCode });
      }
    } else if (result.outcome === 'message') {
      this.#emit('message', { seq, content: readContent(result.content), from: 'lead' });
    }
  }

  async #onEnvelope(seq, bytes) {
    const channel = this.#channel;
    if (isRestartRequest(bytes)) {
      // The supporter's side lost its channel (a reloaded console). A handshake already under way answers it.
      if (channel !== null && (channel.isEstablished || channel.hasFailed)) this.#beginHandshake();
      return;
    }
    if (channel === null) return; // nothing can be read before a handshake: dropped, and acknowledged
    const result = await channel.receive(bytes, seq);
    if (result.outcome === 'handshake') {
      if (result.reply) this.#outbox.send(async () => result.reply).catch((error) => this.#emit('refused', { code: error.code }));
      if (channel.isEstablished && channel === this.#channel) {
        this.#resolveEstablished(channel);
        this.#resolveEstablished = null;
        this.#emit('secure', { safetyCode: channel.safetyCode, handle: this.#handle });
      }
    } else if (result.outcome === 'message') {
      this.#emit('message', { seq, content: readContent(result.content), from: 'supporter' });
    } else if (!channel.isEstablished && this.#restarts++ < MAX_RESTARTS) {
      this.#beginHandshake(); // a stale reply of an earlier channel spoiled this handshake
    } else {
      this.#emit('refused', { code: 'rejected-message' });
    }
  }

  #resetEstablished() {
    this.#established = new Promise((resolve) => { this.#resolveEstablished = resolve; });
  }

  #stop() {
    this.#stopped = true;
    this.#hub.stop().catch(() => {});
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
