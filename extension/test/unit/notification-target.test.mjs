import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notificationTorrent, torrentNotificationId } from '../../src/lib/notification-target.js';

const V1 = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
const V2 = 'ab'.repeat(32);

test('a completion or failure notice names its torrent, v1 or v2', () => {
  assert.equal(notificationTorrent(torrentNotificationId('done', V1)), V1);
  assert.equal(notificationTorrent(torrentNotificationId('failed', V2)), V2);
});

test('other notices open nothing', () => {
  assert.equal(notificationTorrent('capture-failed'), null);
  assert.equal(notificationTorrent(`done-${V1}x`), null);
  assert.equal(notificationTorrent(`done-${V1.toUpperCase()}`), null);
  assert.equal(notificationTorrent(undefined), null);
});
