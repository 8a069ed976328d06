// Notification ids name what they are about, so that a click on one can open it: "<kind>-<info-hash>".
// Ids are the browser's (notifications.create replaces one with the same id: one notice per torrent and kind).

const TORRENT_NOTIFICATION = /^(done|failed)-([0-9a-f]{40}|[0-9a-f]{64})$/;

/** The id of a notification about one torrent; kind is 'done' or 'failed'. */
export function torrentNotificationId(kind, infoHash) {
  return `${kind}-${infoHash}`;
}

/** The info-hash a notification is about, or null for one that is not about a torrent. */
export function notificationTorrent(notificationId) {
  const m = TORRENT_NOTIFICATION.exec(String(notificationId));
  return m ? m[2] : null;
}
