// The vector checks shared by `node --test` and the in-browser harness (test/browser/harness.js): each one
// throws with a description of the first difference, and returns normally when the bytes match.

import { fromHex, toHex, utf8 } from '../src/protocol/bytes.js';
import { SecureChannel } from '../src/protocol/channel.js';
import { HandshakeState, keyPairFromPrivate, parsePattern } from '../src/protocol/noise.js';
import { PROTOCOL_NAME, VERSION, associatedData, prologue, unwrap } from '../src/protocol/envelope.js';

/** @import { Bytes } from '../src/protocol/bytes.js' */
/** @import { ReceiveOutcome } from '../src/protocol/channel.js' */
/** @import { CipherState } from '../src/protocol/noise.js' */
/**
 * A cacophony vector (tests/vectors/noise-25519-aesgcm-sha256.json): hex strings, `${side}_…` keys per side.
 * @typedef {{ protocol_name: string, handshake_hash: string, messages: { payload: string, ciphertext: string }[] }
 *   & Record<string, any>} CacophonyVector
 */
/**
 * One message of an envelope vector channel.
 * @typedef {{ type: 'handshake' | 'transport', direction: string, seq: number, envelope: string, message_id: string,
 *   content_utf8: string, associated_data: string }} EnvelopeMessage
 */
/**
 * @typedef {{ name: string, party: string, caller_ephemeral: string, staff_static: string, staff_static_public: string,
 *   staff_ephemeral: string, prologue: string, handshake_hash: string, safety_code: string, messages: EnvelopeMessage[],
 *   caller_send_key: string, caller_receive_key: string }} EnvelopeChannel
 */
/**
 * tests/vectors/peerline-envelope-v2.json.
 * @typedef {{ protocol_name: string, session_id: string, caller_static: string, caller_static_public: string,
 *   channels: EnvelopeChannel[] }} EnvelopeVector
 */
/**
 * tests/vectors/peerline-envelope-v1.json (the old format).
 * @typedef {{ session_id: string, caller_static: string, caller_ephemeral: string, supporter_static: string,
 *   supporter_ephemeral: string, supporter_static_public: string, messages: EnvelopeMessage[] } & Record<string, any>} OldEnvelopeVector
 */

const SUITE = '_25519_AESGCM_SHA256';
/** @param {Uint8Array} bytes */
const text = (bytes) => new TextDecoder().decode(bytes);

/** @param {unknown} actual @param {unknown} expected @param {string} what */
function same(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

/**
 * HandshakeState options for one side of a cacophony vector ('init' or 'resp').
 * @param {CacophonyVector} v
 * @param {'init' | 'resp'} side
 * @param {boolean} initiator
 */
export async function options(v, side, initiator) {
  const key = async (/** @type {string} */ name) => (v[name] ? keyPairFromPrivate(fromHex(v[name])) : null);
  return {
    initiator,
    prologue: fromHex(v[`${side}_prologue`]),
    s: await key(`${side}_static`),
    e: await key(`${side}_ephemeral`),
    rs: v[`${side}_remote_static`] ? fromHex(v[`${side}_remote_static`]) : null,
    psks: (v[`${side}_psks`] ?? []).map(fromHex),
  };
}

/**
 * One cacophony vector: both sides produce and accept every message, and agree on the handshake hash.
 * @param {CacophonyVector} v
 */
export async function checkCacophonyVector(v) {
  const name = v.protocol_name;
  const initiator = await HandshakeState.create(name, await options(v, 'init', true));
  const responder = await HandshakeState.create(name, await options(v, 'resp', false));
  const oneWay = parsePattern(name.slice('Noise_'.length, -SUITE.length)).oneWay;
  /** @type {{ send: CipherState, receive: CipherState } | null} */
  let initiatorTransport = null;
  /** @type {{ send: CipherState, receive: CipherState } | null} */
  let responderTransport = null;

  for (const [i, m] of v.messages.entries()) {
    const payload = fromHex(m.payload);
    const initiatorSends = oneWay || i % 2 === 0;

    if (!initiator.isComplete || !responder.isComplete) {
      const [writer, reader] = initiatorSends ? [initiator, responder] : [responder, initiator];
      same(toHex(await writer.writeMessage(payload)), m.ciphertext, `${name} handshake message ${i}`);
      const read = await reader.readMessage(fromHex(m.ciphertext));
      same(read === null ? null : toHex(read), m.payload, `${name} handshake message ${i} read`);
      if (initiator.isComplete && responder.isComplete) {
        same(toHex(initiator.handshakeHash), v.handshake_hash, `${name} initiator handshake hash`);
        same(toHex(responder.handshakeHash), v.handshake_hash, `${name} responder handshake hash`);
        initiatorTransport = await initiator.split();
        responderTransport = await responder.split();
      }
      continue;
    }

    const [initiatorSide, responderSide] = /** @type {[NonNullable<typeof initiatorTransport>, NonNullable<typeof responderTransport>]} */ (
      [initiatorTransport, responderTransport]);
    const [send, receive] = initiatorSends
      ? [initiatorSide.send, responderSide.receive]
      : [responderSide.send, initiatorSide.receive];
    same(toHex(await send.encryptWithAd(new Uint8Array(0), payload)), m.ciphertext, `${name} transport message ${i}`);
    const opened = await receive.decryptWithAd(new Uint8Array(0), fromHex(m.ciphertext));
    same(opened === null ? null : toHex(opened), m.payload, `${name} transport message ${i} read`);
  }
  if (initiatorTransport === null) throw new Error(`${name}: the handshake did not complete`);
}

/**
 * One channel of the envelope vector file: 'supporter' (party 00) or 'lead' (party 01).
 * @param {EnvelopeVector} vector
 */
export function vectorChannel(vector, name = 'supporter') {
  const channel = vector.channels.find((c) => c.name === name);
  if (channel === undefined) throw new Error(`no channel '${name}' in the vector file`);
  return channel;
}

/**
 * The fixed key pairs of one channel of the envelope vector file (the caller's episode key is the same in both).
 * @param {EnvelopeVector} vector
 */
export async function vectorKeys(vector, name = 'supporter') {
  const c = vectorChannel(vector, name);
  const [callerStatic, callerEphemeral, staffStatic, staffEphemeral] = await Promise.all(
    [vector.caller_static, c.caller_ephemeral, c.staff_static, c.staff_ephemeral].map((hex) => keyPairFromPrivate(fromHex(hex))),
  );
  return { callerStatic, callerEphemeral, staffStatic, staffEphemeral, supporterStatic: staffStatic, supporterEphemeral: staffEphemeral };
}

/**
 * Both sides of one channel of the envelope vector file, before the handshake (`supporter` is the staff side, lead or not).
 * @param {EnvelopeVector} vector
 */
export async function vectorChannels(vector, name = 'supporter') {
  const c = vectorChannel(vector, name);
  const party = parseInt(c.party, 16);
  const keys = await vectorKeys(vector, name);
  const caller = await SecureChannel.forCaller({
    sessionId: vector.session_id, supporterStaticKey: fromHex(c.staff_static_public), episodeKey: keys.callerStatic, fixedEphemeral: keys.callerEphemeral, party,
  });
  const staff = await SecureChannel.forSupporter({ sessionId: vector.session_id, staticKey: keys.staffStatic, fixedEphemeral: keys.staffEphemeral, party });
  return { caller, supporter: staff, staff, keys, channel: c };
}

/** @type {Record<string, number>} */
const DIRECTIONS = { 'caller-to-supporter': 0x01, 'supporter-to-caller': 0x02, 'caller-to-lead': 0x03, 'lead-to-caller': 0x04 };
/** @param {EnvelopeMessage} m */
const fromCaller = (m) => m.direction.startsWith('caller-to-');

/**
 * tests/vectors/peerline-envelope-v2.json: every channel's transcript from the fixed keys and message ids, byte for
 * byte. Returns the envelopes produced, by channel name.
 * @param {EnvelopeVector} vector
 */
export async function checkEnvelopeTranscript(vector) {
  same(vector.protocol_name, PROTOCOL_NAME, 'protocol name');
  /** @type {Record<string, Bytes[]>} */
  const producedBy = {};
  for (const c of vector.channels) {
    const { caller, staff, keys } = await vectorChannels(vector, c.name);
    const party = parseInt(c.party, 16);
    same(toHex(keys.callerStatic.publicKey), vector.caller_static_public, `${c.name}: episode public key`);
    same(toHex(keys.staffStatic.publicKey), c.staff_static_public, `${c.name}: staff static public key`);
    same(toHex(prologue(vector.session_id, party)), c.prologue, `${c.name}: prologue`);

    /** @type {Bytes[]} */
    const produced = [];
    const m1 = await caller.start();
    produced.push(m1);
    const m2 = replyOf(await staff.receive(m1, 1));
    produced.push(m2);
    const m3 = replyOf(await caller.receive(m2, 1));
    produced.push(m3);
    same((await staff.receive(m3, 2)).outcome, 'handshake', `${c.name}: handshake message 3 read`);
    for (const m of c.messages.filter((x) => x.type === 'transport')) {
      same(toHex(associatedData(vector.session_id, DIRECTIONS[m.direction], m.seq)), m.associated_data, `${c.name}: associated data at seq ${m.seq}`);
      produced.push(await (fromCaller(m) ? caller : staff).seal(fromHex(m.message_id), utf8(m.content_utf8), m.seq));
    }
    same(produced.length, c.messages.length, `${c.name}: number of envelopes`);
    c.messages.forEach((m, i) => same(toHex(produced[i]), m.envelope, `${c.name}: envelope ${i + 1}`));
    same(toHex(/** @type {Bytes} */ (caller.handshakeHash)), c.handshake_hash, `${c.name}: caller handshake hash`);
    same(toHex(/** @type {Bytes} */ (staff.handshakeHash)), c.handshake_hash, `${c.name}: staff handshake hash`);
    same(caller.safetyCode, c.safety_code, `${c.name}: caller safety code`);
    same(staff.safetyCode, c.safety_code, `${c.name}: staff safety code`);
    same(toHex(/** @type {Bytes} */ (staff.remoteStaticKey)), vector.caller_static_public, `${c.name}: episode key learnt by the staff side`);
    producedBy[c.name] = produced;
  }
  return producedBy;
}

/**
 * The reply a handshake message gave (the bytes of the next handshake message; undefined when there was none).
 * @param {ReceiveOutcome} result
 */
function replyOf(result) {
  return /** @type {Bytes} */ (result.outcome === 'handshake' ? result.reply : undefined);
}

/**
 * Every envelope of every channel of the file is accepted on its receiving side, with the file's message id and content.
 * @param {EnvelopeVector} vector
 */
export async function checkEnvelopeAcceptance(vector) {
  for (const c of vector.channels) {
    const { caller, staff } = await vectorChannels(vector, c.name);
    await caller.start();
    for (const [i, m] of c.messages.entries()) {
      const result = await (fromCaller(m) ? staff : caller).receive(fromHex(m.envelope), m.seq);
      same(result.outcome, m.type === 'handshake' ? 'handshake' : 'message', `${c.name}: envelope ${i + 1} outcome`);
      if (m.type !== 'transport' || result.outcome !== 'message') continue;
      same(toHex(result.messageId), m.message_id, `${c.name}: envelope ${i + 1} message id`);
      same(text(result.content), m.content_utf8, `${c.name}: envelope ${i + 1} content`);
    }
    same(staff.safetyCode, c.safety_code, `${c.name}: staff safety code`);
    same(caller.safetyCode, c.safety_code, `${c.name}: caller safety code`);
  }
}

/**
 * tests/vectors/peerline-envelope-v1.json, the old format: v2 code rejects every envelope (version byte 01), and even
 * with the version byte rewritten the first handshake message fails (the v2 label is in the prologue).
 * @param {OldEnvelopeVector} v1
 */
export async function checkOldFormatRejected(v1) {
  const key = (/** @type {string} */ name) => keyPairFromPrivate(fromHex(v1[name]));
  const [callerStatic, callerEphemeral, supporterStatic, supporterEphemeral] = await Promise.all(
    ['caller_static', 'caller_ephemeral', 'supporter_static', 'supporter_ephemeral'].map(key),
  );
  const caller = await SecureChannel.forCaller({
    sessionId: v1.session_id, supporterStaticKey: fromHex(v1.supporter_static_public), episodeKey: callerStatic, fixedEphemeral: callerEphemeral,
  });
  const supporter = await SecureChannel.forSupporter({ sessionId: v1.session_id, staticKey: supporterStatic, fixedEphemeral: supporterEphemeral });
  await caller.start();
  same(v1.messages.length, 6, 'v1 envelopes');
  for (const [i, m] of v1.messages.entries()) {
    const envelope = fromHex(m.envelope);
    same(envelope[0], 0x01, `v1 envelope ${i + 1} version byte`);
    same(unwrap(envelope), null, `v1 envelope ${i + 1} unwrapped`);
    same((await (m.direction === 'caller-to-supporter' ? supporter : caller).receive(envelope, m.seq)).outcome, 'rejected', `v1 envelope ${i + 1}`);
  }
  const fresh = await SecureChannel.forSupporter({ sessionId: v1.session_id, staticKey: supporterStatic });
  const first = fromHex(v1.messages[0].envelope);
  first[0] = VERSION;
  same((await fresh.receive(first, 1)).outcome, 'rejected', 'v1 handshake message 1 with the version byte rewritten');
}
