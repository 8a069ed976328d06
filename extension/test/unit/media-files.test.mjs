import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mediaKind, playChoice, mediaFiles, baseName, playerPath } from '../../src/lib/media-files.js';

test('browsers play MP4, WebM, MP3, FLAC, Ogg, Opus and WAV; Matroska, AVI and QuickTime go to the desktop player', () => {
  for (const name of ['a.mp4', 'a.M4V', 'a.webm', 'dir/b.ogv']) assert.deepEqual(mediaKind(name), { element: 'video', playable: true }, name);
  for (const name of ['a.mp3', 'a.m4a', 'a.ogg', 'a.opus', 'a.FLAC', 'a.wav']) assert.deepEqual(mediaKind(name), { element: 'audio', playable: true }, name);
  for (const name of ['film.mkv', 'old.AVI', 'clip.mov']) assert.deepEqual(mediaKind(name), { element: 'video', playable: false }, name);
  for (const name of ['notes.txt', 'mp4', 'archive.mp4.zip', '', null]) assert.equal(mediaKind(name), null, String(name));
});

test('a file gets Play, Open in your player, or nothing — skipped and empty files get nothing to stream', () => {
  assert.equal(playChoice({ path: 'x/film.mp4', length: 10, priority: 4 }), 'player');
  assert.equal(playChoice({ path: 'x/film.mkv', length: 10, priority: 1 }), 'external');
  assert.equal(playChoice({ path: 'x/film.mp4', length: 10, priority: 0 }), null, 'skipped');
  assert.equal(playChoice({ path: 'x/empty.mp4', length: 0, priority: 4 }), null, 'empty');
  assert.equal(playChoice({ path: 'x/readme.nfo', length: 10, priority: 4 }), null, 'not media');
});

test('the media files of a torrent keep their index and order, with the name a button has room for', () => {
  const files = [
    { index: 0, path: 'Show/readme.txt', length: 100, doneBytes: 0, priority: 4 },
    { index: 1, path: 'Show/ep1.mkv', length: 1000, doneBytes: 0, priority: 4 },
    { index: 2, path: 'Show/ep2.mp4', length: 1000, doneBytes: 0, priority: 4 },
  ];
  assert.deepEqual(mediaFiles(files).map((f) => [f.index, f.name, f.play]), [[1, 'ep1.mkv', 'external'], [2, 'ep2.mp4', 'player']]);
  assert.deepEqual(mediaFiles(undefined), []);
  assert.equal(baseName('a/b/c.webm'), 'c.webm');
});

test('the player page is addressed by info-hash and file index, encoded', () => {
  assert.equal(playerPath('ab'.repeat(20), 3), `player.html?infoHash=${'ab'.repeat(20)}&file=3`);
  assert.equal(playerPath('a&b', 0), 'player.html?infoHash=a%26b&file=0');
});
