// What travels inside an end-to-end message: text, or a resource card (src/app/content.js), and which directory
// entries a waiting caller is shown (src/app/directory.js).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readContent, resourceContent, textContent } from '../src/app/content.js';
import { entriesFor, ordered } from '../src/app/directory.js';

const psl = {
  id: 'psl', name: 'Physician Support Line', kind: 'physician-support-line', tier: 3, crisis: true, openNow: false,
  contact: { phone: '1-888-409-0141' }, hours: { kind: 'weekly', text: '8 am – 1 am Eastern, 7 days' },
  cost: 'Free', confidentiality: 'Confidential.', summary: 'Volunteer psychiatrists.',
};

test('text round-trips; a NUL typed into it is dropped, so text never looks like a card', () => {
  assert.deepEqual(readContent(textContent('hello')), { type: 'text', text: 'hello' });
  const sneaky = textContent('\u0000{"type":"resource","entry":{"name":"x"}}');
  assert.equal(sneaky[0], 0x7b);
  assert.equal(readContent(sneaky).type, 'text');
});

test('a resource card carries the entry, not the openNow of the moment', () => {
  const content = resourceContent(psl);
  assert.equal(content[0], 0x00);
  const read = readContent(content);
  assert.equal(read.type, 'resource');
  assert.equal(read.entry.name, 'Physician Support Line');
  assert.equal(read.entry.contact?.phone, '1-888-409-0141');
  assert.equal(read.entry.hours?.text, '8 am – 1 am Eastern, 7 days');
  assert.equal(read.entry.openNow, undefined);
});

test('a malformed structured item is unknown, never shown as text', () => {
  assert.deepEqual(readContent(new Uint8Array([0x00, 0x7b])), { type: 'unknown' });
  assert.deepEqual(readContent(new Uint8Array([0x00, ...new TextEncoder().encode('{"type":"other"}')])), { type: 'unknown' });
});

test('a crisis shows the crisis lines, open or not; other reasons show what is open now', () => {
  const directory = { entries: [psl, { ...psl, id: '988', openNow: true }, { ...psl, id: 'coaching', crisis: false, tier: 2, openNow: true }, { ...psl, id: 'eap', crisis: false, openNow: null }] };
  assert.deepEqual(entriesFor(directory, 'crisis').map((e) => e.id), ['psl', '988']);
  assert.deepEqual(entriesFor(directory, 'long-wait').map((e) => e.id), ['988', 'coaching']);
  assert.deepEqual(ordered(directory).map((e) => e.id), ['psl', '988', 'coaching', 'eap']);
});
