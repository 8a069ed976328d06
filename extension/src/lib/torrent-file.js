// .torrent links (BEP 3 metainfo files) caught on pages: what the extension accepts before it hands the
// bytes to the helper's POST /torrents/file, and what it shows for a file it has not parsed.

/**
 * The helper takes a .torrent base64-encoded in a JSON body of at most 10 MiB (ApiRoutes), which holds
 * 7.5 MiB of file. Real .torrent files are kilobytes to a few MiB (the piece hashes of a large torrent).
 */
export const MAX_TORRENT_FILE_BYTES = 7.5 * 1024 * 1024;

export class InvalidTorrentFileError extends Error {
  constructor(message) {
    super(message);
    this.name = 'InvalidTorrentFileError';
  }
}

/** True for a link whose path names a .torrent file over http(s); the query and fragment do not count. */
export function isTorrentFileUrl(href) {
  let url;
  try {
    url = new URL(href);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && /\.torrent$/i.test(url.pathname);
}

/**
 * Checks the base64 text of a fetched file: not empty, within the helper's limit, and a bencoded
 * dictionary (BEP 3: a metainfo file is one, so it starts with "d"). Returns its size in bytes. An HTML
 * login page served in place of the file is the usual failure, and this says so instead of the helper's
 * parse error.
 */
export function checkTorrentFile(base64) {
  if (typeof base64 !== 'string' || base64.length === 0) throw new InvalidTorrentFileError('the link gave an empty file');
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const bytes = (base64.length / 4) * 3 - padding;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) throw new InvalidTorrentFileError('the file did not arrive intact (not base64)');
  if (bytes > MAX_TORRENT_FILE_BYTES) {
    throw new InvalidTorrentFileError(`the file is ${bytes} bytes; Magnetar takes .torrent files up to ${MAX_TORRENT_FILE_BYTES} bytes`);
  }
  if (!base64.startsWith('Z')) { // "d" is 0x64: the first base64 digit of 0x64 … is "Z"
    throw new InvalidTorrentFileError('the link did not give a .torrent file (it is not a bencoded dictionary; perhaps the site wants you to log in first)');
  }
  return bytes;
}

/** A name for the file until the helper has read it: the last part of the link's path, decoded. */
export function torrentFileName(href) {
  try {
    const last = new URL(href).pathname.split('/').filter(Boolean).pop() ?? '';
    return decodeURIComponent(last) || href;
  } catch {
    return String(href);
  }
}
