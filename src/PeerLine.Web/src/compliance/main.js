// The compliance view: auditors see the audit trail's integrity, its events and its download, and the program
// metrics; leads see the metrics only. See pages/compliance.html.

import '../styles/base.css';
import './compliance.css';
import { $, showOnly } from '../app/dom.js';
import { handleSignInForm, signOut, whoAmI } from '../staff/account.js';
import { showIntegrity } from './integrity.js';
import { openEvents } from './events.js';
import { openMetrics } from './metrics.js';
import { StaffRoles } from '../app/wire.js';

const views = '#main > .view';
const NO_ACCESS = 'none'; // not a wire string: body[data-access] for a staff member this page is not for

handleSignInForm(enter);

$('#sign-out').addEventListener('click', async () => {
  await signOut();
  location.reload();
});

async function enter() {
  const me = await whoAmI().catch(() => null);
  if (me === null) {
    showOnly(views, $('#sign-in'));
    $('#login').focus();
    return;
  }
  $('#who').textContent = me.login;
  $('#sign-out').hidden = false;
  const auditor = me.roles.includes(StaffRoles.Auditor);
  const access = auditor ? StaffRoles.Auditor : me.roles.includes(StaffRoles.Lead) ? StaffRoles.Lead : NO_ACCESS;
  document.body.dataset.access = access;
  if (access === NO_ACCESS) {
    showOnly(views, $('#not-for-you'));
    return;
  }
  // A lead's account is not allowed the audit API: its sections are neither shown nor asked for.
  for (const section of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-for="auditor"]'))) section.hidden = !auditor;
  $('#overview-title').textContent = auditor ? 'Audit trail and program metrics' : 'Program overview';
  showOnly(views, $('#overview'));
  $('#check-integrity').addEventListener('click', showIntegrity);
  await Promise.all(auditor ? [showIntegrity(), openEvents(), openMetrics()] : [openMetrics()]);
  document.body.dataset.loaded = 'true';
}

enter();
