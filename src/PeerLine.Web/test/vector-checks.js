// The vector checks shared by `node --test` and the in-browser harness (test/browser/harness.js): each one
// throws with a description of the first difference, and returns normally when the bytes match.

import { fromHex, toHex, utf8 } from '../src/protocol/bytes.js';
import { SecureChannel } from '../src/protocol/channel.js';
import { HandshakeState, keyPairFromPrivate, parsePattern } from '../src/protocol/noise.js';
import { PROTOCOL_NAME, prologue } from '../src/protocol/envelope.js';

const SUITE = '_25519_AESGCM_SHA256';
const text = (bytes) => new TextDecoder().decode(bytes);

function same(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`);
}

/** HandshakeState options for one side of a cacophony vector ('init' or 'resp'). */
export async function options(v, side, initiator) {
  const key = async (name) => (v[name] ? keyPairFromPrivate(fromHex(v[name])) : null);
  return {
    initiator,
    prologue: fromHex(v[`${side}_prologue`]),
    s: await key(`${side}_static`),
    e: await key(`${side}_ephemeral`),
    rs: v[`${side}_remote_static`] ? fromHex(v[`${side}_remote_static`]) : null,
    psks: (v[`${side}_psks`] ?? []).map(fromHex),
  };
}

/** One cacophony vector: both sides produce and accept every message, and agree on the handshake hash. */
export async function checkCacophonyVector(v) {
  const name = v.protocol_name;
  const initiator = await HandshakeState.create(name, await options(v, 'init', true));
  const responder = await HandshakeState.create(name, await options(v, 'resp', false));
  const oneWay = parsePattern(name.slice('Noise_'.length, -SUITE.length)).oneWay;
  let initiatorTransport = null;
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

    const [send, receive] = initiatorSends
      ? [initiatorTransport.send, responderTransport.receive]
      : [responderTransport.send, initiatorTransport.receive];
    same(toHex(await send.encryptWithAd(new Uint8Array(0), payload)), m.ciphertext, `${name} transport message ${i}`);
    const opened = await receive.decryptWithAd(new Uint8Array(0), fromHex(m.ciphertext));
    same(opened === null ? null : toHex(opened), m.payload, `${name} transport message ${i} read`);
  }
  if (initiatorTransport === null) throw new Error(`${name}: the handshake did not complete`);
}

/** The four fixed key pairs of the envelope vector file. */
export async function vectorKeys(vector) {
  const [callerStatic, callerEphemeral, supporterStatic, supporterEphemeral] = await Promise.all(
    ['caller_static', 'caller_ephemeral', 'supporter_static', 'supporter_ephemeral'].map((k) => keyPairFromPrivate(fromHex(vector[k]))),
  );
  return { callerStatic, callerEphemeral, supporterStatic, supporterEphemeral };
}

/** Both channels of the envelope vector file, before the handshake. */
export async function vectorChannels(vector) {
  const keys = await vectorKeys(vector);
  const { callerStatic, callerEphemeral, supporterStatic, supporterEphemeral } = keys;
  const caller = await SecureChannel.forCaller({
    sessionId: vector.session_id, supporterStaticKey: fromHex(vector.supporter_static_public), episodeKey: callerStatic, fixedEphemeral: callerEphemeral,
  });
  const supporter = await SecureChannel.forSupporter({ sessionId: vector.session_id, staticKey: supporterStatic, fixedEphemeral: supporterEphemeral });
  return { caller, supporter, keys };
}

/** tests/vectors/peerline-envelope-v1.json: the transcript from the fixed keys, byte for byte. */
export async function checkEnvelopeTranscript(vector) {
  const { caller, supporter, keys } = await vectorChannels(vector);
  same(toHex(keys.supporterStatic.publicKey), vector.supporter_static_public, 'supporter static public key');
  same(toHex(prologue(vector.session_id)), vector.prologue, 'prologue');
  same(vector.protocol_name, PROTOCOL_NAME, 'protocol name');

  const produced = [];
  const m1 = await caller.start();
  produced.push(m1);
  const m2 = (await supporter.receive(m1, 1)).reply;
  produced.push(m2);
  const r3 = await caller.receive(m2, 1);
  produced.push(r3.reply);
  same((await supporter.receive(r3.reply, 2)).outcome, 'handshake', 'handshake message 3 read');
  for (const m of vector.messages.filter((x) => x.type === 'transport')) {
    const sender = m.direction === 'caller-to-supporter' ? caller : supporter;
    produced.push(await sender.seal(utf8(m.content_utf8), m.seq));
  }
  vector.messages.forEach((m, i) => same(toHex(produced[i]), m.envelope, `envelope ${i + 1}`));
  same(caller.safetyCode, vector.safety_code, 'caller safety code');
  same(supporter.safetyCode, vector.safety_code, 'supporter safety code');
  same(toHex(supporter.remoteStaticKey), toHex(keys.callerStatic.publicKey), 'episode key learnt by the supporter');
  return produced;
}

/** Every envelope of the file is accepted on its receiving side, with the file's content. */
export async function checkEnvelopeAcceptance(vector) {
  const { caller, supporter } = await vectorChannels(vector);
  await caller.start();
  for (const [i, m] of vector.messages.entries()) {
    const receiver = m.direction === 'caller-to-supporter' ? supporter : caller;
    const result = await receiver.receive(fromHex(m.envelope), m.seq);
    same(result.outcome, m.type === 'handshake' ? 'handshake' : 'message', `envelope ${i + 1} outcome`);
    if (m.type === 'transport') same(text(result.content), m.content_utf8, `envelope ${i + 1} content`);
  }
  same(supporter.safetyCode, vector.safety_code, 'supporter safety code');
  same(caller.safetyCode, vector.safety_code, 'caller safety code');
}
