import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kibPerSecondToBytes, bytesToKibPerSecondText, RateLimitError, MAX_BYTES_PER_SECOND } from '../../src/lib/rate-limit.js';

test('KiB/s typed in the options page become the helper\'s bytes per second', () => {
  assert.equal(kibPerSecondToBytes('512'), 524288);
  assert.equal(kibPerSecondToBytes(' 1 '), 1024);
  assert.equal(kibPerSecondToBytes(''), 0, 'empty: no limit');
  assert.equal(kibPerSecondToBytes('0'), 0);
  assert.equal(kibPerSecondToBytes(undefined), 0);
  assert.equal(kibPerSecondToBytes(String(MAX_BYTES_PER_SECOND / 1024)), MAX_BYTES_PER_SECOND);
});

test('anything but a whole number of KiB/s up to the helper\'s maximum is refused with a reason', () => {
  for (const bad of ['-1', '1.5', '1e3', 'fast', String(MAX_BYTES_PER_SECOND / 1024 + 1), '9'.repeat(30)]) {
    assert.throws(() => kibPerSecondToBytes(bad), RateLimitError, bad);
  }
  assert.throws(() => kibPerSecondToBytes('fast'), /not a whole number of KiB\/s/);
});

test('the helper\'s limits show as KiB/s, none as an empty field', () => {
  assert.equal(bytesToKibPerSecondText(0), '');
  assert.equal(bytesToKibPerSecondText(524288), '512');
  assert.equal(bytesToKibPerSecondText(1000), '1', 'rounded up, never shown as 0 = none');
  assert.equal(bytesToKibPerSecondText(undefined), '');
});
