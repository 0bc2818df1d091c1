// The caller page: welcome, self-screen, queue, encrypted chat, end. See pages/caller.html. The page (page.js) owns
// the state; this module wires the page's controls to it.

import '../styles/base.css';
import './caller.css';
import { $, h, showOnly } from '../app/dom.js';
import { keepDirectoryFresh, onDirectory } from '../app/directory.js';
import { TopicLabels } from '../app/wire.js';
import { storedSession } from './conversation.js';
import { CallerPage } from './page.js';

const steps = '#main > .step';
const page = new CallerPage();

// ---- Help now: one tap from every step

const dialog = /** @type {HTMLDialogElement} */ ($('#resources-dialog'));
keepDirectoryFresh();
onDirectory((directory) => page.showDirectory(directory));
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
  page.useReturnCode();
});

$('#start').addEventListener('click', () => {
  showOnly(steps, $('#screen'));
  $('#screen-title').focus?.();
});

$('#screen-form').addEventListener('submit', (event) => {
  event.preventDefault();
  page.submitScreen(/** @type {HTMLFormElement} */ (event.target));
});

// ---- The conversation

$('#lead-yes').addEventListener('click', () => page.answerLead(true));
$('#lead-no').addEventListener('click', () => page.answerLead(false));
$('#take-code').addEventListener('click', () => page.takeReturnCode());

$('#composer').addEventListener('submit', (event) => {
  event.preventDefault();
  page.send();
});

$('#message').addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && !event.shiftKey) {
    event.preventDefault();
    /** @type {HTMLFormElement} */ ($('#composer')).requestSubmit();
  }
});

// ---- Ending

$('#end-chat').addEventListener('click', () => setEndConfirm(true));
$('#end-no').addEventListener('click', () => setEndConfirm(false));
$('#end-yes').addEventListener('click', () => {
  setEndConfirm(false);
  page.end();
});

/** @param {boolean} open */
function setEndConfirm(open) {
  $('#end-confirm').hidden = !open;
  $('#end-chat').setAttribute('aria-expanded', String(open));
  if (open) $('#end-yes').focus();
}
$('#leave-queue').addEventListener('click', () => page.end());
$('#erase-chat').addEventListener('click', () => page.erase());
$('#again').addEventListener('click', () => page.startAgain());

// ---- A reload during a session picks it up again

const stored = storedSession.read();
if (stored) page.resume(stored);
