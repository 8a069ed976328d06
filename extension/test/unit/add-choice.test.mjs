import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skippedFiles, chosenBytes, choiceProblem } from '../../src/lib/add-choice.js';

const FILES = [{ index: 0, path: 'a/one.bin', length: 100 }, { index: 2, path: 'a/two.bin', length: 50 }]; // 1 is a padding file

test('the files left unticked are the ones skipped, by their own indexes', () => {
  assert.deepEqual(skippedFiles(FILES, new Set([0])), [2]);
  assert.deepEqual(skippedFiles(FILES, new Set([0, 2])), []);
  assert.equal(chosenBytes(FILES, new Set([2])), 50);
});

test('a choice needs a full folder path and at least one file', () => {
  assert.equal(choiceProblem('/home/u/Downloads', FILES, new Set([0])), null);
  assert.equal(choiceProblem('C:\\Users\\u\\Downloads', FILES, new Set([0])), null);
  assert.match(choiceProblem('Downloads', FILES, new Set([0])), /full path/);
  assert.match(choiceProblem('/tmp', FILES, new Set()), /at least one file/);
});
