// The caller's side of one session, end to end (docs/protocol.md §3, §7, §11; docs/web-client.md): asks for support, follows the
// queue, checks the supporter's roster certificate, runs the Noise XK handshake and carries messages both ways, each
// shown once, through two lanes (app/lane.js): the supporter's and, once the caller let one in, a lead's.
//
// What survives a reload: sessionStorage holds the session id, the caller secret and the roster key pinned at the
// start; IndexedDB (database `peerline-caller`, app/vault.js) holds the lanes' state, the episode key and the
// transcript, encrypted under a non-extractable key. A reload continues the same channel (same safety code) and shows
// the chat again. Both are erased when the chat ends, when the session is found ended or gone, and on request.
//
// After a chat a supporter answered has ended, storage is wiped but the connection stays open, bound to the session,
// for the optional post-chat questions (giveFeedback); it closes once they are sent or the page moves on (close).

import { fromBase64, toBase64, toHex } from '../protocol/bytes.js';
import { readContent, returnContent } from '../app/content.js';
import { newReturnCode, returnLookup, returnEpisodeKey } from '../app/return-code.js';
import { SecureChannel } from '../protocol/channel.js';
import { Party, newMessageId } from '../protocol/envelope.js';
import { generateKeyPair } from '../protocol/noise.js';
import { HubClient } from '../app/hub.js';
import { Lane } from '../app/lane.js';
import { Transcript } from '../app/transcript.js';
import { RecordKeeper, Vault, deleteDatabase } from '../app/vault.js';
import { checkSupporter, fetchRoster } from '../app/roster-check.js';
import { Events, Hubs, Reasons, States, errorCode, isFinal, isRetryable } from '../app/wire.js';

const STORAGE_KEY = 'peerline.caller';
const DATABASE = Object.freeze({ name: 'peerline-caller', version: 1, stores: ['sessions'] });
const vault = new Vault(DATABASE, 'sessions');

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
 *  queue      QueueStatus         {position, expectedWaitSeconds, resources, awayGraceMinutes}
 *  state      {state, reason}     reason is null when the state comes from a resumed view
 *  securing   {restarted}         a new handshake with the supporter begins (restarted: a channel existed before, so
 *                                 the safety code will change)
 *  secure     {safetyCode, restored}  restored: the channel kept on this device before a reload
 *  refused    {code}              certificate refused, handshake failed, or an envelope that cannot be read (a code)
 *  restored   {entries}           after a reload: the kept transcript (app/transcript.js entries), to show again
 *  resumed    {restored}          this page took over an existing session after a reload (restored: its state was kept)
 *  message    {messageId, content, from}  a new message, once (content: app/content.js readContent; from: 'supporter' | 'lead')
 *  status     {messageId, status} a message the caller wrote: sending | sent | delivered | undelivered | failed
 *  refused-request {code}         the server turned the request down (for example 'queue-full')
 *  return-route {route}           where a return code led: 'same-supporter', 'supporter-away' or 'code-not-valid'
 *  lead-invited {}                the supporter asks whether a lead may join (answerLeadInvitation)
 *  lead       {joined}            a lead joined or left
 *  lead-secure {safetyCode}       the channel with the lead is ready
 */
export class CallerConversation extends EventTarget {
  #hub;
  #ticket = null; // { sessionId, callerSecret, rosterKey, leadConsent? }
  #request = null; // { topic, priority } until the server answers RequestSupport
  #returnCode = null;
  #codeTaken = false;
  #episodeKey = null;
  #supporter = null; // Lane
  #lead = null; // Lane
  #leadJoined = false;
  #transcript = new Transcript();
  #keeper = null;
  #state = null;
  #resumedOnce = false;
  #restored = false;
  #answered = false; // a supporter held this session at some point
  #feedbackOpen = false;
  #stopped = false;

  /** @param {{returnCode?: string}} options a normalized return code: this episode continues an earlier one */
  constructor({ returnCode = null } = {}) {
    super();
    this.#returnCode = returnCode;
    this.#hub = new HubClient(Hubs.CALLER, {
      onConnected: () => this.#onConnected(),
      onStatus: (status) => this.#emit('connection', { status }),
    });
    const mine = (event) => event.sessionId === this.#ticket?.sessionId && this.#supporter !== null;
    this.#hub.on(Events.QUEUE_MOVED, (status) => this.#emit('queue', status));
    this.#hub.on(Events.SESSION_CHANGED, (change) => { if (mine(change)) this.#onSessionChanged(change); });
    this.#hub.on(Events.MESSAGE_RECEIVED, (envelope) => { if (mine(envelope)) this.#supporter.accept(envelope); });
    this.#hub.on(Events.MESSAGES_DELIVERED, (receipt) => { if (mine(receipt)) this.#supporter.delivered(receipt.upToSeq); });
    this.#hub.on(Events.LEAD_MESSAGE_RECEIVED, (envelope) => { if (mine(envelope)) this.#lead.accept(envelope); });
    this.#hub.on(Events.LEAD_MESSAGES_DELIVERED, (receipt) => { if (mine(receipt)) this.#lead.delivered(receipt.upToSeq); });
    this.#hub.on(Events.LEAD_INVITED, (invitation) => { if (mine(invitation)) this.#emit('lead-invited', {}); });
  }

  get state() {
    return this.#state;
  }

  get safetyCode() {
    return this.#supporter?.safetyCode ?? null;
  }

  /** The post-chat questions may be answered: an answered chat has ended and they were not sent yet. */
  get feedbackOpen() {
    return this.#feedbackOpen;
  }

  /** How many messages the caller wrote were not delivered (R7), for the end of the chat. */
  get undeliveredCount() {
    return this.#transcript.count('undelivered');
  }

  /** Asks for support with the coded result of the self-screen. */
  async request(topic, priority) {
    this.#request = { topic, priority };
    await this.#hub.start();
  }

  /** Takes over the session kept in sessionStorage (after a reload), with its kept state if there is one. */
  async resume(stored) {
    this.#ticket = stored;
    let record = null;
    try {
      record = await vault.load(stored.sessionId);
    } catch {
      // no IndexedDB here: the chat goes on from memory
    }
    await this.#openLanes(record);
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

  /**
   * Sends one message (bytes from app/content.js) to the supporter, and to the lead too once the caller said yes to
   * one; returns its message id (hex) at once, the `status` events follow it. `shown`: part of the transcript.
   */
  send(content, { toLead = true, shown = true } = {}) {
    const messageId = toHex(newMessageId());
    if (shown) this.#transcript.outgoing(messageId, content);
    this.#supporter.write(messageId, content);
    if (toLead && this.#ticket.leadConsent) this.#lead.write(messageId, content);
    return messageId;
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
    this.send(returnContent((await returnEpisodeKey(plain)).publicKey), { toLead: false, shown: false }); // for the supporter's device only
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
    await this.erase();
    if (!sessionId || isFinal(this.#state)) return this.#stop();
    try {
      await this.#hub.invoke('EndSession', sessionId);
    } catch (error) {
      if (errorCode(error) !== 'wrong-state') throw error;
    }
  }

  /**
   * Erases this chat from the device: the kept state and transcript (IndexedDB) now and from now on. Without the
   * `sessionStorage` entry too (`forget`), a reload still takes the session over, with a new handshake.
   */
  async erase({ forget = true } = {}) {
    if (forget) storedSession.wipe();
    await this.#keeper?.erase();
    await deleteDatabase(DATABASE.name);
  }

  // ---- The session

  async #onConnected() {
    if (this.#ticket === null) return this.#requestSupport();
    let view;
    this.#supporter.hold();
    this.#lead.hold();
    try {
      view = await this.#hub.invoke('Resume', this.#ticket.sessionId, this.#ticket.callerSecret);
    } catch (error) {
      if (errorCode(error) !== 'not-found') throw error;
      this.#answered = false; // nothing left to give feedback on
      await this.#setState(States.CLOSED, 'not-found');
      return;
    }
    if (!this.#resumedOnce && view.state === States.ACTIVE) this.#emit('resumed', { restored: this.#restored });
    this.#resumedOnce = true;
    await this.#applyView(view);
  }

  async #requestSupport() {
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
    this.#keepTicket({ sessionId: ticket.sessionId, callerSecret: ticket.callerSecret, rosterKey: toBase64(roster.publicKey) });
    await this.#openLanes(null);
    this.#resumedOnce = true;
    if (ticket.return) this.#emit('return-route', { route: ticket.return });
    await this.#applyView({ state: ticket.queue.state, lastSentSeq: 0, lastReceivedSeq: 0, holder: 0, queue: ticket.queue });
  }

  async #applyView(view) {
    await this.#setState(view.state, null);
    if (isFinal(view.state)) return;
    if (view.state === States.WAITING && view.queue) this.#emit('queue', view.queue);
    await this.#supporter.sync(view);
    if (view.lead) {
      this.#leadJoined = view.lead.joined;
      await this.#lead.sync(view.lead);
    }
  }

  #onSessionChanged(change) {
    if (change.reason === Reasons.LEAD_JOINED) {
      if (!this.#ticket.leadConsent) return; // not something this caller agreed to
      this.#leadJoined = true;
      this.#emit('lead', { joined: true });
      this.#refresh(); // the view says where the lead lane stands; the handshake with the lead follows from it
      return;
    }
    if (change.reason === Reasons.LEAD_LEFT) {
      this.#endLeadLane();
      this.#emit('lead', { joined: false });
      return;
    }
    this.#setState(change.state, change.reason);
    if (isFinal(change.state)) return;
    // Claimed, claimed again, transferred, or back in the queue: the supporter's channel is gone (R5); a transfer or a
    // return also ends the lead's lane.
    if (change.reason === Reasons.TRANSFERRED || change.state === States.WAITING) this.#endLeadLane();
    this.#supporter.abandon({ restart: change.state === States.ACTIVE });
  }

  #endLeadLane() {
    this.#leadJoined = false;
    if (this.#ticket.leadConsent) this.#keepTicket({ ...this.#ticket, leadConsent: false });
    this.#lead.end({ final: false });
  }

  #refresh() {
    this.#hub.invoke('Resume', this.#ticket.sessionId, this.#ticket.callerSecret).then((view) => this.#applyView(view)).catch(() => {});
  }

  async #setState(state, reason) {
    const changed = state !== this.#state || reason !== null;
    this.#state = state;
    if (state === States.ACTIVE) this.#answered = true;
    if (isFinal(state)) this.#feedbackOpen = state === States.CLOSED && this.#answered && !this.#stopped;
    if (isFinal(state)) {
      // R7, then nothing of the chat stays on this device.
      await Promise.all([this.#supporter?.end(), this.#lead?.end()]);
      await this.erase().catch(() => {});
    }
    if (changed) this.#emit('state', { state, reason });
    if (isFinal(state) && !this.#feedbackOpen) this.#stop();
  }

  #keepTicket(ticket) {
    this.#ticket = ticket;
    storedSession.write(ticket);
  }

  // ---- Lanes and their state at rest

  async #openLanes(record) {
    const sessionId = this.#ticket.sessionId;
    this.#keeper = new RecordKeeper(vault, sessionId, () => this.#snapshot());
    const supporter = {
      hub: this.#hub, sessionId, initiator: true,
      hooks: this.#hooks({
        from: 'supporter',
        secure: (channel, { restored }) => this.#emit('secure', { safetyCode: channel.safetyCode, restored }),
        securing: (info) => this.#emit('securing', info),
        status: (messageId, status) => {
          this.#transcript.status(messageId, status);
          this.#emit('status', { messageId, status });
        },
        openChannel: () => this.#openChannel('SupporterCertificate', Party.SUPPORTER),
        canStart: () => this.#state === States.ACTIVE,
      }),
    };
    const lead = {
      hub: this.#hub, sessionId, initiator: true, send: 'SendToLead', acknowledge: 'AcknowledgeLead',
      hooks: this.#hooks({
        from: 'lead',
        secure: (channel) => this.#emit('lead-secure', { safetyCode: channel.safetyCode }),
        securing: () => {},
        status: () => {}, // each message is shown once, with the supporter's copy's status
        openChannel: () => this.#openChannel('LeadCertificate', Party.LEAD),
        canStart: () => this.#state === States.ACTIVE && this.#leadJoined && this.#ticket.leadConsent === true,
      }),
    };
    if (record === null) {
      this.#supporter = new Lane(supporter);
      this.#lead = new Lane(lead);
      return;
    }
    this.#restored = true;
    this.#episodeKey = record.episodeKey;
    this.#transcript = new Transcript(record.transcript);
    this.#emit('restored', { entries: this.#transcript.entries });
    const fromState = (state) => SecureChannel.fromState(state);
    this.#supporter = await Lane.restore(supporter, record.supporter, fromState);
    this.#lead = await Lane.restore(lead, record.lead, fromState);
  }

  #hooks({ from, ...rest }) {
    return {
      save: () => this.#keeper.save(),
      received: ({ messageId, content }) => {
        if (!this.#transcript.incoming(messageId, content, from === 'lead' ? 'lead' : null)) return;
        this.#emit('message', { messageId, content: readContent(content), from });
      },
      refused: (code) => this.#emit('refused', { code }),
      ...rest,
    };
  }

  async #snapshot() {
    return {
      sessionId: this.#ticket.sessionId,
      episodeKey: this.#episodeKey,
      supporter: await this.#supporter.snapshot(),
      lead: await this.#lead.snapshot(),
      transcript: this.#transcript.entries,
    };
  }

  /** A fresh channel with the supporter or lead whose certificate checks out, or null after saying why not. */
  async #openChannel(method, party) {
    try {
      const certificate = fromBase64(await this.#hub.invoke(method, this.#ticket.sessionId));
      const check = await checkSupporter(certificate, fromBase64(this.#ticket.rosterKey));
      if (check.staticKey === undefined) {
        this.#emit('refused', { code: check.verdict });
        return null;
      }
      this.#episodeKey ??= this.#returnCode === null ? await generateKeyPair() : await returnEpisodeKey(this.#returnCode);
      return await SecureChannel.forCaller({
        sessionId: this.#ticket.sessionId, supporterStaticKey: check.staticKey, episodeKey: this.#episodeKey, party,
      });
    } catch (error) {
      this.#emit('refused', { code: error.code ?? errorCode(error) });
      return null;
    }
  }

  #stop() {
    this.#stopped = true;
    this.#hub.stop().catch(() => {});
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
