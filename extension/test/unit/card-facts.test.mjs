import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  shownRates, sizeText, shareRatio, formatRatio, trackPeerless, deadMagnetHint, DEAD_MAGNET_AFTER_MS, staleNote,
} from '../../src/lib/card-facts.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const t = (state, fields = {}) => ({ infoHash: A, name: 'x', state, totalBytes: 4096, verifiedBytes: 1024, downloadedBytes: 1024,
  uploadedBytes: 0, peers: 0, seeds: 0, ...fields });

test('paused, completed and failed torrents show no speed; a seeder only its upload', () => {
  for (const state of ['PAUSED', 'COMPLETED', 'ERROR']) assert.deepEqual(shownRates(t(state)), { down: false, up: false }, state);
  assert.deepEqual(shownRates(t('SEEDING')), { down: false, up: true });
  for (const state of ['DOWNLOADING', 'FETCHING_METADATA', 'CHECKING']) assert.deepEqual(shownRates(t(state)), { down: true, up: true }, state);
});

test('size reads as done of total, the total alone when complete, and says why it is missing before metadata', () => {
  assert.equal(sizeText(t('DOWNLOADING')), '1 KiB of 4 KiB');
  assert.equal(sizeText(t('SEEDING')), '4 KiB');
  assert.equal(sizeText(t('DOWNLOADING', { verifiedBytes: 4096 })), '4 KiB');
  assert.equal(sizeText(t('FETCHING_METADATA', { totalBytes: 0, verifiedBytes: 0 })), 'Size unknown until the metadata arrives');
});

test('ratio is uploaded over downloaded, over verified bytes for a torrent seeded from disk, none before any data', () => {
  assert.equal(formatRatio(shareRatio(t('SEEDING', { downloadedBytes: 1000, uploadedBytes: 2500 }))), '2.50');
  assert.equal(formatRatio(shareRatio(t('SEEDING', { downloadedBytes: 0, verifiedBytes: 4096, uploadedBytes: 1024 }))), '0.25');
  assert.equal(formatRatio(shareRatio(t('FETCHING_METADATA', { downloadedBytes: 0, verifiedBytes: 0 }))), '—');
});

test('a magnet with no peer gets the dead-link hint only after the written time, counted from when it first had none', () => {
  const fetching = t('FETCHING_METADATA', { totalBytes: 0, verifiedBytes: 0 });
  let since = trackPeerless({}, [fetching], 1000);
  assert.deepEqual(since, { [A]: 1000 });
  since = trackPeerless(since, [fetching], 50_000);
  assert.equal(since[A], 1000, 'keeps the first time');
  assert.equal(deadMagnetHint(fetching, since, 1000 + DEAD_MAGNET_AFTER_MS - 1), null);
  assert.match(deadMagnetHint(fetching, since, 1000 + DEAD_MAGNET_AFTER_MS), /No peer found in 3 minutes: this magnet link may be dead/);
});

test('a peer, metadata or removal resets the dead-link clock', () => {
  const since = { [A]: 0, [B]: 0 };
  const withPeer = t('FETCHING_METADATA', { peers: 1 });
  assert.deepEqual(trackPeerless(since, [withPeer], 10), {}, 'a peer showed up; the other torrent is gone');
  assert.deepEqual(trackPeerless(since, [t('DOWNLOADING')], 10), {});
  assert.equal(deadMagnetHint(withPeer, since, DEAD_MAGNET_AFTER_MS * 2), null, 'never while it has a peer');
  assert.deepEqual(trackPeerless({ [A]: 5 }, [t('FETCHING_METADATA')], 10), { [A]: 5 });
});

test('the list is marked stale while disconnected or loading, and not when there is nothing to mark', () => {
  assert.match(staleNote('reconnecting', false, 2), /last values the helper reported/);
  assert.match(staleNote('not_running', true, 2), /not live/);
  assert.match(staleNote('connected', false, 2), /Loading/);
  assert.equal(staleNote('connected', true, 2), null);
  assert.equal(staleNote('reconnecting', false, 0), null);
});
