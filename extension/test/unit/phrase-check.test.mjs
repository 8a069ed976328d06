import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickPositions, wrongWords, passwordProblem, normalisePhrase, CONFIRM_WORDS } from '../../src/lib/phrase-check.js';

const PHRASE = 'abandon ability able about above absent absorb abstract absurd abuse access accident';

test('three distinct positions are asked, in order, whatever the random source repeats', () => {
  const values = [0.5, 0.5, 0.5, 0.01, 0.99];
  const positions = pickPositions(12, () => values.shift());
  assert.deepEqual(positions, [0, 6, 11]);
  for (let i = 0; i < 200; i++) {
    const p = pickPositions(12);
    assert.equal(new Set(p).size, CONFIRM_WORDS);
    assert.ok(p.every((x) => x >= 0 && x < 12));
  }
});

test('the typed words must match the phrase at those positions; case and spaces do not matter', () => {
  assert.deepEqual(wrongWords(PHRASE, [0, 6, 11], [' Abandon ', 'absorb', 'ACCIDENT']), []);
  assert.deepEqual(wrongWords(PHRASE, [0, 6, 11], ['abandon', 'absurd', '']), [7, 12]);
});

test('a new password needs 8 characters and the same twice', () => {
  assert.match(passwordProblem('short', 'short'), /at least 8/);
  assert.match(passwordProblem('long enough', 'long enougH'), /differ/);
  assert.equal(passwordProblem('long enough', 'long enough'), null);
});

test('a pasted phrase with numbers, line breaks and capitals reads as the plain words', () => {
  assert.equal(normalisePhrase('1. Abandon 2) ability\n3. able   about'), 'abandon ability able about');
});
