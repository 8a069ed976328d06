import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  rangeSegments, rangesLabel, keyAction, seekTarget, formatClock, liveFacts, grantProblem, streamProblem, covers,
  isLoopbackStreamUrl, OPENING_BYTES,
} from '../../src/lib/player-view.js';

test('downloaded ranges become seek-bar segments in percent, sorted, merged and clipped to the file', () => {
  assert.deepEqual(rangeSegments([[0, 250], [800, 1000]], 1000), [{ left: 0, width: 25 }, { left: 80, width: 20 }]);
  assert.deepEqual(rangeSegments([[800, 1000], [0, 100], [100, 250], [200, 300]], 1000), [{ left: 0, width: 30 }, { left: 80, width: 20 }],
    'touching and overlapping ranges make one segment');
  assert.deepEqual(rangeSegments([[-5, 10], [990, 5000]], 1000), [{ left: 0, width: 1 }, { left: 99, width: 1 }], 'clipped to the file');
  assert.deepEqual(rangeSegments([[1, 2]], 3), [{ left: 33.33, width: 33.33 }], 'two decimals');
});

test('nonsense ranges draw nothing rather than a wrong bar', () => {
  assert.deepEqual(rangeSegments([[5, 5], [9, 3], ['a', 4], [1], null], 10), []);
  assert.deepEqual(rangeSegments([[0, 10]], 0), [], 'size unknown');
  assert.deepEqual(rangeSegments(undefined, 10), []);
});

test('a screen reader hears which parts are downloaded', () => {
  assert.equal(rangesLabel([], 100), 'Nothing of this file is downloaded yet.');
  assert.equal(rangesLabel([[0, 100]], 100), 'The whole file is downloaded.');
  assert.equal(rangesLabel([[0, 125], [800, 1000]], 1000), 'Downloaded: 0–13 %, 80–100 % of the file.');
});

test('keys: space plays or pauses, arrows jump, F full screen, M mute', () => {
  const on = (key, target = {}) => keyAction({ key, targetTag: 'BODY', ...target });
  assert.equal(on(' '), 'toggle');
  assert.equal(on('k'), 'toggle');
  assert.equal(on('ArrowLeft'), 'back');
  assert.equal(on('ArrowRight'), 'forward');
  assert.equal(on('f'), 'fullscreen');
  assert.equal(on('F'), 'fullscreen');
  assert.equal(on('m'), 'mute');
  assert.equal(on('x'), null);
  assert.equal(on('ArrowLeft', { targetTag: 'INPUT', targetType: 'range' }), 'back', 'the seek bar jumps 5 s too, not 0.1 %');
});

test('keys stay with the browser or the focused control where they mean something else', () => {
  assert.equal(keyAction({ key: ' ', targetTag: 'BUTTON' }), null, 'space clicks the focused button itself');
  assert.equal(keyAction({ key: 'f', targetTag: 'BODY', ctrlKey: true }), null, 'Ctrl+F finds');
  assert.equal(keyAction({ key: 'ArrowLeft', targetTag: 'BODY', altKey: true }), null, 'Alt+← goes back');
  assert.equal(keyAction({ key: 'm', targetTag: 'INPUT', targetType: 'text' }), null);
  assert.equal(keyAction({ key: 'm', targetTag: 'select' }), null);
});

test('a jump stays inside the media', () => {
  assert.equal(seekTarget(3, -5, 60), 0);
  assert.equal(seekTarget(58, 5, 60), 60);
  assert.equal(seekTarget(10, 5, 60), 15);
  assert.equal(seekTarget(10, 5, NaN), 15, 'unknown duration');
  assert.equal(seekTarget(10, 5, Infinity), 15, 'a live-like stream');
});

test('clock labels', () => {
  assert.equal(formatClock(0), '0:00');
  assert.equal(formatClock(65.9), '1:05');
  assert.equal(formatClock(3723), '1:02:03');
  assert.equal(formatClock(NaN), '–:––');
});

test('the facts line: speed, peers, read-ahead and how much of the file is there', () => {
  const f = liveFacts({ grant: { size: 4 * 1024 * 1024 }, downloadedRanges: [[0, 1024 * 1024]], bufferedAhead: 512 * 1024, downloadRate: 2048, peers: 1, state: 'DOWNLOADING' });
  assert.deepEqual(f, { speed: '2 KiB/s', peers: '1 peer', ahead: '512 KiB ready ahead', downloaded: '25 % of 4 MiB downloaded', state: 'Downloading' });
  const done = liveFacts({ grant: { size: 10 }, downloadedRanges: [[0, 10]], bufferedAhead: 0, downloadRate: 0, peers: 0, state: 'SEEDING' });
  assert.equal(done.ahead, 'all downloaded');
  assert.equal(done.peers, '0 peers');
});

test('a refused grant: metadata not yet known waits and retries; an unknown file says so and stops', () => {
  assert.deepEqual(grantProblem({ code: 'METADATA_PENDING', status: 409, message: 'x' }).kind, 'metadata');
  assert.equal(grantProblem({ status: 409 }).retry, true);
  const gone = grantProblem({ code: 'TORRENT_NOT_FOUND', status: 404, message: 'no torrent aaaa' });
  assert.equal(gone.retry, false);
  assert.match(gone.message, /no longer in Magnetar’s list \(no torrent aaaa\)/);
  assert.match(grantProblem({ code: 'FILE_NOT_FOUND', status: 404, message: 'no file 7' }).message, /no such file \(no file 7\)/);
  const other = grantProblem({ code: 'INVALID_REQUEST', status: 400, message: 'file index 9 is out of range' });
  assert.equal(other.retry, false);
  assert.match(other.message, /would not stream this file: file index 9 is out of range/);
});

test('a helper still starting (503 HELPER_STARTING) is asked again, never taken for a torrent that is gone', () => {
  const p = grantProblem({ code: 'HELPER_STARTING', status: 503, message: 'the helper is still bringing back the last session' });
  assert.equal(p.kind, 'starting');
  assert.equal(p.retry, true);
  assert.match(p.message, /still starting/);
});

test('the helper gone: the player says so and waits for it to come back', () => {
  const p = grantProblem({ code: 'HELPER_UNREACHABLE', message: 'not connected' });
  assert.equal(p.kind, 'helper-gone');
  assert.equal(p.retry, true);
  assert.equal(streamProblem(2, { unreachable: true }).kind, 'helper-gone');
});

test('a stream error while bytes are missing (the helper\'s 503 after its wait) is "waiting for data", not a dead end', () => {
  const size = 10 * OPENING_BYTES;
  const onlyStart = { ranges: [[0, OPENING_BYTES]], size };
  assert.deepEqual(streamProblem(2, { status: 200 }, onlyStart), { kind: 'waiting', message: 'Waiting for data from peers…' });
  assert.equal(streamProblem(4, { status: 200 }, onlyStart).kind, 'waiting', '"not supported" before the moov at the end arrived');
  assert.equal(streamProblem(4, { status: 503 }, { ranges: [[0, size]], size }).kind, 'waiting');
});

test('an expired or revoked capability asks for a new grant', () => {
  assert.equal(streamProblem(2, { status: 404 }).kind, 'gone');
});

test('the browser cannot decode it: a decode error, or "not supported" although both ends of the file were there', () => {
  const size = 10 * OPENING_BYTES;
  const ends = { ranges: [[0, OPENING_BYTES], [size - OPENING_BYTES, size]], size };
  assert.equal(streamProblem(4, { status: 200 }, ends).kind, 'undecodable');
  assert.equal(streamProblem(3, { status: 200 }, { ranges: [], size }).kind, 'undecodable');
  assert.equal(streamProblem(4, { status: 200 }, { ranges: [[0, 100]], size: 100 }).kind, 'undecodable', 'a small file, all there');
});

test('covers: one range must hold the whole span', () => {
  assert.equal(covers([[0, 10], [10, 20]], 5, 15), false, 'ranges are merged by the helper; a split is a gap');
  assert.equal(covers([[0, 20]], 5, 15), true);
  assert.equal(covers([], 3, 3), true, 'an empty span');
});

test('only a loopback /stream/ URL is handed to the media element', () => {
  assert.equal(isLoopbackStreamUrl('http://127.0.0.1:4321/stream/abc/film.mp4'), true);
  assert.equal(isLoopbackStreamUrl('http://[::1]:4321/stream/abc/film.mp4'), true);
  assert.equal(isLoopbackStreamUrl('http://localhost:4321/stream/abc/x'), true);
  assert.equal(isLoopbackStreamUrl('http://evil.example/stream/abc/x'), false);
  assert.equal(isLoopbackStreamUrl('https://127.0.0.1:4321/stream/abc/x'), false);
  assert.equal(isLoopbackStreamUrl('http://127.0.0.1:4321/api/v1/torrents'), false);
  assert.equal(isLoopbackStreamUrl('http://127.0.0.1.evil.example/stream/x'), false);
  assert.equal(isLoopbackStreamUrl(undefined), false);
});
