import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRatio, parseMinutes, limitText, goalText, SeedingGoalError } from '../../src/lib/seeding-goal.js';

test('a ratio is typed as a decimal, with a point or a comma; empty or 0 is no limit', () => {
  assert.equal(parseRatio('2'), 2);
  assert.equal(parseRatio(' 1.5 '), 1.5);
  assert.equal(parseRatio('1,5'), 1.5);
  assert.equal(parseRatio(''), null);
  assert.equal(parseRatio('0'), null);
});

test('nonsense ratios are refused with what to type', () => {
  assert.throws(() => parseRatio('-1'), SeedingGoalError);
  assert.throws(() => parseRatio('two'), /not a ratio \(a number such as 2 or 1\.5/);
  assert.throws(() => parseRatio('10000'), /more than 9998/);
});

test('minutes are whole, up to a year; empty or 0 is no limit', () => {
  assert.equal(parseMinutes('90'), 90);
  assert.equal(parseMinutes(''), null);
  assert.equal(parseMinutes('0'), null);
  assert.throws(() => parseMinutes('1.5'), /whole number of minutes/);
  assert.throws(() => parseMinutes('525601'), /more than a year/);
});

test('goals read as a sentence; fields show nothing for no limit', () => {
  assert.equal(goalText({ ratioLimit: 2, seedingTimeLimitMinutes: 90 }), 'stop seeding at ratio 2 or after 90 min of seeding');
  assert.equal(goalText({ ratioLimit: null, seedingTimeLimitMinutes: null }), 'seed for ever');
  assert.equal(limitText(0), '');
  assert.equal(limitText(null), '');
  assert.equal(limitText(1.5), '1.5');
});
