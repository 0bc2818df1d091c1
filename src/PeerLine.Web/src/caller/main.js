// The caller page: welcome, self-screen, queue, encrypted chat, end. See pages/caller.html.

import '../styles/base.css';
import './caller.css';
import { $, duration, h, showConnection, showOnly } from '../app/dom.js';
import { MessageList } from '../app/message-list.js';
import { resourceList } from '../app/resources.js';
import { textContent } from '../app/content.js';
import { currentDirectory, entriesFor, keepDirectoryFresh, onDirectory, ordered } from '../app/directory.js';
import { ChangeReasons, ErrorCodes, Priorities, ResourceReasons, ReturnRoutes, SessionRoles, SessionStates, TopicLabels } from '../app/wire.js';
import { CallerConversation, storedSession } from './conversation.js';
import { evaluateScreen } from './screen.js';
import { FeedbackForm } from './feedback.js';
import { normalizeReturnCode } from '../app/return-code.js';

/** @import { QueueStatus } from '../app/types.js' */

const steps = '#main > .step';
/** @type {CallerConversation | null} */
let conversation = null;
/** @type {string | null} why resources are shown while waiting (a ResourceReasons code), or null */
let shownReason = null;
/** @type {string | null} typed on the welcome step, kept in memory only until the request is made */
let returnCode = null;
const messages = new MessageList({ label: 'Messages', me: 'You', them: 'Supporter' });
const feedback = new FeedbackForm($('#feedback'), $('#feedback-thanks'), (answers) => /** @type {CallerConversation} */ (conversation).giveFeedback(answers));
$('#messages').replaceWith(messages.element);
messages.element.id = 'messages';

// ---- Help now: one tap from every step

const dialog = /** @type {HTMLDialogElement} */ ($('#resources-dialog'));
keepDirectoryFresh();
onDirectory((directory) => {
  $('#resources').replaceChildren(resourceList(ordered(directory)));
  if (shownReason) showResources(shownReason);
});
$('#help-now').addEventListener('click', () => dialog.showModal());
$('#close-resources').addEventListener('click', () => dialog.close());

// ---- Welcome and self-screen

$('#topics').append(...Object.entries(TopicLabels).map(([code, label]) =>
  h('label', {}, h('input', { type: 'radio', name: 'topic', value: code, required: true }), ` ${label}`)));

$('#have-code').addEventListener('click', () => {
  const form = $('#return-form');
  form.hidden = !form.hidden;
  $('#have-code').setAttribute('aria-expanded', String(!form.hidden));
  if (!form.hidden) $('#return-code-input').focus();
});

$('#return-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('#return-code-input'));
  returnCode = normalizeReturnCode(input.value);
  $('#return-code-error').hidden = returnCode !== null;
  if (returnCode === null) return;
  input.value = '';
  showOnly(steps, $('#screen'));
});

$('#start').addEventListener('click', () => {
  showOnly(steps, $('#screen'));
  $('#screen-title').focus?.();
});

$('#screen-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(/** @type {HTMLFormElement} */ (event.target));
  const coded = evaluateScreen({ topic: form.get('topic'), soon: form.get('soon'), safety: form.get('safety') });
  $('#screen-error').hidden = coded !== null;
  if (coded === null) return;
  if (coded.priority === Priorities.Crisis) showResources(ResourceReasons.Crisis); // at once, before the server has answered
  const code = returnCode;
  returnCode = null;
  begin((/** @type {CallerConversation} */ c) => c.request(coded.topic, coded.priority), { returnCode: code });
});

// ---- Resources shown while waiting (QueueStatus.resources, docs/protocol.md §8)

/** @type {Record<string, [string, string]>} a ResourceReasons code -> title and text */
const REASONS = {
  [ResourceReasons.Crisis]: ['You do not have to wait', 'These lines answer right now. You can keep your place here at the same time.'],
  [ResourceReasons.OutsideHours]: ['Other help, open now', 'Peer supporters are outside their usual hours right now. You can keep your place in line; these are open now.'],
  [ResourceReasons.NobodyOnShift]: ['Other help, open now', 'No peer supporter is on shift at this moment. You can keep your place in line; these are open now.'],
  [ResourceReasons.LongWait]: ['While you wait', 'This is taking longer than we hoped. You keep your place in line; these are open now if you would rather not wait.'],
};
/** @param {string | null | undefined} reason a ResourceReasons code; none: hides them */
function showResources(reason) {
  shownReason = reason && REASONS[reason] ? reason : null;
  $('#resources-now').hidden = shownReason === null;
  document.body.dataset.resources = shownReason ?? '';
  if (shownReason === null) return;
  const [title, text] = REASONS[shownReason];
  $('#resources-now-title').textContent = title;
  $('#resources-now-text').textContent = text;
  $('#resources-now-list').replaceChildren(resourceList(entriesFor(currentDirectory(), reason)));
}

// ---- The conversation

/** @type {Record<string, string>} a ReturnRoutes code -> what the caller is told */
const ROUTES = {
  [ReturnRoutes.SameSupporter]: 'The supporter you talked with before is on shift and is being asked first.',
  [ReturnRoutes.SupporterAway]: 'The supporter you talked with before is not on shift right now, so you are in the normal line.',
  [ReturnRoutes.CodeNotValid]: 'That return code is not valid any more (used up or expired), so you are in the normal line.',
};

/**
 * @param {(conversation: CallerConversation) => Promise<unknown>} start
 * @param {{ returnCode?: string | null }} options
 */
function begin(start, options = {}) {
  const current = new CallerConversation(options);
  conversation = current;
  /** @param {string} type @param {(detail: any) => void} handler detail: the event's, as conversation.js lists them */
  const on = (type, handler) => current.addEventListener(type, (e) => handler(/** @type {CustomEvent} */ (e).detail));
  on('connection', ({ status }) => showConnection(status));
  on('queue', showQueue);
  on('state', showState);
  on('securing', ({ restarted }) => {
    setSecure(false);
    if (restarted) note('A new secure connection is being made, so the safety code changes.');
  });
  on('secure', ({ safetyCode }) => {
    $('#safety-code').textContent = safetyCode;
    $('#safety').hidden = false;
    setSecure(true);
  });
  on('refused', ({ code }) => {
    if (code === 'rejected-message' && current.safetyCode !== null) {
      note('A message from your supporter could not be read. Please ask them to repeat it.');
      return;
    }
    const problem = $('#channel-problem');
    problem.textContent = `We could not open a secure chat with your supporter (${code}). Your messages have not been sent. Please try Help now, or start a new chat.`;
    problem.hidden = false;
  });
  on('restored', ({ entries }) => messages.restore(entries, (from) => (from === SessionRoles.Lead ? 'Lead' : null)));
  on('message', ({ messageId, content, from }) => messages.incoming(messageId, content, from === SessionRoles.Lead ? 'Lead' : null));
  on('status', ({ messageId, status }) => messages.status(messageId, status));
  on('lead-invited', () => {
    $('#lead-consent').hidden = false;
    $('#lead-yes').focus();
  });
  on('lead', ({ joined }) => note(joined
    ? 'A lead joined. What you write now goes to both your supporter and the lead; their messages are marked “Lead”.'
    : 'The lead left the chat.'));
  on('lead-secure', ({ safetyCode }) => note(`Secure connection with the lead. Their safety code is ${safetyCode}.`));
  on('refused-request', ({ code }) => showEnded(code === ErrorCodes.QueueFull
    ? 'The line is very busy right now and cannot take more requests. Please use Help now, or try again a little later.'
    : `Your request could not be taken (${code}). Please use Help now, or try again.`));
  on('return-route', ({ route }) => {
    $('#return-route').textContent = ROUTES[route] ?? '';
    $('#return-route').hidden = !ROUTES[route];
  });
  on('resumed', ({ restored }) => {
    if (!restored) note('This chat was not kept on this device, so earlier messages are not shown again. A new secure connection is being made, so the safety code changes.');
  });
  showOnly(steps, $('#waiting'));
  start(current).catch(() => showEnded('We could not reach PeerLine. Please check your connection and try again, or use Help now.'));
}

/** @param {QueueStatus} status */
function showQueue({ position, expectedWaitSeconds, resources, awayGraceMinutes }) {
  if (resources !== undefined && !(resources === null && shownReason === ResourceReasons.Crisis)) showResources(resources);
  if (awayGraceMinutes) {
    $('#away-grace').textContent = `If you leave this page, you keep your place for ${awayGraceMinutes} ${awayGraceMinutes === 1 ? 'minute' : 'minutes'}. `
      + 'Come back to it in this browser tab and you are still in line.';
  }
  $('#position').textContent = position === 1 ? 'You are next in line.' : position ? `You are number ${position} in line.` : 'Finding your place in line…';
  $('#expected-wait').textContent = expectedWaitSeconds == null
    ? 'A supporter will be with you as soon as one is free.'
    : `Expected wait: about ${duration(expectedWaitSeconds)}.`;
}

/** @type {Record<string, string>} why a chat ended (a ChangeReasons code, or NotFound) -> what the caller is told */
const ENDINGS = {
  [ChangeReasons.ClosedBySupporter]: 'Your supporter ended the chat.',
  [ChangeReasons.ClosedByCaller]: 'You ended the chat.',
  [ChangeReasons.Withdrawn]: 'You left the line.',
  [ChangeReasons.Abandoned]: 'The request ended because the page was away too long.',
  [ErrorCodes.NotFound]: 'This chat is no longer available.',
};

/** @param {{ state: string, reason: string | null }} change */
function showState({ state, reason }) {
  document.body.dataset.state = state;
  if (state === SessionStates.Waiting) {
    showOnly(steps, $('#waiting'));
    $('#lead-consent').hidden = true;
    if (reason === ChangeReasons.ReturnedToQueue) note('Your supporter passed your chat to the next free colleague. You are at the front of the line.');
  } else if (state === SessionStates.Active) {
    showOnly(steps, $('#chat'));
    if (reason === ChangeReasons.Transferred) $('#lead-consent').hidden = true; // a question of the previous supporter
    showResources(null); // they stay one tap away under Help now
    if (reason === ChangeReasons.Transferred) note('Another supporter is taking over.');
  } else {
    showEnded(ENDINGS[reason ?? ''] ?? 'The chat has ended.');
  }
}

/** @param {boolean} accept */
async function answerLead(accept) {
  $('#lead-consent').hidden = true;
  try {
    await /** @type {CallerConversation} */ (conversation).answerLeadInvitation(accept);
    if (!accept) note('You said no to a lead joining. Your chat goes on as before.');
  } catch {
    note('The question about a lead is no longer open.');
  }
}
$('#lead-yes').addEventListener('click', () => answerLead(true));
$('#lead-no').addEventListener('click', () => answerLead(false));

const takeCode = /** @type {HTMLButtonElement} */ ($('#take-code'));
takeCode.addEventListener('click', async () => {
  const box = $('#return-code-box');
  takeCode.disabled = true;
  try {
    const { code, meetingsLeft, validDays } = await /** @type {CallerConversation} */ (conversation).takeReturnCode();
    box.replaceChildren(h('strong', { class: 'code' }, code), h('br'),
      `Write this down now: it is not kept on this phone. It opens ${meetingsLeft} more conversations within ${validDays} days. `
      + 'Enter it under “I have a return code” when you come back.');
  } catch {
    box.textContent = 'A return code could not be made right now.';
    takeCode.disabled = false;
  }
  box.hidden = false;
});

/** @param {string} reason what the caller is told */
function showEnded(reason) {
  const lost = conversation?.undeliveredCount ?? 0;
  $('#ended-reason').textContent = lost === 0 ? reason
    : `${reason} ${lost === 1 ? 'Your last message was' : `Your last ${lost} messages were`} not delivered before the chat ended.`;
  messages.clear(); // nothing of the conversation stays in the page either
  showResources(null);
  feedback.offer(conversation?.feedbackOpen === true);
  showOnly(steps, $('#ended'));
}

/** @param {boolean} secure */
function setSecure(secure) {
  $('#securing').hidden = secure;
  /** @type {HTMLTextAreaElement} */ ($('#message')).disabled = !secure;
  /** @type {HTMLButtonElement} */ ($('#send')).disabled = !secure;
  document.body.dataset.secure = String(secure);
  if (!secure) $('#safety').hidden = true;
}

/** @param {string} text */
function note(text) {
  messages.note(text);
}

$('#composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = /** @type {HTMLTextAreaElement} */ ($('#message'));
  const text = input.value.trim();
  if (!text || !conversation) return;
  messages.outgoing(conversation.send(textContent(text)), { type: 'text', text });
  input.value = '';
  input.focus();
});

$('#message').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    /** @type {HTMLFormElement} */ ($('#composer')).requestSubmit();
  }
});

// ---- Ending

async function end() {
  const showEnding = () => showEnded(conversation?.state === SessionStates.Waiting ? ENDINGS[ChangeReasons.Withdrawn] : ENDINGS[ChangeReasons.ClosedByCaller]);
  try {
    await conversation?.end();
  } catch (error) {
    // Once the ending is on screen a failed EndSession has nothing left to tell.
    if (!$('#ended').hidden) return;
    showEnding();
    throw error;
  }
  if ($('#ended').hidden) showEnding();
}

$('#end-chat').addEventListener('click', () => setEndConfirm(true));
$('#end-no').addEventListener('click', () => setEndConfirm(false));
$('#end-yes').addEventListener('click', () => {
  setEndConfirm(false);
  end();
});

/** @param {boolean} open */
function setEndConfirm(open) {
  $('#end-confirm').hidden = !open;
  $('#end-chat').setAttribute('aria-expanded', String(open));
  if (open) $('#end-yes').focus();
}
$('#leave-queue').addEventListener('click', end);
$('#erase-chat').addEventListener('click', async () => {
  await conversation?.erase({ forget: false });
  $('#erase-done').hidden = false;
});
$('#again').addEventListener('click', () => {
  conversation?.close();
  conversation = null;
  feedback.reset();
  /** @type {HTMLFormElement} */ ($('#screen-form')).reset();
  $('#return-code-box').replaceChildren();
  $('#return-code-box').hidden = true;
  takeCode.disabled = false;
  $('#return-route').hidden = true;
  $('#erase-done').hidden = true;
  showOnly(steps, $('#screen'));
});

// ---- A reload during a session picks it up again

const stored = storedSession.read();
if (stored) begin((c) => c.resume(stored));
