// The caller page: welcome, self-screen, queue, encrypted chat, end. See pages/caller.html.

import '../styles/base.css';
import './caller.css';
import { $, duration, h, showConnection, showOnly } from '../app/dom.js';
import { MessageList } from '../app/message-list.js';
import { resourceList } from '../app/resources.js';
import { textContent } from '../app/content.js';
import { currentDirectory, entriesFor, keepDirectoryFresh, onDirectory, ordered } from '../app/directory.js';
import { Reasons, States, Topics } from '../app/wire.js';
import { CallerConversation, storedSession } from './conversation.js';
import { evaluateScreen } from './screen.js';
import { FeedbackForm } from './feedback.js';
import { normalizeReturnCode } from '../app/return-code.js';

const steps = '#main > .step';
let conversation = null;
let shownReason = null; // why resources are shown while waiting (a ResourceReasons code), or null
let returnCode = null; // typed on the welcome step, kept in memory only until the request is made
const messages = new MessageList({ label: 'Messages', me: 'You', them: 'Supporter' });
const feedback = new FeedbackForm($('#feedback'), $('#feedback-thanks'), (answers) => conversation.giveFeedback(answers));
$('#messages').replaceWith(messages.element);
messages.element.id = 'messages';

// ---- Help now: one tap from every step

const dialog = $('#resources-dialog');
keepDirectoryFresh();
onDirectory((directory) => {
  $('#resources').replaceChildren(resourceList(ordered(directory)));
  if (shownReason) showResources(shownReason);
});
$('#help-now').addEventListener('click', () => dialog.showModal());
$('#close-resources').addEventListener('click', () => dialog.close());

// ---- Welcome and self-screen

$('#topics').append(...Object.entries(Topics).map(([code, label]) =>
  h('label', {}, h('input', { type: 'radio', name: 'topic', value: code, required: true }), ` ${label}`)));

$('#have-code').addEventListener('click', () => {
  const form = $('#return-form');
  form.hidden = !form.hidden;
  $('#have-code').setAttribute('aria-expanded', String(!form.hidden));
  if (!form.hidden) $('#return-code-input').focus();
});

$('#return-form').addEventListener('submit', (event) => {
  event.preventDefault();
  returnCode = normalizeReturnCode($('#return-code-input').value);
  $('#return-code-error').hidden = returnCode !== null;
  if (returnCode === null) return;
  $('#return-code-input').value = '';
  showOnly(steps, $('#screen'));
});

$('#start').addEventListener('click', () => {
  showOnly(steps, $('#screen'));
  $('#screen-title').focus?.();
});

$('#screen-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const coded = evaluateScreen({ topic: form.get('topic'), soon: form.get('soon'), safety: form.get('safety') });
  $('#screen-error').hidden = coded !== null;
  if (coded === null) return;
  if (coded.priority === 'crisis') showResources('crisis'); // at once, before the server has answered
  const code = returnCode;
  returnCode = null;
  begin((c) => c.request(coded.topic, coded.priority), { returnCode: code });
});

// ---- Resources shown while waiting (QueueStatus.resources, docs/protocol.md §8)

const REASONS = {
  crisis: ['You do not have to wait', 'These lines answer right now. You can keep your place here at the same time.'],
  'outside-hours': ['Other help, open now', 'Peer supporters are outside their usual hours right now. You can keep your place in line; these are open now.'],
  'nobody-on-shift': ['Other help, open now', 'No peer supporter is on shift at this moment. You can keep your place in line; these are open now.'],
  'long-wait': ['While you wait', 'This is taking longer than we hoped. You keep your place in line; these are open now if you would rather not wait.'],
};
function showResources(reason) {
  shownReason = REASONS[reason] ? reason : null;
  $('#resources-now').hidden = shownReason === null;
  document.body.dataset.resources = shownReason ?? '';
  if (shownReason === null) return;
  const [title, text] = REASONS[reason];
  $('#resources-now-title').textContent = title;
  $('#resources-now-text').textContent = text;
  $('#resources-now-list').replaceChildren(resourceList(entriesFor(currentDirectory(), reason)));
}

// ---- The conversation

const ROUTES = {
  'same-supporter': 'The supporter you talked with before is on shift and is being asked first.',
  'supporter-away': 'The supporter you talked with before is not on shift right now, so you are in the normal line.',
  'code-not-valid': 'That return code is not valid any more (used up or expired), so you are in the normal line.',
};

function begin(start, options = {}) {
  conversation = new CallerConversation(options);
  const on = (type, handler) => conversation.addEventListener(type, (e) => handler(e.detail));
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
    if (code === 'rejected-message' && conversation.safetyCode !== null) {
      note('A message from your supporter could not be read. Please ask them to repeat it.');
      return;
    }
    const problem = $('#channel-problem');
    problem.textContent = `We could not open a secure chat with your supporter (${code}). Your messages have not been sent. Please try Help now, or start a new chat.`;
    problem.hidden = false;
  });
  on('restored', ({ entries }) => messages.restore(entries, (from) => (from === 'lead' ? 'Lead' : null)));
  on('message', ({ messageId, content, from }) => messages.incoming(messageId, content, from === 'lead' ? 'Lead' : null));
  on('status', ({ messageId, status }) => messages.status(messageId, status));
  on('lead-invited', () => {
    $('#lead-consent').hidden = false;
    $('#lead-yes').focus();
  });
  on('lead', ({ joined }) => note(joined
    ? 'A lead joined. What you write now goes to both your supporter and the lead; their messages are marked “Lead”.'
    : 'The lead left the chat.'));
  on('lead-secure', ({ safetyCode }) => note(`Secure connection with the lead. Their safety code is ${safetyCode}.`));
  on('refused-request', ({ code }) => showEnded(code === 'queue-full'
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
  start(conversation).catch(() => showEnded('We could not reach PeerLine. Please check your connection and try again, or use Help now.'));
}

function showQueue({ position, expectedWaitSeconds, resources, awayGraceMinutes }) {
  if (resources !== undefined && !(resources === null && shownReason === 'crisis')) showResources(resources);
  if (awayGraceMinutes) {
    $('#away-grace').textContent = `If you leave this page, you keep your place for ${awayGraceMinutes} ${awayGraceMinutes === 1 ? 'minute' : 'minutes'}. `
      + 'Come back to it in this browser tab and you are still in line.';
  }
  $('#position').textContent = position === 1 ? 'You are next in line.' : position ? `You are number ${position} in line.` : 'Finding your place in line…';
  $('#expected-wait').textContent = expectedWaitSeconds == null
    ? 'A supporter will be with you as soon as one is free.'
    : `Expected wait: about ${duration(expectedWaitSeconds)}.`;
}

const ENDINGS = {
  [Reasons.CLOSED_BY_SUPPORTER]: 'Your supporter ended the chat.',
  [Reasons.CLOSED_BY_CALLER]: 'You ended the chat.',
  [Reasons.WITHDRAWN]: 'You left the line.',
  [Reasons.ABANDONED]: 'The request ended because the page was away too long.',
  'not-found': 'This chat is no longer available.',
};

function showState({ state, reason }) {
  document.body.dataset.state = state;
  if (state === States.WAITING) {
    showOnly(steps, $('#waiting'));
    $('#lead-consent').hidden = true;
    if (reason === Reasons.RETURNED_TO_QUEUE) note('Your supporter passed your chat to the next free colleague. You are at the front of the line.');
  } else if (state === States.ACTIVE) {
    showOnly(steps, $('#chat'));
    if (reason === Reasons.TRANSFERRED) $('#lead-consent').hidden = true; // a question of the previous supporter
    showResources(null); // they stay one tap away under Help now
    if (reason === Reasons.TRANSFERRED) note('Another supporter is taking over.');
  } else {
    showEnded(ENDINGS[reason] ?? 'The chat has ended.');
  }
}

async function answerLead(accept) {
  $('#lead-consent').hidden = true;
  try {
    await conversation.answerLeadInvitation(accept);
    if (!accept) note('You said no to a lead joining. Your chat goes on as before.');
  } catch {
    note('The question about a lead is no longer open.');
  }
}
$('#lead-yes').addEventListener('click', () => answerLead(true));
$('#lead-no').addEventListener('click', () => answerLead(false));

$('#take-code').addEventListener('click', async () => {
  const box = $('#return-code-box');
  $('#take-code').disabled = true;
  try {
    const { code, meetingsLeft, validDays } = await conversation.takeReturnCode();
    box.replaceChildren(h('strong', { class: 'code' }, code), h('br'),
      `Write this down now: it is not kept on this phone. It opens ${meetingsLeft} more conversations within ${validDays} days. `
      + 'Enter it under “I have a return code” when you come back.');
  } catch {
    box.textContent = 'A return code could not be made right now.';
    $('#take-code').disabled = false;
  }
  box.hidden = false;
});

function showEnded(reason) {
  const lost = conversation?.undeliveredCount ?? 0;
  $('#ended-reason').textContent = lost === 0 ? reason
    : `${reason} ${lost === 1 ? 'Your last message was' : `Your last ${lost} messages were`} not delivered before the chat ended.`;
  messages.clear(); // nothing of the conversation stays in the page either
  showResources(null);
  feedback.offer(conversation?.feedbackOpen === true);
  showOnly(steps, $('#ended'));
}

function setSecure(secure) {
  $('#securing').hidden = secure;
  $('#message').disabled = !secure;
  $('#send').disabled = !secure;
  document.body.dataset.secure = String(secure);
  if (!secure) $('#safety').hidden = true;
}

function note(text) {
  messages.note(text);
}

$('#composer').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('#message');
  const text = input.value.trim();
  if (!text || !conversation) return;
  messages.outgoing(conversation.send(textContent(text)), { type: 'text', text });
  input.value = '';
  input.focus();
});

$('#message').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    $('#composer').requestSubmit();
  }
});

// ---- Ending

async function end() {
  const showEnding = () => showEnded(conversation?.state === States.WAITING ? ENDINGS[Reasons.WITHDRAWN] : ENDINGS[Reasons.CLOSED_BY_CALLER]);
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
  $('#screen-form').reset();
  $('#return-code-box').replaceChildren();
  $('#return-code-box').hidden = true;
  $('#take-code').disabled = false;
  $('#return-route').hidden = true;
  $('#erase-done').hidden = true;
  showOnly(steps, $('#screen'));
});

// ---- A reload during a session picks it up again

const stored = storedSession.read();
if (stored) begin((c) => c.resume(stored));
