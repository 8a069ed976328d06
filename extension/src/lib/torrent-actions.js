// Which buttons a torrent's card offers, from its state alone (pure, so it is unit-tested).

/**
 * The main button toggles pause and resume; a torrent in ERROR offers Resume too, because the helper
 * brings it back on resume (it reopens the files and rechecks what changed). Recheck hashes the files
 * again; it needs the metadata, so a magnet still fetching it has none to check.
 */
export function torrentActions(torrent) {
  const resumable = torrent.state === 'PAUSED' || torrent.state === 'ERROR';
  return {
    primary: resumable ? { action: 'resume', label: 'Resume' } : { action: 'pause', label: 'Pause' },
    canRecheck: torrent.state !== 'FETCHING_METADATA' && torrent.state !== 'CHECKING',
  };
}
