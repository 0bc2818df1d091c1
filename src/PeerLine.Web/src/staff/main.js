// The supporter console: sign in, set up the device key, shift, queue, several chats side by side. The console
// (console.js) owns the state; this module wires the page's controls to it.

import '../styles/base.css';
import './staff.css';
import { $ } from '../app/dom.js';
import { resourceList } from '../app/resources.js';
import { keepDirectoryFresh, onDirectory, ordered } from '../app/directory.js';
import { handleSignInForm } from './account.js';
import { StaffConsole } from './console.js';

const staffConsole = new StaffConsole();

// ---- Resources (for sharing with a caller by reading them out or pasting)

const resources = /** @type {HTMLDialogElement} */ ($('#resources-dialog'));
keepDirectoryFresh();
onDirectory((directory) => $('#resources').replaceChildren(resourceList(ordered(directory))));
$('#resources-button').addEventListener('click', () => resources.showModal());
$('#close-resources').addEventListener('click', () => resources.close());

// ---- Sign-in, offers, shift

handleSignInForm(() => staffConsole.enter());
$('#sign-out').addEventListener('click', () => staffConsole.signOut());
$('#offer-accept').addEventListener('click', () => staffConsole.acceptOffer());
$('#offer-decline').addEventListener('click', () => staffConsole.declineOffer());
$('#shift').addEventListener('click', () => staffConsole.toggleShift());
$('#claim-next').addEventListener('click', () => staffConsole.claimNext());
setInterval(() => staffConsole.tick(), 1000);

// ---- Keyboard: Alt+N takes the next chat, Alt+1…6 goes to a chat

document.addEventListener('keydown', (event) => {
  if (!event.altKey || $('#desk').hidden) return;
  if (event.key === 'n' || event.key === 'N') {
    event.preventDefault();
    if (staffConsole.onShift) staffConsole.claimNext();
  } else if (/^[1-6]$/.test(event.key)) {
    event.preventDefault();
    staffConsole.focusChat(Number(event.key));
  }
});

staffConsole.enter();
