// One SignalR connection that never gives up: WebSockets only (docs/protocol.md §1), reconnecting with
// back-off for as long as the page is open, and telling its owner each time it is connected again so that
// the owner can resume its sessions (§7).

import { HttpTransportType, HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';

/** @typedef {'connecting' | 'connected' | 'reconnecting'} ConnectionStatus */

const MAX_DELAY_MS = 10_000;
/** @param {number} attempt */
const backoff = (attempt) => Math.min(250 * 2 ** attempt, MAX_DELAY_MS);

export class HubClient {
  #connection;
  #onConnected;
  #onStatus;
  /** @type {Promise<void>} */
  #connected = Promise.resolve();
  /** @type {(() => void) | null} */
  #resolveConnected = null;
  #stopped = false;

  /**
   * @param {string} url a same-origin hub path
   * @param {{onConnected: () => Promise<void>, onStatus?: (status: ConnectionStatus) => void}} hooks
   *   onConnected runs after the first connection and after every reconnection, before calls waiting in whenConnected go on.
   */
  constructor(url, { onConnected, onStatus = () => {} }) {
    this.#onConnected = onConnected;
    this.#onStatus = onStatus;
    this.#connection = new HubConnectionBuilder()
      .withUrl(url, { transport: HttpTransportType.WebSockets, skipNegotiation: false })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => backoff(context.previousRetryCount) })
      .configureLogging(LogLevel.None)
      .build();
    this.#connection.onreconnecting(() => this.#disconnected());
    this.#connection.onreconnected(() => this.#ready());
    this.#connection.onclose(() => {
      if (this.#stopped) return;
      this.#disconnected();
      this.#startLoop();
    });
    this.#disconnected();
  }

  /**
   * @param {string} event
   * @param {(...args: any[]) => void} handler its arguments are the event's wire records, as the server sent them
   */
  on(event, handler) {
    this.#connection.on(event, handler);
  }

  /** Connects, retrying until it succeeds. Resolves once connected (and onConnected has run). */
  start() {
    this.#startLoop();
    return this.whenConnected();
  }

  whenConnected() {
    return this.#connected;
  }

  /** The current connection's id (a new one after each reconnection), or null while there is none. */
  get connectionId() {
    return this.#connection.connectionId;
  }

  get isConnected() {
    return this.#connection.state === HubConnectionState.Connected && this.#resolveConnected === null;
  }

  /**
   * @param {string} method
   * @param {...unknown} args
   * @returns {Promise<any>} the method's result record, as the server sent it: the caller names its type
   */
  invoke(method, ...args) {
    return this.#connection.invoke(method, ...args);
  }

  async stop() {
    this.#stopped = true;
    await this.#connection.stop();
  }

  async #startLoop() {
    for (let attempt = 0; !this.#stopped; attempt++) {
      try {
        this.#onStatus('connecting');
        await this.#connection.start();
        await this.#ready();
        return;
      } catch {
        if (this.#connection.state !== HubConnectionState.Disconnected) return; // a reconnect took over
        await new Promise((resolve) => setTimeout(resolve, backoff(attempt)));
      }
    }
  }

  #disconnected() {
    if (this.#resolveConnected === null) {
      this.#connected = new Promise((resolve) => { this.#resolveConnected = resolve; });
    }
    this.#onStatus('reconnecting');
  }

  async #ready() {
    try {
      await this.#onConnected();
    } catch {
      // The owner's resume failed (the connection dropped, or the server was busy): start over on a new connection.
      if (this.#connection.state === HubConnectionState.Connected) this.#connection.stop().catch(() => {});
      return;
    }
    if (this.#connection.state !== HubConnectionState.Connected) return;
    this.#onStatus('connected');
    const resolve = this.#resolveConnected;
    this.#resolveConnected = null;
    resolve?.();
  }
}
