// The popup's filter, sort and search controls: fills them, remembers the choice in extension storage
// (it holds no secret) and calls back with the normalised choice whenever it changes.
import { ext } from './lib/browser.js';
import { FILTERS, SORTS, normaliseListView } from './lib/list-view.js';
import { h } from './lib/view-port.js';

const KEY = 'listView';

export function bindListTools(onChange) {
  const $ = (id) => document.getElementById(id);
  const filter = $('filter');
  const sort = $('sort');
  const direction = $('sort-direction');
  const search = $('search');
  filter.replaceChildren(...Object.entries(FILTERS).map(([value, f]) => h('option', { value, text: f.label })));
  sort.replaceChildren(...Object.entries(SORTS).map(([value, s]) => h('option', { value, text: s.label })));
  let choice = normaliseListView(null);

  const show = () => {
    filter.value = choice.filter;
    sort.value = choice.sort;
    search.value = choice.query;
    direction.textContent = choice.descending ? '↓' : '↑';
    direction.setAttribute('aria-pressed', String(choice.descending));
    direction.setAttribute('aria-label', choice.descending ? 'Sorted descending; sort ascending' : 'Sorted ascending; sort descending');
  };
  const change = (patch) => {
    choice = normaliseListView({ ...choice, ...patch });
    show();
    onChange(choice);
    ext.storage.local.set({ [KEY]: { ...choice, query: '' } }).catch(() => {}); // the search is for this opening only
  };
  filter.addEventListener('change', () => change({ filter: filter.value }));
  sort.addEventListener('change', () => change({ sort: sort.value }));
  direction.addEventListener('click', () => change({ descending: !choice.descending }));
  search.addEventListener('input', () => change({ query: search.value }));
  show();
  ext.storage.local.get(KEY).then((stored) => {
    choice = normaliseListView({ ...stored[KEY], query: choice.query });
    show();
    onChange(choice);
  }, () => {});
  return () => choice;
}
