// Which files of a torrent the extension offers to play, judged by their names before any stream is
// granted (the popup, detail view and add dialog show the buttons from the file list alone). The
// helper's grant says `playable` again from the same rule; its word wins on the player page.

/**
 * Extensions the player knows. `playable`: what Chromium and Firefox decode in a <video>/<audio> element
 * (MP4/H.264+AAC, WebM/VP9+Opus, MP3, FLAC, Ogg, WAV). Matroska, AVI and QuickTime are media too, but
 * browsers do not reliably open them, so those get "Open in your player" (the desktop's own player) instead.
 */
const KINDS = Object.freeze({
  mp4: { element: 'video', playable: true },
  m4v: { element: 'video', playable: true },
  webm: { element: 'video', playable: true },
  ogv: { element: 'video', playable: true },
  mkv: { element: 'video', playable: false },
  avi: { element: 'video', playable: false },
  mov: { element: 'video', playable: false },
  mp3: { element: 'audio', playable: true },
  m4a: { element: 'audio', playable: true },
  ogg: { element: 'audio', playable: true },
  oga: { element: 'audio', playable: true },
  opus: { element: 'audio', playable: true },
  flac: { element: 'audio', playable: true },
  wav: { element: 'audio', playable: true },
});

/** { element: 'video'|'audio', playable } for a media file's path, or null for anything else. */
export function mediaKind(path) {
  const m = /\.([a-z0-9]+)$/i.exec(String(path ?? ''));
  return m ? KINDS[m[1].toLowerCase()] ?? null : null;
}

/**
 * What a file's media button does: 'player' (this extension's player page), 'external' (the desktop's
 * player, for media the browser cannot decode), or null — not media, or nothing to stream (an empty file,
 * or one the user chose to skip, priority 0).
 */
export function playChoice(file) {
  const kind = mediaKind(file.path);
  if (!kind || !(file.length > 0) || file.priority === 0) return null;
  return kind.playable ? 'player' : 'external';
}

/** The media files among a torrent's files (FileStatus of http-api.yaml), with what their button does. */
export function mediaFiles(files) {
  return (files ?? [])
    .map((f) => ({ index: f.index, path: f.path, name: baseName(f.path), length: f.length, play: playChoice(f) }))
    .filter((f) => f.play !== null);
}

/** The file's own name, without the torrent's folders: what a button has room for. */
export function baseName(path) {
  const parts = String(path ?? '').split('/');
  return parts[parts.length - 1];
}

/** The extension page that plays one file of one torrent. */
export function playerPath(infoHash, fileIndex) {
  return `player.html?infoHash=${encodeURIComponent(infoHash)}&file=${encodeURIComponent(String(fileIndex))}`;
}
