// The supporter's side, end to end (docs/protocol.md §4, §7, §11.11): the staff hub, the queue, and one secure
// channel per held session, answered with this device's static key. Mirrors src/PeerLine.Client/E2E/SupporterClient.cs.
// It knows nothing of the page; the console listens to its events.

import { readContent, resourceContent } from '../app/content.js';
import { toBase64 } from '../protocol/bytes.js';
import { SecureChannel } from '../protocol/channel.js';
import { HANDSHAKE, Party, newMessageId, restartRequest, unwrap } from '../protocol/envelope.js';
import { HubClient } from '../app/hub.js';
import { Inbox, Outbox } from '../app/relay.js';
import { Events, Hubs, Reasons, States, errorCode } from '../app/wire.js';


/**
 * Events (CustomEvent detail):
 *  connection {status}
 *  queue      QueueSnapshot
 *  offered    SessionOffer;  offer-withdrawn {sessionId}
 *  crisis-alert CrisisAlert              to leads on shift: a crisis request arrived
 *  wellbeing  WellbeingNotice            about this supporter, or (to leads) about a colleague
 *  session    {view}                     a session this supporter now holds (claim, transfer to you, resume), or joined
 *                                        as a lead (view.role 'lead')
 *  lead       {sessionId, status}        as the supporter: lead-joined, lead-declined or lead-left
 *  ended      {sessionId, state, reason} it is no longer held here (closed, transferred away, returned to the queue)
 *  securing   {sessionId, restarted}     the caller (re)started the handshake; restarted = an earlier channel existed
 *  secure     {sessionId, safetyCode, episodeKey}  episodeKey: the caller's (base64), to recognise a returning episode
 *  message    {sessionId, seq, content}  content: see app/content.js readContent
 *  sent       {sessionId, id, seq};  delivered {sessionId, upToSeq};  failed {sessionId, id, code}
 *  refused    {sessionId, code}          an envelope could not be opened (a code, never content); after a reload of
 *                                        this page the caller is asked for a new handshake (docs/protocol.md §11.2)
 */
export class SupporterDesk extends EventTarget {
  #hub;
  #deviceKey;
  #sessions = new Map(); // id -> { inbox, outbox, channel, established, resolveEstablished, hadChannel }

  /** @param {{privateKey: CryptoKey, publicKey: Uint8Array}} deviceKey the certified device key */
  constructor(deviceKey) {
    super();
    this.#deviceKey = deviceKey;
    this.#hub = new HubClient(Hubs.STAFF, {
      onConnected: () => this.#resume(),
      onStatus: (status) => this.#emit('connection', { status }),
    });
    this.#hub.on(Events.QUEUE_CHANGED, (snapshot) => this.#emit('queue', snapshot));
    this.#hub.on(Events.SESSION_OFFERED, (offer) => this.#emit('offered', offer));
    this.#hub.on(Events.OFFER_WITHDRAWN, (sessionId) => this.#emit('offer-withdrawn', { sessionId }));
    this.#hub.on(Events.CRISIS_ALERT, (alert) => this.#emit('crisis-alert', alert));
    this.#hub.on(Events.WELLBEING_NOTICE, (notice) => this.#emit('wellbeing', notice));
    this.#hub.on(Events.SESSION_CHANGED, (change) => this.#onSessionChanged(change));
    this.#hub.on(Events.MESSAGE_RECEIVED, (envelope) => this.#session(envelope.sessionId).inbox.accept(envelope));
    this.#hub.on(Events.MESSAGES_DELIVERED, (receipt) => this.#sessions.get(receipt.sessionId)?.outbox.deliveredUpTo(receipt.upToSeq));
  }

  start() {
    return this.#hub.start();
  }

  stop() {
    return this.#hub.stop();
  }

  startShift(capacity = null) {
    return this.#call('StartShift', capacity);
  }

  endShift() {
    return this.#call('EndShift');
  }

  async claimNext() {
    return this.#hold(await this.#call('ClaimNext'));
  }

  async claim(sessionId) {
    this.#session(sessionId); // its backlog arrives before the view
    try {
      return this.#hold(await this.#call('Claim', sessionId));
    } catch (error) {
      if (!this.#sessions.get(sessionId)?.known) this.#sessions.delete(sessionId);
      throw error;
    }
  }

  declineOffer(sessionId) {
    return this.#call('DeclineOffer', sessionId);
  }

  /** Sends one message (bytes from app/content.js) once the caller's handshake is done; returns a local id at once. */
  send(sessionId, content, { onSent = () => {} } = {}) {
    const session = this.#sessions.get(sessionId);
    const id = crypto.randomUUID();
    const messageId = newMessageId();
    session.established.then(async (channel) => {
      try {
        const seq = await session.outbox.send((s) => channel.seal(messageId, content, s));
        this.#emit('sent', { sessionId, id, seq });
        onSent();
      } catch (error) {
        this.#emit('failed', { sessionId, id, code: error.code ?? 'internal' });
      }
    });
    return id;
  }

  /** Sends a directory entry as a card, end to end; once it is stored, the server records its kind only. */
  shareResource(sessionId, entry) {
    return this.send(sessionId, resourceContent(entry), {
      onSent: () => this.#call('ShareResource', sessionId, entry.kind).catch(() => {}), // a lost count is not worth a retry loop
    });
  }

  async close(sessionId, disposition) {
    await this.#call('CloseSession', sessionId, disposition);
    this.#drop(sessionId, States.CLOSED, Reasons.CLOSED_BY_SUPPORTER);
  }

  /** As the session's supporter: asks the caller whether this lead (on shift) may join. */
  inviteLead(sessionId, login) {
    return this.#call('InviteLead', sessionId, login);
  }

  /** As a lead in the session: leaves it. */
  async leave(sessionId) {
    await this.#call('LeaveSession', sessionId);
    this.#drop(sessionId, States.ACTIVE, Reasons.LEAD_LEFT);
  }

  /** To a named supporter on shift, or back to the head of the queue (login null). */
  async transfer(sessionId, login) {
    await this.#call('Transfer', sessionId, login);
    this.#drop(sessionId, login === null ? States.WAITING : States.ACTIVE, Reasons.TRANSFERRED_AWAY);
  }

  async #call(method, ...args) {
    await this.#hub.whenConnected();
    try {
      return await this.#hub.invoke(method, ...args);
    } catch (error) {
      const code = errorCode(error);
      throw Object.assign(new Error(code), { code });
    }
  }

  /** After every (re)connection; `afterTransfer` when a transfer to this supporter triggered it. */
  async #resume({ afterTransfer = false } = {}) {
    const views = await this.#hub.invoke('Resume');
    const held = new Set(views.map((v) => v.sessionId));
    for (const id of [...this.#sessions.keys()]) {
      if (!held.has(id) && this.#sessions.get(id).known) this.#drop(id, null, null); // ended while we were away
    }
    for (const view of views) {
      const heldBeforeThisPage = !afterTransfer && !this.#sessions.get(view.sessionId)?.known;
      await this.#hold(view);
      // A reloaded console has no channel for the chats it holds: the caller must start a new handshake.
      const session = this.#sessions.get(view.sessionId);
      if (heldBeforeThisPage && session.channel === null) this.#requestRestart(view.sessionId, session);
    }
    this.#emit('queue', await this.#hub.invoke('GetQueue'));
  }

  async #hold(view) {
    const session = this.#session(view.sessionId);
    const isNew = !session.known;
    session.known = true;
    session.role = view.role ?? 'supporter';
    session.outbox.sync(view.lastSentSeq);
    if (isNew) this.#emit('session', { view });
    await session.inbox.sync(view.lastReceivedSeq);
    return view;
  }

  #onSessionChanged(change) {
    if (change.reason === Reasons.TRANSFERRED_TO_YOU) {
      this.#resume({ afterTransfer: true }).catch(() => {}); // a transfer brings neither the view nor the backlog (§4)
      return;
    }
    const mine = this.#sessions.get(change.sessionId);
    if (change.reason === Reasons.LEAD_JOINED || change.reason === Reasons.LEAD_DECLINED || change.reason === Reasons.LEAD_LEFT) {
      if (mine?.role === 'lead' && change.reason === Reasons.LEAD_LEFT) this.#drop(change.sessionId, change.state, change.reason);
      else if (mine === undefined && change.reason === Reasons.LEAD_JOINED) this.#resume({ afterTransfer: true }).catch(() => {}); // let in as the lead
      else if (mine) this.#emit('lead', { sessionId: change.sessionId, status: change.reason });
      return;
    }
    if (change.state !== States.ACTIVE || change.reason === Reasons.TRANSFERRED_AWAY) this.#drop(change.sessionId, change.state, change.reason);
  }

  #session(sessionId) {
    let session = this.#sessions.get(sessionId);
    if (session) return session;
    session = {
      known: false,
      channel: null,
      hadChannel: false,
      inbox: new Inbox((seq, bytes) => this.#onEnvelope(sessionId, seq, bytes), (upTo) => this.#hub.invoke('Acknowledge', sessionId, upTo)),
      outbox: new Outbox(this.#hub, sessionId, { onDelivered: (upToSeq) => this.#emit('delivered', { sessionId, upToSeq }) }),
    };
    this.#resetEstablished(session);
    this.#sessions.set(sessionId, session);
    return session;
  }

  #drop(sessionId, state, reason) {
    if (!this.#sessions.delete(sessionId)) return;
    this.#emit('ended', { sessionId, state, reason });
  }

  async #freshChannel(sessionId, session) {
    session.hadChannel ||= session.channel?.isEstablished ?? false;
    const party = session.role === 'lead' ? Party.LEAD : Party.SUPPORTER;
    session.channel = await SecureChannel.forSupporter({ sessionId, staticKey: this.#deviceKey, party });
    if (session.resolveEstablished === null) this.#resetEstablished(session);
    this.#emit('securing', { sessionId, restarted: session.hadChannel });
    return session.channel;
  }

  async #onEnvelope(sessionId, seq, bytes) {
    const session = this.#sessions.get(sessionId);
    if (!session) return;
    const isHandshake = unwrap(bytes)?.type === HANDSHAKE;
    if (!isHandshake && !session.channel?.isEstablished) {
      // Sealed for a channel this page does not have (it was reloaded; messages arrive in order, so a transport
      // message before an established channel is never ours). Ask the caller once for a new handshake.
      this.#emit('refused', { sessionId, code: 'rejected-message' });
      this.#requestRestart(sessionId, session);
      return;
    }
    if (isHandshake) session.restartRequested = false;
    let channel = session.channel;
    // The caller started over (a reload, a transfer back to us): answer on a fresh channel.
    if (channel === null || (isHandshake && channel.isEstablished)) channel = await this.#freshChannel(sessionId, session);

    let result = await channel.receive(bytes, seq);
    if (result.outcome === 'rejected' && isHandshake && !channel.isEstablished) {
      // A stale handshake message of an earlier channel must not spoil the caller's fresh one.
      channel = await this.#freshChannel(sessionId, session);
      result = await channel.receive(bytes, seq);
    }
    if (result.outcome === 'handshake') {
      if (result.reply) session.outbox.send(async () => result.reply).catch((error) => this.#emit('refused', { sessionId, code: error.code }));
      if (channel.isEstablished) {
        session.resolveEstablished(channel);
        session.resolveEstablished = null;
        this.#emit('secure', { sessionId, safetyCode: channel.safetyCode, episodeKey: toBase64(channel.remoteStaticKey) });
      }
    } else if (result.outcome === 'message') {
      this.#emit('message', { sessionId, seq, content: readContent(result.content) });
    } else {
      this.#emit('refused', { sessionId, code: 'rejected-message' });
    }
  }

  #requestRestart(sessionId, session) {
    if (session.restartRequested) return;
    session.restartRequested = true;
    session.outbox.send(async () => restartRequest()).catch((error) => this.#emit('refused', { sessionId, code: error.code }));
  }

  #resetEstablished(session) {
    session.established = new Promise((resolve) => { session.resolveEstablished = resolve; });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
