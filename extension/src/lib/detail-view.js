// The detail page's tables from the helper's TorrentDetail (protocol-spec/http-api.yaml): files with
// their priorities, peers and trackers, as rows of display text. Pure, so it is unit-tested.
import { formatBytes, formatRate, progressPermille, formatPermille } from './format.js';
import { playChoice } from './media-files.js';

/**
 * The priorities offered per file. The helper takes 0 (skip) to 7; these are the steps users know from
 * qBittorrent (libtorrent's 0 "don't download", 1 low, 4 default, 7 top).
 */
export const PRIORITIES = Object.freeze([
  { value: 0, label: 'Skip' },
  { value: 1, label: 'Low' },
  { value: 4, label: 'Normal' },
  { value: 7, label: 'High' },
]);

/** The choices for one file: the standard steps, plus its own value when another client set a step between. */
export function priorityChoices(current) {
  if (PRIORITIES.some((p) => p.value === current)) return PRIORITIES;
  return [...PRIORITIES, { value: current, label: `Custom (${current})` }].sort((a, b) => a.value - b.value);
}

export function fileRows(files) {
  return files.map((f) => ({
    index: f.index,
    path: f.path,
    size: formatBytes(f.length),
    progress: f.length > 0 ? formatPermille(progressPermille(f.doneBytes, f.length)) : '100 %',
    complete: f.doneBytes >= f.length,
    priority: f.priority,
    play: playChoice(f),
  }));
}

/** Flags as libtorrent-style letters; spelled out for the title so nobody has to know them. */
const FLAG_NAMES = { D: 'downloading from it', U: 'uploading to it', E: 'encrypted', P: 'paid slot' };

export function peerRows(peers) {
  return [...peers]
    .sort((a, b) => (b.downloadRateBytesPerSecond - a.downloadRateBytesPerSecond) || a.address.localeCompare(b.address))
    .map((p) => ({
      address: p.address,
      client: p.client || 'unknown client',
      down: formatRate(p.downloadRateBytesPerSecond),
      up: formatRate(p.uploadRateBytesPerSecond),
      progress: formatPermille(Math.round(Math.min(1, Math.max(0, p.progress)) * 1000)),
      flags: p.flags,
      flagsTitle: [...(p.flags ?? '')].map((c) => FLAG_NAMES[c] ?? c).join(', '),
    }));
}

export function trackerRows(trackers) {
  return trackers.map((t) => ({
    url: t.url,
    status: t.lastError ? `${t.status}: ${t.lastError}` : t.status,
    peers: String(t.peers),
    next: t.nextAnnounceSeconds === null || t.nextAnnounceSeconds === undefined ? '—' : `${t.nextAnnounceSeconds} s`,
  }));
}
