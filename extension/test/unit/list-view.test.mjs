import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleTorrents, normaliseListView, FILTERS, SORTS, DEFAULT_LIST_VIEW } from '../../src/lib/list-view.js';

const t = (hex, name, state, fields = {}) => ({
  infoHash: hex.repeat(40), name, state, totalBytes: 1000, verifiedBytes: 0, downloadedBytes: 0, uploadedBytes: 0,
  downloadRateBytesPerSecond: 0, uploadRateBytesPerSecond: 0, peers: 0, seeds: 0, etaSeconds: null, error: null, boost: null, ...fields,
});
const list = [
  t('a', 'Debian netinst', 'DOWNLOADING', { verifiedBytes: 500, downloadRateBytesPerSecond: 300, etaSeconds: 20 }),
  t('b', 'arch linux', 'SEEDING', { verifiedBytes: 1000, totalBytes: 5000, uploadRateBytesPerSecond: 90 }),
  t('c', 'Big Buck Bunny', 'PAUSED', { verifiedBytes: 100 }),
  t('d', null, 'FETCHING_METADATA', { totalBytes: 0 }),
  t('e', 'broken', 'ERROR', { error: 'disk full' }),
  t('f', 'Finished', 'COMPLETED', { verifiedBytes: 1000 }),
];
const names = (ts) => ts.map((x) => x.name ?? x.infoHash.slice(0, 4));

test('the default shows every torrent sorted by name, case-insensitively, the nameless magnet by its placeholder', () => {
  assert.deepEqual(names(visibleTorrents(list)), ['arch linux', 'Big Buck Bunny', 'broken', 'Debian netinst', 'Finished', 'dddd']);
});

test('each filter keeps only the torrents in its states', () => {
  const by = (filter) => names(visibleTorrents(list, { ...DEFAULT_LIST_VIEW, filter }));
  assert.deepEqual(by('active'), ['Debian netinst', 'dddd']);
  assert.deepEqual(by('seeding'), ['arch linux']);
  assert.deepEqual(by('completed'), ['arch linux', 'Finished']);
  assert.deepEqual(by('paused'), ['Big Buck Bunny']);
  assert.deepEqual(by('error'), ['broken']);
});

test('the search matches the name in any case, or the start of the info-hash', () => {
  assert.deepEqual(names(visibleTorrents(list, { ...DEFAULT_LIST_VIEW, query: '  BUNNY ' })), ['Big Buck Bunny']);
  assert.deepEqual(names(visibleTorrents(list, { ...DEFAULT_LIST_VIEW, query: 'dddd' })), ['dddd']);
  assert.deepEqual(visibleTorrents(list, { ...DEFAULT_LIST_VIEW, query: 'nothing like it' }), []);
});

test('sorts by progress, size, speeds and time left; descending flips; unknown time left goes last', () => {
  const by = (sort, descending = false) => names(visibleTorrents(list, { ...DEFAULT_LIST_VIEW, sort, descending }));
  assert.deepEqual(by('progress', true).slice(0, 3), ['arch linux', 'Finished', 'Debian netinst']);
  assert.deepEqual(by('size', true)[0], 'arch linux');
  assert.deepEqual(by('down', true)[0], 'Debian netinst');
  assert.deepEqual(by('up', true)[0], 'arch linux');
  assert.deepEqual(by('eta')[0], 'Debian netinst');
});

test('a stored choice from another version falls back to the defaults instead of hiding the list', () => {
  assert.deepEqual(normaliseListView({ filter: 'stalled', sort: 'added', descending: 'yes', query: 7 }), DEFAULT_LIST_VIEW);
  assert.deepEqual(normaliseListView(undefined), DEFAULT_LIST_VIEW);
  assert.deepEqual(normaliseListView({ filter: 'paused', sort: 'eta', descending: true, query: 'x' }),
    { filter: 'paused', sort: 'eta', descending: true, query: 'x' });
  assert.equal(normaliseListView({ filter: 'constructor' }).filter, 'all', 'no prototype keys');
  assert.deepEqual(names(visibleTorrents(list, { filter: 'nope', sort: 'nope' })), names(visibleTorrents(list)));
});

test('every filter and sort has a label for the popup', () => {
  for (const f of Object.values(FILTERS)) assert.ok(f.label);
  for (const s of Object.values(SORTS)) assert.ok(s.label);
});
