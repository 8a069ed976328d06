// The detail page's tables from the helper's TorrentDetail (protocol-spec/http-api.yaml): files with
// their priorities, peers, web seeds and trackers, as rows of display text. Pure, so it is unit-tested.
import { formatBytes, formatRate, formatEta, progressPermille, formatPermille } from './format.js';
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

/**
 * A web seed's host as the user knows the mirror ("mirror.example.org", "127.0.0.1:8080"); an entry that is
 * not a URL at all (the helper shows it as dropped) is shown as written.
 */
export function webSeedHost(url) {
  try {
    const parsed = new URL(url);
    return parsed.host || url;
  } catch {
    return url;
  }
}

/** A web seed's state in words: in use, resting until its retry (and why), or given up on (and why). */
export function webSeedState(s) {
  const why = s.lastError ? ` — ${s.lastError}` : '';
  switch (s.state) {
    case 'ACTIVE': return 'active';
    case 'BACKING_OFF': return `backing off, retry in ${formatEta(s.retryInSeconds)}${why}`;
    case 'DROPPED': return `dropped${why}`;
    default: return `${s.state}${why}`;
  }
}

/** The torrent's web seeds (BEP 19, url-list), in the torrent's order: the order the helper tries them in. */
export function webSeedRows(webSeeds) {
  return (webSeeds ?? []).map((s) => ({
    host: webSeedHost(s.url),
    url: s.url,
    state: webSeedState(s),
    dropped: s.state === 'DROPPED',
    down: formatRate(s.downloadRateBytesPerSecond),
    got: formatBytes(s.downloadedBytes),
    failures: String(s.failures),
  }));
}
