// What a torrent's card (and its detail page) says beyond the raw numbers: which rates mean something in
// its state, size and bytes done, share ratio, and the hint for a magnet link nobody seems to share.
// Pure functions over the helper's TorrentStatus (protocol-spec/http-api.yaml), so they are unit-tested.
import { formatBytes } from './format.js';

/**
 * A paused, completed or failed torrent moves no data, so a rate there is only the last sample before
 * it stopped: hide it rather than show a speed that is not happening. A seeder only uploads.
 */
export function shownRates(t) {
  switch (t.state) {
    case 'FETCHING_METADATA':
    case 'CHECKING':
    case 'DOWNLOADING': return { down: true, up: true };
    case 'SEEDING': return { down: false, up: true };
    default: return { down: false, up: false };
  }
}

/** "12 MiB of 64 MiB", "64 MiB" once all verified, or why there is no size yet. */
export function sizeText(t) {
  if (!(t.totalBytes > 0)) return 'Size unknown until the metadata arrives';
  const done = t.state === 'SEEDING' || t.state === 'COMPLETED' ? t.totalBytes : Math.min(t.verifiedBytes, t.totalBytes);
  return done >= t.totalBytes ? formatBytes(t.totalBytes) : `${formatBytes(done)} of ${formatBytes(t.totalBytes)}`;
}

/**
 * Share ratio as BitTorrent clients show it: uploaded ÷ downloaded. A torrent that was complete when
 * added downloaded nothing here, so its verified bytes stand in (what qBittorrent does for a torrent
 * it seeds from disk); with neither, there is no ratio yet.
 */
export function shareRatio(t) {
  const base = t.downloadedBytes > 0 ? t.downloadedBytes : t.verifiedBytes;
  if (!(base > 0)) return null;
  return (t.uploadedBytes ?? 0) / base;
}

export function formatRatio(ratio) {
  return ratio === null ? '—' : ratio.toFixed(2);
}

/**
 * A magnet link with no peer for this long while fetching its metadata is very likely dead (nobody
 * shares it now). Three minutes covers a DHT lookup and a few tracker announces, which find peers of a
 * live swarm in seconds.
 */
export const DEAD_MAGNET_AFTER_MS = 3 * 60 * 1000;

/**
 * Since when each magnet has been fetching metadata with no peer at all: keeps the earlier time while
 * that lasts, forgets it as soon as a peer shows up, the state changes or the torrent goes.
 *
 * @param since {infoHash: epoch ms}
 * @returns a new map (the input is not changed)
 */
export function trackPeerless(since, torrents, now) {
  const next = {};
  for (const t of torrents) {
    if (t.state === 'FETCHING_METADATA' && t.peers === 0) next[t.infoHash] = since[t.infoHash] ?? now;
  }
  return next;
}

/** The hint for a magnet that found no peer for {@link DEAD_MAGNET_AFTER_MS}, or null. */
export function deadMagnetHint(t, since, now) {
  const start = since[t.infoHash];
  if (start === undefined || t.state !== 'FETCHING_METADATA' || t.peers !== 0) return null;
  const waited = now - start;
  if (waited < DEAD_MAGNET_AFTER_MS) return null;
  const minutes = Math.floor(waited / 60000);
  return `No peer found in ${minutes} minutes: this magnet link may be dead (nobody shares it now). `
    + 'Leave it to keep looking, or remove it.';
}

/**
 * Shown over the list when its values are not live: not connected to the helper (the numbers are what
 * it last said), or connected but the first snapshot has not arrived.
 */
export function staleNote(connectionStatus, synced, torrentCount) {
  if (torrentCount === 0) return null;
  if (connectionStatus !== 'connected') return 'Not connected: these are the last values the helper reported, not live ones.';
  if (!synced) return 'Loading the current values from the helper…';
  return null;
}
