// The device key's enrolment (docs/protocol.md §2): this browser's key of the login goes to the server for
// certification. Until a roster admin certifies it the page says so and asks again every 15 s; a revoked key can be
// replaced by a new one.

import { $, showOnly } from '../app/dom.js';
import { DeviceKeyStatuses, ErrorCodes } from '../app/wire.js';
import { SIGNED_OUT, deviceKeyFor, enroll, replaceDeviceKey } from './device-key.js';

/** @import { KeyPair } from '../protocol/noise.js' */
/** @import { Enrolment } from './device-key.js' */

const ENROL_POLL_MS = 15_000;

export class DeviceEnrolment {
  #login;
  #certified;
  #signedOut;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  #timer = undefined;

  /**
   * @param {() => string} login the signed-in staff member's login
   * @param {{ certified: (deviceKey: KeyPair) => Promise<void>, signedOut: () => Promise<void> }} then
   *   certified: the key may be used (the desk opens); signedOut: the sign-in is gone
   */
  constructor(login, { certified, signedOut }) {
    this.#login = login;
    this.#certified = certified;
    this.#signedOut = signedOut;
  }

  /**
   * Enrols this browser's key of the login (or `key`) and shows where it stands.
   * @param {KeyPair | null} key
   */
  async check(key = null) {
    clearTimeout(this.#timer);
    const deviceKey = key ?? await deviceKeyFor(this.#login());
    /** @type {Enrolment} */
    let answer;
    try {
      answer = await enroll(deviceKey.publicKey);
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code === SIGNED_OUT) return this.#signedOut();
      this.#show({ status: ErrorCodes.Unavailable, keyId: null }, deviceKey);
      return;
    }
    if (answer.status === DeviceKeyStatuses.Certified) return this.#certified(deviceKey);
    this.#show(answer, deviceKey);
  }

  /** @param {Enrolment} answer @param {KeyPair} deviceKey */
  #show(answer, deviceKey) {
    showOnly('#main > .view', $('#enrol'));
    const keyId = answer.keyId ?? '';
    $('#key-id').textContent = keyId.match(/.{1,4}/g)?.join(' ') ?? '';
    $('#certify-command').textContent = `staff certify --login ${this.#login()}`;
    const revoked = answer.status === DeviceKeyStatuses.Revoked;
    $('#enrol-revoked').hidden = !revoked;
    $('#new-key').hidden = !revoked;
    $('#enrol-status').textContent = revoked ? 'Revoked.'
      : answer.status === ErrorCodes.Unavailable ? 'PeerLine cannot be reached right now; trying again.'
        : 'Your device key awaits certification.';
    document.body.dataset.enrolment = answer.status;
    $('#check-again').onclick = () => this.check(deviceKey);
    $('#new-key').onclick = async () => this.check(await replaceDeviceKey(this.#login()));
    if (!revoked) this.#timer = setTimeout(() => this.check(deviceKey), ENROL_POLL_MS);
  }
}
