// One source for the wire: the page modules take every wire string (hub methods and events, codes, states, reasons,
// topics, kinds…) from src/app/wire-contract.js, generated from src/PeerLine.Protocol/Wire. A quoted string in a page
// module that equals a contract value is a second copy of it, and fails here. protocol/ (crypto labels) is not a page
// module; comments are not code. Not counted either: a CSS class (`class: '…'`, a selector), a page event's name
// (emit, on, addEventListener, CustomEvent), a form field's name (form.get), and any string on a line that says
// `not a wire string` (a label or a form value that happens to be spelled like a code).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as contract from '../src/app/wire-contract.js';

const src = new URL('../src/', import.meta.url);
const PAGE_FOLDERS = ['app', 'caller', 'staff', 'compliance'];
const CONTRACT_FILE = 'app/wire-contract.js';

/** Every value of the contract, with the name it has there. */
function contractValues() {
  /** @type {Map<string, string>} */
  const values = new Map();
  for (const [group, members] of Object.entries(contract)) {
    for (const [name, value] of Object.entries(members)) if (!values.has(value)) values.set(value, `${group}.${name}`);
  }
  return values;
}

const MARKER = 'not a wire string';
// What stands right before a literal that names a CSS class, a page event or a form field.
const NOT_WIRE_BEFORE = /(?:\bclass:\s*|\b(?:#?emit|on|addEventListener|CustomEvent|get|querySelector|querySelectorAll|closest)\(\s*)$/;

/**
 * The string literals of a module ('…' and "…", and template literals without substitutions), with their line, comments
 * left out. A small scanner: enough for this code base, which has no regular expression literal containing a quote.
 * @param {string} text
 * @returns {{ value: string, line: number, before: string }[]}
 */
export function stringLiterals(text) {
  const found = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      line++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      line += (text.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 1;
    } else if (c === "'" || c === '"' || c === '`') {
      const start = line;
      const before = text.slice(Math.max(0, i - 40), i);
      let value = '';
      let plain = true;
      for (i++; i < text.length && text[i] !== c; i++) {
        if (text[i] === '\\') value += text[++i];
        else if (c === '`' && text[i] === '$' && text[i + 1] === '{') {
          plain = false;
          let depth = 0;
          for (; i < text.length; i++) {
            if (text[i] === '{') depth++;
            else if (text[i] === '}' && --depth === 0) break;
          }
        } else {
          if (text[i] === '\n') line++;
          value += text[i];
        }
      }
      if (plain) found.push({ value, line: start, before });
    }
  }
  return found;
}

function pageModules() {
  return PAGE_FOLDERS.flatMap((folder) => readdirSync(new URL(`${folder}/`, src))
    .filter((name) => name.endsWith('.js'))
    .map((name) => `${folder}/${name}`))
    .filter((path) => path !== CONTRACT_FILE);
}

/**
 * The literals of a module that could be wire strings.
 * @param {string} text
 */
export function candidates(text) {
  const lines = text.split('\n');
  return stringLiterals(text).filter(({ line, before }) => !NOT_WIRE_BEFORE.test(before) && !lines[line - 1].includes(MARKER));
}

test('the scanner finds string literals and skips comments', () => {
  const text = "// 'in a comment'\nconst a = 'one'; /* \"two\" */ const b = \"three\";\nconst c = `four`; const d = `five ${a}`;\n";
  assert.deepEqual(stringLiterals(text).map(({ value, line }) => ({ value, line })),
    [{ value: 'one', line: 2 }, { value: 'three', line: 2 }, { value: 'four', line: 3 }]);
});

test('class names, page events, form fields and marked lines are not candidates; anything else is', () => {
  const text = [
    "h('p', { class: 'crisis' });",
    "this.#emit('lead', {}); on('lead', f); form.get('soon');",
    "const answer = 'yes'; // not a wire string: a form value",
    "invoke('Claim', 'crisis');",
  ].join('\n');
  assert.deepEqual(candidates(text).map(({ value, line }) => `${line}:${value}`), ['1:p', '4:Claim', '4:crisis']);
});

test('the contract has every group the pages take wire strings from', () => {
  for (const group of ['HubRoutes', 'CallerHub', 'StaffHub', 'CallerEvents', 'StaffEvents', 'ErrorCodes', 'SessionStates', 'ChangeReasons']) {
    assert.ok(Object.keys(contract).includes(group), group);
  }
});

test('no page module repeats a wire string: each takes it from wire-contract.js', () => {
  const values = contractValues();
  const copies = [];
  for (const path of pageModules()) {
    for (const { value, line } of candidates(readFileSync(new URL(path, src), 'utf8'))) {
      if (values.has(value)) copies.push(`src/${path}:${line} '${value}' is ${values.get(value)}`);
    }
  }
  assert.deepEqual(copies, [], `Wire strings written out in page modules (import them from app/wire-contract.js):\n${copies.join('\n')}`);
});
