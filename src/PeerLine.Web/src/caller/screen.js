// The self-screen, evaluated on the caller's device. Only the topic code and the priority code leave it.

import { Priorities, TopicLabels } from '../app/wire.js';

/**
 * @param {{topic: unknown, soon: unknown, safety: unknown}} answers what the form gave
 * @returns {{topic: string, priority: string} | null} null while an answer is missing or unknown
 */
export function evaluateScreen({ topic, soon, safety }) {
  if (typeof topic !== 'string' || !Object.hasOwn(TopicLabels, topic) || (soon !== 'now' && soon !== 'today') || (safety !== 'yes' && safety !== 'no')) return null;
  if (safety === 'yes') return { topic, priority: Priorities.Crisis };
  return { topic, priority: soon === 'now' ? Priorities.Soon : Priorities.Routine };
}
