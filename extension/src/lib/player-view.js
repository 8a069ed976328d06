// The player page's decisions, apart from the DOM so they are unit-tested: downloaded byte ranges as
// seek-bar segments, the keyboard map, the live facts line, and what each failure means to the user.
import { formatBytes, formatRate, stateLabel } from './format.js';

/**
 * Byte ranges [[start, endExclusive], …] of a file of `size` bytes as segments of the seek bar in percent
 * ({ left, width }), sorted and merged, clipped to the file. The bar maps bytes to time linearly — what a
 * constant-bitrate file does and what WebTorrent's and µTorrent Web's bars show too; for a variable
 * bitrate it is approximate, and the browser's own buffering is not what the user waits for.
 */
export function rangeSegments(ranges, size) {
  if (!(size > 0) || !Array.isArray(ranges)) return [];
  const clipped = ranges
    .filter((r) => Array.isArray(r) && r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]))
    .map(([s, e]) => [Math.max(0, s), Math.min(size, e)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [s, e] of clipped) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged.map(([s, e]) => ({ left: percent(s, size), width: percent(e - s, size) }));
}

function percent(bytes, size) {
  return Math.round((bytes / size) * 10000) / 100;
}

/** The same segments in words, for a screen reader: "Downloaded: 0–12 %, 80–100 %". */
export function rangesLabel(ranges, size) {
  const segments = rangeSegments(ranges, size);
  if (segments.length === 0) return 'Nothing of this file is downloaded yet.';
  if (segments.length === 1 && segments[0].left === 0 && segments[0].width === 100) return 'The whole file is downloaded.';
  const shown = segments.map((s) => `${Math.floor(s.left)}–${Math.ceil(s.left + s.width)} %`);
  return `Downloaded: ${shown.join(', ')} of the file.`;
}

/** Seconds one arrow key moves, as in the players users know (YouTube, VLC's short jump is close). */
export const SEEK_STEP_SECONDS = 5;

/**
 * What a key press does on the player page, or null to leave it to the browser. Space on a focused button
 * is the button's own click (acting here too would toggle twice); keys with Ctrl, Alt or Meta belong to
 * the browser (Ctrl+F finds, Alt+← goes back).
 */
export function keyAction({ key, targetTag = '', targetType = '', ctrlKey = false, altKey = false, metaKey = false }) {
  if (ctrlKey || altKey || metaKey) return null;
  const tag = String(targetTag).toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT' || (tag === 'INPUT' && targetType !== 'range')) return null;
  switch (key) {
    case ' ':
    case 'Spacebar':
      return tag === 'BUTTON' ? null : 'toggle';
    case 'k':
    case 'K':
      return 'toggle';
    case 'ArrowLeft':
      return 'back';
    case 'ArrowRight':
      return 'forward';
    case 'f':
    case 'F':
      return 'fullscreen';
    case 'm':
    case 'M':
      return 'mute';
    default:
      return null;
  }
}

/** Where a seek by `deltaSeconds` lands, kept inside the media (an unknown duration does not bound the end). */
export function seekTarget(currentTime, deltaSeconds, duration) {
  const to = Math.max(0, currentTime + deltaSeconds);
  return Number.isFinite(duration) && duration > 0 ? Math.min(to, duration) : to;
}

/** "1:05" or "1:02:03": the time labels beside the seek bar. */
export function formatClock(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return '–:––';
  const s = Math.floor(seconds);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/**
 * The facts line under the player from GET /streams/{id}: the download rate, peers, how much is ready
 * ahead of the read position and how much of the file is there.
 */
export function liveFacts(status) {
  const size = status?.grant?.size ?? 0;
  const have = (status?.downloadedRanges ?? []).reduce((sum, [s, e]) => sum + Math.max(0, Math.min(size, e) - Math.max(0, s)), 0);
  const complete = size > 0 && have >= size;
  return {
    speed: formatRate(status?.downloadRate ?? 0),
    peers: `${status?.peers ?? 0} peer${status?.peers === 1 ? '' : 's'}`,
    ahead: complete ? 'all downloaded' : `${formatBytes(status?.bufferedAhead ?? 0)} ready ahead`,
    downloaded: size > 0 ? `${Math.floor((have / size) * 100)} % of ${formatBytes(size)} downloaded` : '',
    state: status?.state ? stateLabel(status.state) : '',
  };
}

/**
 * Why the helper refused a stream grant, as { message, retry }: `retry` says the page should try again by
 * itself (when the metadata arrives, or the helper is back) rather than leave the user with a dead end.
 */
export function grantProblem(error) {
  const code = error?.code;
  if (code === 'HELPER_UNREACHABLE' || code === 'NO_ANSWER') {
    return { kind: 'helper-gone', retry: true, message: 'The Magnetar helper is not running. The player tries again when it is back.' };
  }
  if (code === 'HELPER_STARTING') {
    // A helper just (re)started answers before its last session is back; it says when to ask again.
    return { kind: 'starting', retry: true, message: 'The Magnetar helper is still starting. The player asks again in a moment.' };
  }
  if (error?.status === 409) {
    return { kind: 'metadata', retry: true, message: 'Waiting for the torrent’s file list from peers before this file can play…' };
  }
  if (code === 'FILE_NOT_FOUND') {
    return { kind: 'not-found', retry: false, message: `This torrent has no such file (${error?.message ?? 'not found'}).` };
  }
  if (error?.status === 404 || code === 'TORRENT_NOT_FOUND') {
    return { kind: 'not-found', retry: false, message: `This file is no longer in Magnetar’s list (${error?.message ?? 'not found'}).` };
  }
  return { kind: 'refused', retry: false, message: `The helper would not stream this file: ${error?.message ?? 'no reason given'}.` };
}

/** How much of each end of a file a browser reads to open it (mp4 `moov`, Matroska cues, WebM's cues at the end). */
export const OPENING_BYTES = 1024 * 1024;

/** Whether the merged byte ranges hold every byte of [start, end). */
export function covers(ranges, start, end) {
  if (end <= start) return true;
  return (ranges ?? []).some(([s, e]) => s <= start && e >= end);
}

/**
 * What a media element's error means. A <video> element does not say which HTTP status it got, so the
 * page probes the stream URL (HEAD, which never waits for data) and reads the stream's downloaded ranges:
 * `probe` is { status } from the probe, or { unreachable: true } when nothing answered; `file` is
 * { ranges, size } from GET /streams/{id}. `kind`:
 *   helper-gone  — nothing answers at the helper's address
 *   gone         — the capability expired or was revoked (404): ask for a new grant
 *   undecodable  — the bytes were there and the browser still could not decode them: a decode error, or
 *                  "source not supported" although both ends of the file (where players look first) are
 *                  verified — the helper serves nothing else, so the codec is the problem
 *   waiting      — anything else: the helper held back bytes it has not verified yet (its 503 after a
 *                  wait); the page reloads at the same time once more data is in
 */
export function streamProblem(mediaErrorCode, probe, file = {}) {
  if (probe?.unreachable) return { kind: 'helper-gone', message: 'The Magnetar helper stopped answering. The player picks up again when it is back.' };
  if (probe?.status === 404) return { kind: 'gone', message: 'The stream link expired or was revoked; asking the helper for a new one…' };
  const size = file.size ?? 0;
  const endsThere = size > 0 && covers(file.ranges, 0, Math.min(size, OPENING_BYTES)) && covers(file.ranges, Math.max(0, size - OPENING_BYTES), size);
  // MediaError: 3 = MEDIA_ERR_DECODE, 4 = MEDIA_ERR_SRC_NOT_SUPPORTED.
  if (probe?.status !== 503 && (mediaErrorCode === 3 || (mediaErrorCode === 4 && endsThere))) {
    return { kind: 'undecodable', message: 'This browser cannot play this file. Open it in your own player instead.' };
  }
  return { kind: 'waiting', message: 'Waiting for data from peers…' };
}

/**
 * The stream URL the helper granted, accepted only on the loopback helper — the page hands it to a
 * media element, and a compromised or confused reply must not point the player at another host.
 */
export function isLoopbackStreamUrl(url) {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname) && u.pathname.startsWith('/stream/');
  } catch {
    return false;
  }
}
