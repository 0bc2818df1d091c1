// The self-screen, evaluated on the caller's device. Only the topic code and the priority code leave it.

import { Priorities, TopicLabels } from '../app/wire.js';

/** @type {unknown[]} The answers to the safety question: someone is in danger (first), or not. */
const SAFETY = ['yes', 'no']; // not a wire string: the form's values

/**
 * @param {{topic: unknown, soon: unknown, safety: unknown}} answers what the form gave
 * @returns {{topic: string, priority: string} | null} null while an answer is missing or unknown
 */
export function evaluateScreen({ topic, soon, safety }) {
  if (typeof topic !== 'string' || !Object.hasOwn(TopicLabels, topic) || (soon !== 'now' && soon !== 'today') || !SAFETY.includes(safety)) return null;
  if (safety === SAFETY[0]) return { topic, priority: Priorities.Crisis };
  return { topic, priority: soon === 'now' ? Priorities.Soon : Priorities.Routine };
}
