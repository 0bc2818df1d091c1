// The self-screen, evaluated on the caller's device. Only the topic code and the priority code leave it.

import { Topics } from '../app/wire.js';

/**
 * @param {{topic: string, soon: 'now'|'today', safety: 'yes'|'no'}} answers
 * @returns {{topic: string, priority: 'crisis'|'soon'|'routine'} | null} null while an answer is missing or unknown
 */
export function evaluateScreen({ topic, soon, safety }) {
  if (!Object.hasOwn(Topics, topic) || !['now', 'today'].includes(soon) || !['yes', 'no'].includes(safety)) return null;
  if (safety === 'yes') return { topic, priority: 'crisis' };
  return { topic, priority: soon === 'now' ? 'soon' : 'routine' };
}
