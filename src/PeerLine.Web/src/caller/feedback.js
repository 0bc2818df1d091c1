// The two optional questions on the end step, after a chat a supporter answered. Only answer codes leave the
// device, once, and the server keeps nothing but weekly counts of them.

import { h } from '../app/dom.js';
import { FeedbackQuestionTexts } from '../app/wire.js';

/**
 * { question: answer } of the known questions answered with a known code; unanswered ones are left out.
 * @param {Record<string, unknown>} chosen
 * @returns {Record<string, string>}
 */
export function feedbackAnswers(chosen) {
  /** @type {Record<string, string>} */
  const answers = {};
  for (const [question, { answers: known }] of Object.entries(FeedbackQuestionTexts)) {
    const answer = chosen[question];
    if (typeof answer === 'string' && Object.hasOwn(known, answer)) answers[question] = answer;
  }
  return answers;
}

export class FeedbackForm {
  #form;
  #send;
  /** @type {HTMLButtonElement} */
  #button;
  /** @type {HTMLElement} */
  #error;
  #thanks;
  #sent = false;

  /**
   * @param {HTMLFormElement} form the form of pages/caller.html (its #feedback-questions is filled here)
   * @param {HTMLElement} thanks where the thanks go once the answers are sent
   * @param {(answers: Record<string, string>) => Promise<void>} send gives the answers to the server
   */
  constructor(form, thanks, send) {
    this.#form = form;
    this.#thanks = thanks;
    this.#send = send;
    this.#button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
    this.#error = /** @type {HTMLElement} */ (form.querySelector('.error'));
    /** @type {HTMLElement} */ (form.querySelector('#feedback-questions')).append(...Object.entries(FeedbackQuestionTexts).map(([question, { text, answers }]) =>
      h('fieldset', {},
        h('legend', {}, text),
        h('div', { class: 'choices' }, Object.entries(answers).map(([code, label]) =>
          h('label', {}, h('input', { type: 'radio', name: question, value: code }), ` ${label}`))))));
    form.addEventListener('change', () => { this.#button.disabled = Object.keys(this.#answers()).length === 0; });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
  }

  /**
   * Shows the questions when they may be asked: after an answered chat, until they are sent.
   * @param {boolean} open
   */
  offer(open) {
    this.#form.hidden = !open || this.#sent;
  }

  /** For the next chat. */
  reset() {
    this.#sent = false;
    this.#form.reset();
    this.#form.hidden = true;
    this.#button.disabled = true;
    this.#error.hidden = true;
    this.#thanks.textContent = '';
    this.#thanks.hidden = true;
  }

  #answers() {
    const form = new FormData(this.#form);
    return feedbackAnswers(Object.fromEntries(Object.keys(FeedbackQuestionTexts).map((q) => [q, form.get(q)])));
  }

  async #submit() {
    const answers = this.#answers();
    if (Object.keys(answers).length === 0) return;
    this.#button.disabled = true;
    try {
      await this.#send(answers);
    } catch {
      this.#error.hidden = false;
      this.#button.disabled = false;
      return;
    }
    this.#sent = true;
    this.#form.hidden = true;
    this.#thanks.textContent = 'Thank you.';
    this.#thanks.hidden = false;
    this.#thanks.focus();
  }
}
