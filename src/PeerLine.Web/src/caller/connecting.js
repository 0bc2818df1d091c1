// What the caller reads while the request's puzzle is solved (app/puzzle.js): words, never a bare spinner. After a
// few seconds, one calm sentence more. Shown from the first solve until the request is in the queue or has ended.

export const CONNECTING = 'Connecting you securely…';
export const SLOW = 'Many people are calling right now, so this can take up to a minute.';
/** When the second sentence is added, if solving still goes on. */
export const SLOW_AFTER_MS = 4000;

export class ConnectingNotice {
  #show;
  #timers;
  /** @type {unknown} */
  #timer = null;
  /** @type {string[]} */
  #lines = [];

  /**
   * @param {(lines: string[]) => void} show draws the lines (none: the notice is gone)
   * @param {{ set: (run: () => void, ms: number) => unknown, clear: (timer: any) => void }} [timers]
   */
  constructor(show, timers = { set: (run, ms) => setTimeout(run, ms), clear: (timer) => clearTimeout(timer) }) {
    this.#show = show;
    this.#timers = timers;
  }

  get showing() {
    return this.#lines.length > 0;
  }

  /** @param {boolean} solving the puzzle is being solved now (true), or that solve is over (false) */
  solving(solving) {
    if (!solving) return this.#stopTimer(); // the request follows; the words stay until it is answered
    if (this.#lines.length === 0) this.#draw([CONNECTING]);
    if (this.#timer === null && this.#lines.length === 1) {
      this.#timer = this.#timers.set(() => {
        this.#timer = null;
        this.#draw([CONNECTING, SLOW]);
      }, SLOW_AFTER_MS);
    }
  }

  /** The request is in the queue, or has ended: the notice goes. */
  done() {
    this.#stopTimer();
    if (this.#lines.length > 0) this.#draw([]);
  }

  #stopTimer() {
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
  }

  /** @param {string[]} lines */
  #draw(lines) {
    this.#lines = lines;
    this.#show(lines);
  }
}
