// Escalation resources shown on both pages (../shared/brief.md). Crisis lines come first.
// The served, configurable directory with opening hours comes with the crisis-routing work (issue 5).

import { h } from './dom.js';

export const RESOURCES = Object.freeze([
  {
    id: '988', name: '988 Suicide & Crisis Lifeline', crisis: true,
    hours: '24 hours, 7 days', contact: [{ label: 'Call 988', href: 'tel:988' }, { label: 'Text 988', href: 'sms:988' }],
    notes: 'Free and confidential. In an emergency call 911.',
  },
  {
    id: 'psl', name: 'Physician Support Line', crisis: true,
    hours: '8 am – 1 am Eastern, 7 days', contact: [{ label: 'Call 1-888-409-0141', href: 'tel:+18884090141' }],
    notes: 'Free, confidential and anonymous; volunteer psychiatrists; not reportable to medical boards.',
  },
  {
    id: 'eap', name: 'Employee Assistance Program (EAP)', crisis: false,
    hours: 'See your organisation’s benefits', contact: [],
    notes: 'Free counselling for you and your household; the number is on your organisation’s benefits page.',
  },
  {
    id: 'pvp', name: 'Physician Vitality Program therapists', crisis: false,
    hours: 'By appointment', contact: [],
    notes: 'Five free sessions with therapists experienced with physicians and healthcare settings.',
  },
  {
    id: '911', name: 'Emergency: 911', crisis: true,
    hours: 'Always', contact: [{ label: 'Call 911', href: 'tel:911' }],
    notes: 'If you or someone else is in immediate danger.',
  },
]);

/** A list of resource cards; `onlyCrisis` keeps the crisis lines. */
export function resourceList(onlyCrisis = false) {
  return h('ul', { class: 'resources' }, RESOURCES.filter((r) => !onlyCrisis || r.crisis).map((r) => h('li', { class: r.crisis ? 'resource crisis' : 'resource' },
    h('h3', {}, r.name),
    h('p', { class: 'hours' }, r.hours),
    h('p', {}, r.notes),
    r.contact.length ? h('p', { class: 'contact' }, r.contact.map((c) => h('a', { class: 'button', href: c.href }, c.label))) : null,
  )));
}
