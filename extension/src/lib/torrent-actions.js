// Which buttons a torrent's card offers, from its state alone (pure, so it is unit-tested).

/**
 * The main button toggles pause and resume; a torrent in ERROR offers Resume too, because the helper
 * brings it back on resume (it reopens the files and rechecks what changed). Recheck hashes the files
 * again; it needs the metadata, so a magnet still fetching it has none to check.
 */
export function torrentActions(torrent) {
  const resumable = torrent.state === 'PAUSED' || torrent.state === 'ERROR';
  // COMPLETED: it reached its seeding goal and stopped; resuming seeds it on (without a goal of its own).
  const primary = torrent.state === 'COMPLETED' ? { action: 'resume', label: 'Seed again' }
    : resumable ? { action: 'resume', label: 'Resume' } : { action: 'pause', label: 'Pause' };
  return {
    primary,
    canRecheck: torrent.state !== 'FETCHING_METADATA' && torrent.state !== 'CHECKING',
  };
}
