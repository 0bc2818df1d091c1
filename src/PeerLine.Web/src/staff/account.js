// Staff sign-in by the same-origin cookie (docs/protocol.md §2). No token is ever put in a URL or in storage.

import { ErrorCodes } from '../app/wire.js';

const json = { 'Content-Type': 'application/json' };

/** @import { StaffIdentity } from '../app/types.js' */
/**
 * GET /api/staff/wellbeing's answer.
 * @typedef {{ onShift: boolean, shiftMinutes: number, maxShiftMinutes: number, weekMinutes: number, weeklyCapMinutes: number }} Wellbeing
 */

/**
 * { login, roles } of the signed-in staff member, or null.
 * @returns {Promise<StaffIdentity | null>}
 */
export async function whoAmI() {
  const response = await fetch('/api/staff/me', { credentials: 'same-origin', cache: 'no-store' });
  return response.ok ? response.json() : null;
}

/** null when signed in, else a code: 'invalid-credentials', 'rate-limited' or 'unavailable'. */
/** @param {string} login @param {string} password @returns {Promise<string | null>} */
export async function signIn(login, password) {
  try {
    const response = await fetch('/api/staff/login', {
      method: 'POST', credentials: 'same-origin', headers: json, body: JSON.stringify({ login, password }),
    });
    if (response.ok) return null;
    return (await response.json().catch(() => null))?.code ?? ErrorCodes.Unavailable;
  } catch {
    return ErrorCodes.Unavailable;
  }
}

export async function signOut() {
  await fetch('/api/staff/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => {});
}

/**
 * GET /api/staff/wellbeing: { onShift, shiftMinutes, maxShiftMinutes, weekMinutes, weeklyCapMinutes }, or null.
 * @returns {Promise<Wellbeing | null>}
 */
export async function myWellbeing() {
  try {
    const response = await fetch('/api/staff/wellbeing', { credentials: 'same-origin', cache: 'no-store' });
    return response.ok ? response.json() : null;
  } catch {
    return null;
  }
}

/**
 * The pages' sign-in form (#sign-in-form with #login, #password and #sign-in-error): signs in, says plainly what went
 * wrong, and calls onSignedIn once the cookie is set.
 * @param {() => Promise<void>} onSignedIn
 */
export function handleSignInForm(onSignedIn) {
  /** @type {HTMLFormElement} */ (document.querySelector('#sign-in-form')).addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.target));
    const code = await signIn(String(form.get('login')), String(form.get('password')));
    const error = /** @type {HTMLElement} */ (document.querySelector('#sign-in-error'));
    if (code !== null) {
      error.textContent = code === ErrorCodes.RateLimited ? 'Too many sign-ins just now. Please wait a minute.'
        : code === ErrorCodes.InvalidCredentials ? 'That login and password did not match.' : 'PeerLine cannot be reached right now.';
      error.hidden = false;
      return;
    }
    error.hidden = true;
    /** @type {HTMLInputElement} */ (document.querySelector('#password')).value = '';
    await onSignedIn();
  });
}
