// The supporter console: sign in, set up the device key, shift, queue, several chats side by side.

import '../styles/base.css';
import './staff.css';
import { $, clock, duration, h, showConnection, showOnly } from '../app/dom.js';
import { resourceList } from '../app/resources.js';
import { textContent } from '../app/content.js';
import { keepDirectoryFresh, onDirectory, ordered } from '../app/directory.js';
import { Priorities, Topics } from '../app/wire.js';
import { handleSignInForm, myWellbeing, signOut, whoAmI } from './account.js';
import { ChatPane } from './chat-pane.js';
import { SupporterDesk } from './desk.js';
import { deviceKeyFor, enroll, recallEpisode, rememberEpisode, replaceDeviceKey } from './device-key.js';
import { toHex } from '../protocol/bytes.js';

const views = '#main > .view';
const SHIFT_KEY = 'peerline.shiftStartedAt';
const ENROL_POLL_MS = 15_000;
let me = null;
let desk = null;
let onShift = false;
let chatNumber = 0;
const panes = new Map(); // session id -> ChatPane
let enrolTimer = null;

// ---- Resources (for sharing with a caller by reading them out or pasting)

keepDirectoryFresh();
onDirectory((directory) => $('#resources').replaceChildren(resourceList(ordered(directory))));
$('#resources-button').addEventListener('click', () => $('#resources-dialog').showModal());
$('#close-resources').addEventListener('click', () => $('#resources-dialog').close());

// ---- Sign-in

handleSignInForm(enter);

$('#sign-out').addEventListener('click', async () => {
  await desk?.stop().catch(() => {});
  await signOut();
  sessionStorage.removeItem(SHIFT_KEY);
  location.reload();
});

async function enter() {
  me = await whoAmI();
  if (me === null) {
    showOnly(views, $('#sign-in'));
    $('#login').focus();
    return;
  }
  $('#who').textContent = me.login;
  $('#sign-out').hidden = false;
  if (!me.roles.some((r) => r === 'supporter' || r === 'lead')) {
    showOnly(views, $('#not-staff'));
    return;
  }
  await checkDevice();
}

// ---- Device key and enrolment

async function checkDevice(key = null) {
  clearTimeout(enrolTimer);
  const deviceKey = key ?? await deviceKeyFor(me.login);
  let answer;
  try {
    answer = await enroll(deviceKey.publicKey);
  } catch (error) {
    if (error.code === 'signed-out') return enter();
    showEnrolment({ status: 'unavailable', keyId: null }, deviceKey);
    return;
  }
  if (answer.status === 'certified') return openDesk(deviceKey);
  showEnrolment(answer, deviceKey);
}

function showEnrolment(answer, deviceKey) {
  showOnly(views, $('#enrol'));
  const keyId = answer.keyId ?? '';
  $('#key-id').textContent = keyId.match(/.{1,4}/g)?.join(' ') ?? '';
  $('#certify-command').textContent = `staff certify --login ${me.login}`;
  const revoked = answer.status === 'revoked';
  $('#enrol-revoked').hidden = !revoked;
  $('#new-key').hidden = !revoked;
  $('#enrol-status').textContent = revoked ? 'Revoked.'
    : answer.status === 'unavailable' ? 'PeerLine cannot be reached right now; trying again.'
      : 'Your device key awaits certification.';
  document.body.dataset.enrolment = answer.status;
  $('#check-again').onclick = () => checkDevice(deviceKey);
  $('#new-key').onclick = async () => checkDevice(await replaceDeviceKey(me.login));
  if (!revoked) enrolTimer = setTimeout(() => checkDevice(deviceKey), ENROL_POLL_MS);
}

// ---- The desk

async function openDesk(deviceKey) {
  showOnly(views, $('#desk'));
  document.body.dataset.enrolment = 'certified';
  $('#desk').dataset.keyId = toHex(deviceKey.publicKey).slice(0, 8);
  $('#shift').hidden = false;
  $('#resources-button').hidden = false;
  desk = new SupporterDesk(deviceKey, me.login);
  const on = (type, handler) => desk.addEventListener(type, (e) => handler(e.detail));
  on('connection', ({ status }) => showConnection(status));
  on('queue', showQueue);
  on('session', addPane);
  on('presence', ({ sessionId, present }) => panes.get(sessionId)?.presence(present));
  on('ended', ({ sessionId, reason }) => removePane(sessionId, reason));
  on('securing', ({ sessionId, restarted }) => panes.get(sessionId)?.securing(restarted));
  on('secure', ({ sessionId, safetyCode, episodeKey }) => {
    panes.get(sessionId)?.secure(safetyCode);
    recognise(sessionId, episodeKey);
  });
  on('message', ({ sessionId, messageId, content }) => {
    if (content.type === 'return') rememberReturn(sessionId, content.episodeKey);
    else panes.get(sessionId)?.received(messageId, content);
  });
  on('crisis-alert', showCrisisAlert);
  on('lead', ({ sessionId, status }) => panes.get(sessionId)?.note({
    'lead-joined': 'A lead joined, with the caller’s consent. They have their own secure connection with the caller and see what the caller writes from now on.',
    'lead-declined': 'The caller said no to a lead joining. Nothing else changes.',
    'lead-left': 'The lead left the chat.',
  }[status] ?? ''));
  on('wellbeing', showWellbeingNotice);
  on('status', ({ sessionId, messageId, status }) => panes.get(sessionId)?.messages.status(messageId, status));
  on('refused', ({ sessionId, code }) => panes.get(sessionId)?.note(`A message could not be opened (${code}). It may have been written for an earlier secure connection.`));
  on('offered', showOffer);
  on('offer-withdrawn', ({ sessionId }) => hideOffer(sessionId));
  if (sessionStorage.getItem(SHIFT_KEY)) setShift(true); // a reload during a shift: the server kept it
  await desk.start();
  refreshWellbeing();
  setInterval(refreshWellbeing, 60_000);
}

function showQueue(snapshot) {
  const waiting = new Set(snapshot.head.map((e) => e.sessionId));
  for (const alert of document.querySelectorAll('.crisis-alert')) if (!waiting.has(alert.dataset.session)) alert.remove();
  document.body.dataset.waiting = String(snapshot.waiting);
  $('#queue-counts').textContent = `${snapshot.waiting} waiting (crisis ${snapshot.crisis}, soon ${snapshot.soon}, routine ${snapshot.routine}) · ${snapshot.onShift} on shift`;
  $('#queue').replaceChildren(...snapshot.head.map((entry) => h('li', { class: `queue-entry ${entry.priority}`, dataset: { session: entry.sessionId } },
    h('span', { class: `priority ${entry.priority}` }, Priorities[entry.priority] ?? entry.priority),
    h('span', { class: 'topic' }, Topics[entry.topic] ?? entry.topic),
    h('span', { class: 'wait' }, `waiting ${duration(entry.waitingSeconds)}`),
    entry.offered ? h('span', { class: 'offered' }, 'offered') : null,
    h('button', { type: 'button', class: 'secondary', disabled: !onShift, onclick: () => claim(() => desk.claim(entry.sessionId)) }, 'Take'))));
}

async function claim(action) {
  deskMessage('');
  try {
    await action();
  } catch (error) {
    const text = { 'queue-empty': 'Nobody is waiting.', 'no-capacity': 'You are at your limit of chats. Close one first.',
      'not-on-shift': 'Start your shift first.', 'already-claimed': 'A colleague took that chat.' }[error.code];
    deskMessage(text ?? `That did not work (${error.code}).`);
  }
}

// ---- Push mode: the server reserves a chat for this supporter for a while

let offered = null;

function showOffer(offer) {
  offered = offer.sessionId;
  $('#offer-text').textContent = offer.returning
    ? `A caller you talked with before is coming back (${Topics[offer.topic] ?? offer.topic}). You are asked first; after ${offer.expiresInSeconds} s anyone may take it.`
    : `A ${Priorities[offer.priority] ?? offer.priority} chat (${Topics[offer.topic] ?? offer.topic}) is offered to you. `
      + `It waited ${duration(offer.waitingSeconds)}; the offer lapses after ${offer.expiresInSeconds} s.`;
  $('#offer').hidden = false;
  $('#offer-accept').focus();
}

function hideOffer(sessionId) {
  if (sessionId !== offered) return;
  offered = null;
  $('#offer').hidden = true;
}

$('#offer-accept').addEventListener('click', () => {
  const sessionId = offered;
  hideOffer(sessionId);
  claim(() => desk.claim(sessionId));
});

$('#offer-decline').addEventListener('click', () => {
  const sessionId = offered;
  hideOffer(sessionId);
  desk.declineOffer(sessionId).catch(() => {}); // a lapsed offer is already gone
});

// ---- Well-being: own hours, and notices (about oneself, or for leads about colleagues)

const hours = (minutes) => (minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`);

async function refreshWellbeing() {
  const asked = performance.now();
  const status = await myWellbeing();
  if (!status) return;
  $('#week-hours').textContent = `This week ${hours(status.weekMinutes)} of ${hours(status.weeklyCapMinutes)}`;
  $('#week-hours').hidden = false;
  // Ended by the server, unless this answer was asked for before the supporter's own latest start.
  if (!status.onShift && onShift && asked > shiftChangedAt) setShift(false);
}

function noticeText({ kind, login, shiftMinutes }, mine) {
  const texts = mine ? {
    'shift-long': `You have been on shift ${hours(shiftMinutes)}. Your shift ends soon: start wrapping up. Chats you hold stay with you.`,
    'shift-ended': 'Your shift reached its maximum length and has ended. Chats you hold stay with you until you close them.',
    'weekly-cap': 'You reached this week’s hours cap, so your shift has ended. Chats you hold stay with you.',
    'debrief-suggested': 'That was a crisis conversation. Take a few minutes for yourself, and consider a debrief with your lead.',
  } : {
    'shift-long': `${login} has been on shift ${hours(shiftMinutes)}.`,
    'shift-ended': `${login}’s shift reached its maximum length and ended.`,
    'weekly-cap': `${login} reached the weekly hours cap.`,
    'debrief-suggested': `${login} just finished a crisis conversation: offer a debrief.`,
  };
  return texts[kind] ?? null;
}

function showWellbeingNotice(notice) {
  const mine = notice.login === me.login;
  const text = noticeText(notice, mine);
  if (text === null) return;
  if (mine && (notice.kind === 'shift-ended' || notice.kind === 'weekly-cap')) setShift(false);
  const box = h('div', { class: 'wellbeing-notice', role: 'status', dataset: { kind: notice.kind } },
    h('p', {}, text),
    h('button', { type: 'button', class: 'secondary', onclick: () => box.remove() }, 'Dismiss'));
  $('#wellbeing-notices').append(box);
  refreshWellbeing();
}

// ---- Continuity: a caller who took a return code is recognised on this device when they come back

async function rememberReturn(sessionId, episodeKey) {
  const pane = panes.get(sessionId);
  await rememberEpisode(me.login, episodeKey, pane?.topic ?? 'other').catch(() => {});
  pane?.note('The caller took a return code. If they come back while you are on shift, you are asked first, and this console will recognise them.');
}

async function recognise(sessionId, episodeKey) {
  const earlier = await recallEpisode(me.login, episodeKey).catch(() => undefined);
  const pane = panes.get(sessionId);
  if (!earlier || !pane) return;
  pane.note(`Returning caller: you first talked on ${earlier.firstMet} (${Topics[earlier.topic] ?? earlier.topic}).`);
  pane.element.dataset.returning = 'true';
}

// ---- Leads: a crisis request has arrived

function showCrisisAlert({ sessionId, topic }) {
  const alert = h('div', { class: 'crisis-alert', role: 'alert', dataset: { session: sessionId } },
    h('p', {}, h('strong', {}, 'Crisis request waiting'), ` · ${Topics[topic] ?? topic}. The caller has been shown the crisis lines.`),
    h('button', { type: 'button', class: 'danger', onclick: () => { alert.remove(); claim(() => desk.claim(sessionId)); } }, 'Take it'),
    h('button', { type: 'button', class: 'secondary', onclick: () => alert.remove() }, 'Dismiss'));
  $('#crisis-alerts').append(alert);
}

function deskMessage(text) {
  const box = $('#desk-error');
  box.textContent = text;
  box.hidden = !text;
}

function addPane({ view, entries = [], safetyCode = null }) {
  if (panes.has(view.sessionId)) return;
  const pane = new ChatPane(view, ++chatNumber, {
    send: (text) => desk.send(view.sessionId, textContent(text)),
    share: (entry) => desk.shareResource(view.sessionId, entry),
    inviteLead: (login) => desk.inviteLead(view.sessionId, login),
    leave: () => desk.leave(view.sessionId),
    transfer: (login) => desk.transfer(view.sessionId, login),
    close: async (disposition) => {
      await desk.close(view.sessionId, disposition);
      removePane(view.sessionId, 'closed-by-supporter');
    },
  });
  panes.set(view.sessionId, pane);
  pane.messages.restore(entries); // kept on this device: a reload shows the chat again
  if (safetyCode !== null) pane.secure(safetyCode);
  $('#chats').append(pane.element);
  $('#no-chats').hidden = true;
  pane.focus();
}

function removePane(sessionId, reason) {
  const pane = panes.get(sessionId);
  if (!pane) return;
  if (!pane.asLead && (reason === 'closed-by-caller' || reason === null)) {
    // Ended from the other side: the pane stays until the supporter records an outcome.
    pane.ended(reason === null ? 'This chat ended while you were disconnected.' : 'The caller ended the chat.');
    return;
  }
  panes.delete(sessionId);
  pane.element.remove();
  $('#no-chats').hidden = panes.size > 0;
}

// ---- Shift

let shiftChangedAt = 0;

function setShift(value) {
  onShift = value;
  shiftChangedAt = performance.now();
  $('#shift').textContent = value ? 'End shift' : 'Start shift';
  $('#shift').className = value ? 'secondary' : 'primary';
  $('#claim-next').disabled = !value;
  $('#shift-hint').hidden = value;
  $('#shift-timer').hidden = !value;
  document.body.dataset.shift = value ? 'on' : 'off';
  for (const button of document.querySelectorAll('#queue button')) button.disabled = !value;
  if (value && !sessionStorage.getItem(SHIFT_KEY)) sessionStorage.setItem(SHIFT_KEY, String(Date.now()));
  if (!value) sessionStorage.removeItem(SHIFT_KEY);
  tick();
}

function tick() {
  const started = Number(sessionStorage.getItem(SHIFT_KEY));
  if (started) $('#shift-timer').textContent = `On shift ${clock((Date.now() - started) / 1000)}`;
}
setInterval(tick, 1000);

$('#shift').addEventListener('click', async () => {
  try {
    if (onShift) await desk.endShift(); else await desk.startShift(null);
    setShift(!onShift);
    refreshWellbeing();
  } catch (error) {
    deskMessage(error.code === 'weekly-cap-reached'
      ? 'You have reached this week’s hours cap. Rest: you can start again once older shifts fall out of the last seven days.'
      : `The shift could not be changed (${error.code}).`);
  }
});

$('#claim-next').addEventListener('click', () => claim(() => desk.claimNext()));

// ---- Keyboard

document.addEventListener('keydown', (event) => {
  if (!event.altKey || $('#desk').hidden) return;
  if (event.key === 'n' || event.key === 'N') {
    event.preventDefault();
    if (onShift) claim(() => desk.claimNext());
  } else if (/^[1-6]$/.test(event.key)) {
    event.preventDefault();
    [...panes.values()][Number(event.key) - 1]?.focus();
  }
});

enter();
