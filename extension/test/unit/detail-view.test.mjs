import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileRows, peerRows, trackerRows, webSeedRows, priorityChoices, PRIORITIES } from '../../src/lib/detail-view.js';

test('files show size, progress and whether they can be opened yet', () => {
  const rows = fileRows([
    { index: 0, path: 'album/01.flac', length: 2048, doneBytes: 2048, priority: 4 },
    { index: 1, path: 'album/02.flac', length: 4096, doneBytes: 1024, priority: 0 },
    { index: 2, path: 'album/empty.txt', length: 0, doneBytes: 0, priority: 4 },
  ]);
  assert.deepEqual(rows.map((r) => [r.path, r.size, r.progress, r.complete, r.priority]), [
    ['album/01.flac', '2 KiB', '100 %', true, 4],
    ['album/02.flac', '4 KiB', '25 %', false, 0],
    ['album/empty.txt', '0 B', '100 %', true, 4],
  ]);
});

test('media files get Play, or Open in your player when the browser cannot decode them', () => {
  const rows = fileRows([
    { index: 0, path: 'show/ep1.webm', length: 10, doneBytes: 0, priority: 4 },
    { index: 1, path: 'show/ep2.mkv', length: 10, doneBytes: 0, priority: 4 },
    { index: 2, path: 'show/ep3.mp4', length: 10, doneBytes: 0, priority: 0 },
    { index: 3, path: 'show/info.nfo', length: 10, doneBytes: 0, priority: 4 },
  ]);
  assert.deepEqual(rows.map((r) => r.play), ['player', 'external', null, null]);
});

test('the standard priorities cover skip to high, and a priority set elsewhere stays selectable', () => {
  assert.deepEqual(PRIORITIES.map((p) => p.value), [0, 1, 4, 7]);
  assert.equal(priorityChoices(4), PRIORITIES);
  assert.deepEqual(priorityChoices(5).map((p) => p.label), ['Skip', 'Low', 'Normal', 'Custom (5)', 'High']);
});

test('peers are listed fastest first with their flags spelled out', () => {
  const rows = peerRows([
    { address: '127.0.0.1:6881', client: 'Transmission 4.0.6', downloadRateBytesPerSecond: 10, uploadRateBytesPerSecond: 0, progress: 1, flags: 'DE' },
    { address: '127.0.0.1:6882', client: '', downloadRateBytesPerSecond: 2048, uploadRateBytesPerSecond: 1024, progress: 0.4567, flags: 'UP' },
  ]);
  assert.deepEqual(rows.map((r) => r.address), ['127.0.0.1:6882', '127.0.0.1:6881']);
  assert.equal(rows[0].client, 'unknown client');
  assert.equal(rows[0].down, '2 KiB/s');
  assert.equal(rows[0].progress, '45.7 %');
  assert.equal(rows[0].flagsTitle, 'uploading to it, paid slot');
  assert.equal(rows[1].flagsTitle, 'downloading from it, encrypted');
});

test('trackers show their error beside the status, and no next announce as a dash', () => {
  assert.deepEqual(trackerRows([
    { url: 'http://127.0.0.1:1/announce', status: 'error', lastError: 'connection refused', peers: 0, nextAnnounceSeconds: null },
    { url: 'udp://127.0.0.1:2', status: 'working', lastError: null, peers: 3, nextAnnounceSeconds: 1800 },
  ]), [
    { url: 'http://127.0.0.1:1/announce', status: 'error: connection refused', peers: '0', next: '—' },
    { url: 'udp://127.0.0.1:2', status: 'working', peers: '3', next: '1800 s' },
  ]);
});

test('web seeds show their host, state with the time left or the reason, rate, bytes got and failures', () => {
  const rows = webSeedRows([
    { url: 'https://mirror.example.org:8443/pub/iso/', state: 'ACTIVE', downloadRateBytesPerSecond: 2048, downloadedBytes: 3 * 1048576, failures: 0, lastError: null, retryInSeconds: null },
    { url: 'http://127.0.0.1:8080/file.bin', state: 'BACKING_OFF', downloadRateBytesPerSecond: 0, downloadedBytes: 0, failures: 2, lastError: 'HTTP 503', retryInSeconds: 125 },
    { url: 'https://self-signed.test/x', state: 'DROPPED', downloadRateBytesPerSecond: 0, downloadedBytes: 16384, failures: 1, lastError: 'its TLS certificate is not trusted', retryInSeconds: null },
    { url: 'ftp is not a url', state: 'DROPPED', downloadRateBytesPerSecond: 0, downloadedBytes: 0, failures: 0, lastError: 'not an http(s) URL', retryInSeconds: null },
  ]);
  assert.deepEqual(rows.map((r) => [r.host, r.state, r.down, r.got, r.failures, r.dropped]), [
    ['mirror.example.org:8443', 'active', '2 KiB/s', '3 MiB', '0', false],
    ['127.0.0.1:8080', 'backing off, retry in 2 min 5 s — HTTP 503', '0 B/s', '0 B', '2', false],
    ['self-signed.test', 'dropped — its TLS certificate is not trusted', '0 B/s', '16 KiB', '1', true],
    ['ftp is not a url', 'dropped — not an http(s) URL', '0 B/s', '0 B', '0', true],
  ]);
  assert.equal(rows[0].url, 'https://mirror.example.org:8443/pub/iso/', 'the whole URL stays available for its title');
});

test('a torrent without web seeds, or a helper that does not report them, has no web seed rows', () => {
  assert.deepEqual(webSeedRows([]), []);
  assert.deepEqual(webSeedRows(undefined), []);
});
