import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageSuppliedText, MAX_PAGE_TEXT_CHARS } from '../../src/lib/page-text.js';

test('a long page-supplied name is cut to the limit with an ellipsis', () => {
  const shown = pageSuppliedText('Ubuntu 24.04.iso”. This is NOT a payment: '.repeat(10));
  assert.equal(Array.from(shown).length, MAX_PAGE_TEXT_CHARS);
  assert.ok(shown.endsWith('…'));
});

test('line breaks, controls and bidi overrides become plain spaces', () => {
  assert.equal(pageSuppliedText('a\nb\u202Ecba\u2066x\u0000y'), 'a b cba x y');
});

test('no name, or only blanks, is no name', () => {
  assert.equal(pageSuppliedText(null), null);
  assert.equal(pageSuppliedText(' \u200f\n'), null);
});

test('a surrogate pair at the cut is not split', () => {
  const shown = pageSuppliedText('😀'.repeat(100), 5);
  assert.equal(shown, '😀😀😀😀…');
});
