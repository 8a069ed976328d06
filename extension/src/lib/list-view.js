// What the popup's list shows and in which order: the user's filter, search text and sort over the
// torrents the helper reported (pure, so it is unit-tested). The choices mirror qBittorrent's web UI
// sidebar and column sort, cut to what fits a popup.

/** Filters, in the order the popup offers them. */
export const FILTERS = Object.freeze({
  all: { label: 'All', keeps: () => true },
  active: { label: 'Downloading', keeps: (t) => ['FETCHING_METADATA', 'CHECKING', 'DOWNLOADING'].includes(t.state) },
  seeding: { label: 'Seeding', keeps: (t) => t.state === 'SEEDING' },
  completed: { label: 'Completed', keeps: (t) => t.state === 'SEEDING' || t.state === 'COMPLETED' },
  paused: { label: 'Paused', keeps: (t) => t.state === 'PAUSED' },
  error: { label: 'Errors', keeps: (t) => t.state === 'ERROR' },
});

/** Sort keys; each compares ascending, and `descending` flips it. Ties fall back to the name, A to Z either way. */
export const SORTS = Object.freeze({
  name: { label: 'Name', compare: (a, b) => displayName(a).localeCompare(displayName(b)) },
  progress: { label: 'Progress', compare: (a, b) => fraction(a) - fraction(b) },
  size: { label: 'Size', compare: (a, b) => a.totalBytes - b.totalBytes },
  down: { label: 'Download speed', compare: (a, b) => a.downloadRateBytesPerSecond - b.downloadRateBytesPerSecond },
  up: { label: 'Upload speed', compare: (a, b) => a.uploadRateBytesPerSecond - b.uploadRateBytesPerSecond },
  eta: { label: 'Time left', compare: (a, b) => eta(a) - eta(b) },
});

export const DEFAULT_LIST_VIEW = Object.freeze({ filter: 'all', sort: 'name', descending: false, query: '' });

/** The name the popup shows: a magnet without metadata yet has none of its own. */
export function displayName(t) {
  return t.name ?? `Magnet ${t.infoHash.slice(0, 12)}…`;
}

/**
 * The torrents to show, in order. Unknown filter or sort names (a stored choice from an older version)
 * fall back to the defaults rather than hiding the list.
 */
export function visibleTorrents(torrents, choice = DEFAULT_LIST_VIEW) {
  const filter = FILTERS[choice.filter] ?? FILTERS.all;
  const sort = SORTS[choice.sort] ?? SORTS.name;
  const query = String(choice.query ?? '').trim().toLowerCase();
  const sign = choice.descending ? -1 : 1;
  return torrents
    .filter((t) => filter.keeps(t) && (query === '' || matches(t, query)))
    .sort((a, b) => sign * sort.compare(a, b) || displayName(a).localeCompare(displayName(b)) || a.infoHash.localeCompare(b.infoHash));
}

/** Reads a stored choice, keeping only the known names. */
export function normaliseListView(stored) {
  const s = stored ?? {};
  return {
    filter: Object.hasOwn(FILTERS, s.filter) ? s.filter : DEFAULT_LIST_VIEW.filter,
    sort: Object.hasOwn(SORTS, s.sort) ? s.sort : DEFAULT_LIST_VIEW.sort,
    descending: s.descending === true,
    query: typeof s.query === 'string' ? s.query : '',
  };
}

function matches(t, query) {
  return displayName(t).toLowerCase().includes(query) || t.infoHash.startsWith(query);
}

function fraction(t) {
  if (t.state === 'SEEDING' || t.state === 'COMPLETED') return 1;
  return t.totalBytes > 0 ? t.verifiedBytes / t.totalBytes : 0;
}

/** Unknown time left sorts after every known one. */
function eta(t) {
  return t.state === 'DOWNLOADING' && Number.isFinite(t.etaSeconds) ? t.etaSeconds : Number.MAX_SAFE_INTEGER;
}
