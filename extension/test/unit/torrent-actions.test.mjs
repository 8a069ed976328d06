import { test } from 'node:test';
import assert from 'node:assert/strict';
import { torrentActions } from '../../src/lib/torrent-actions.js';

const actions = (state) => torrentActions({ infoHash: 'ab'.repeat(20), state });

test('a running torrent offers Pause, a paused one Resume', () => {
  for (const state of ['DOWNLOADING', 'SEEDING', 'CHECKING', 'FETCHING_METADATA']) {
    assert.deepEqual(actions(state).primary, { action: 'pause', label: 'Pause' }, state);
  }
  assert.deepEqual(actions('PAUSED').primary, { action: 'resume', label: 'Resume' });
});

test('a torrent that reached its seeding goal (COMPLETED) offers to seed again', () => {
  assert.deepEqual(actions('COMPLETED').primary, { action: 'resume', label: 'Seed again' });
});

test('a torrent in ERROR offers Resume, which the helper turns into reopening and rechecking its files', () => {
  assert.deepEqual(actions('ERROR').primary, { action: 'resume', label: 'Resume' });
  assert.equal(actions('ERROR').canRecheck, true);
});

test('Recheck is offered once there are files to check, and not while a check runs', () => {
  for (const state of ['DOWNLOADING', 'SEEDING', 'PAUSED', 'ERROR', 'COMPLETED']) {
    assert.equal(actions(state).canRecheck, true, state);
  }
  assert.equal(actions('FETCHING_METADATA').canRecheck, false, 'no metadata: nothing to check');
  assert.equal(actions('CHECKING').canRecheck, false, 'already checking');
});
