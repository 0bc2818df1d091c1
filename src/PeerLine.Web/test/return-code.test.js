// Return codes (src/app/return-code.js): what the caller writes down, and what is derived from it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../src/protocol/bytes.js';
import { newReturnCode, normalizeReturnCode, returnEpisodeKey, returnLookup } from '../src/app/return-code.js';

test('a new code is sixteen Crockford base32 characters in four groups, different every time', () => {
  const a = newReturnCode();
  assert.match(a, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  assert.notEqual(a, newReturnCode());
});

test('typing is forgiving: case, spaces and dashes ignored, O read as 0 and I or L as 1; anything else refused', () => {
  assert.equal(normalizeReturnCode(' k7qf-3mzp 9rta-x2b0 '), 'K7QF3MZP9RTAX2B0');
  assert.equal(normalizeReturnCode('K7QF3MZP9RTAX2BO'), 'K7QF3MZP9RTAX2B0');
  assert.equal(normalizeReturnCode('K7QF3MZP9RTAX2BL'), 'K7QF3MZP9RTAX2B1');
  assert.equal(normalizeReturnCode('K7QF3MZP9RTAX2B'), null);
  assert.equal(normalizeReturnCode('K7QF3MZP9RTAX2BU'), null);
  assert.equal(normalizeReturnCode(undefined), null);
});

test('the lookup value and the episode key are fixed by the code and unrelated to each other', async () => {
  const code = 'K7QF3MZP9RTAX2B0';
  const lookup = await returnLookup(code);
  assert.equal(lookup.length, 32);
  assert.deepEqual(await returnLookup(code), lookup);
  const first = await returnEpisodeKey(code);
  const again = await returnEpisodeKey(code);
  assert.deepEqual(first.publicKey, again.publicKey);
  assert.notEqual(toHex(first.publicKey), toHex(lookup));
  assert.notDeepEqual((await returnEpisodeKey('K7QF3MZP9RTAX2B1')).publicKey, first.publicKey);
});
