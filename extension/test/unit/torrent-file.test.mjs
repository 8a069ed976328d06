import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isTorrentFileUrl, checkTorrentFile, torrentFileName, InvalidTorrentFileError, MAX_TORRENT_FILE_BYTES } from '../../src/lib/torrent-file.js';

const b64 = (text) => Buffer.from(text, 'latin1').toString('base64');

test('a link is a .torrent link when its http(s) path ends in .torrent, whatever the query says', () => {
  assert.equal(isTorrentFileUrl('https://tracker.example/dl/ubuntu.iso.torrent'), true);
  assert.equal(isTorrentFileUrl('http://127.0.0.1:8080/x/A.TORRENT?passkey=abc#top'), true);
  assert.equal(isTorrentFileUrl('https://example.com/download.php?file=a.torrent'), false, 'only the path counts');
  assert.equal(isTorrentFileUrl('ftp://example.com/a.torrent'), false);
  assert.equal(isTorrentFileUrl('file:///home/u/a.torrent'), false, 'a page cannot hand us local files');
  assert.equal(isTorrentFileUrl('magnet:?xt=urn:btih:00'), false);
  assert.equal(isTorrentFileUrl('not a url.torrent'), false);
});

test('a bencoded dictionary is accepted and its size returned', () => {
  const file = 'd8:announce20:http://t.example/a4:infod4:name1:xee';
  assert.equal(checkTorrentFile(b64(file)), file.length);
});

test('an HTML page served in place of the file is refused with a reason the user can act on', () => {
  assert.throws(() => checkTorrentFile(b64('<!doctype html><title>Log in</title>')), (e) => e instanceof InvalidTorrentFileError && /log in/.test(e.message));
});

test('empty, damaged and oversized files are refused before the helper sees them', () => {
  assert.throws(() => checkTorrentFile(''), /empty/);
  assert.throws(() => checkTorrentFile('ZDE6YWU*'), /not base64/);
  const big = 'd' + 'x'.repeat(MAX_TORRENT_FILE_BYTES);
  assert.throws(() => checkTorrentFile(b64(big)), /up to 7864320 bytes/);
  assert.equal(checkTorrentFile(b64('d' + 'x'.repeat(MAX_TORRENT_FILE_BYTES - 1))), MAX_TORRENT_FILE_BYTES, 'exactly the limit passes');
});

test('the name shown before the helper read the file is the last path part, decoded', () => {
  assert.equal(torrentFileName('https://t.example/files/Big%20Buck%20Bunny.torrent?k=1'), 'Big Buck Bunny.torrent');
  assert.equal(torrentFileName('https://t.example/'), 'https://t.example/');
});
