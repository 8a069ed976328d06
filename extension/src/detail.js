// The detail page of one download (detail.html?infoHash=…): its facts, files with priorities, peers, web
// seeds and trackers, and Open folder / Open file / Play (media files play while they download). The status row is
// live from the background's state; files, peers, web seeds and trackers are read from the helper every few seconds
// while the page is open (no event carries them).
import { connectView, command, h } from './lib/view-port.js';
import { displayName } from './lib/list-view.js';
import { sizeText, shareRatio, formatRatio, shownRates, staleNote, deadMagnetHint } from './lib/card-facts.js';
import { fileRows, peerRows, trackerRows, webSeedRows, priorityChoices } from './lib/detail-view.js';
import { mediaButton } from './media-buttons.js';
import { formatRate, formatEta, stateLabel, formatBytes } from './lib/format.js';

const $ = (id) => document.getElementById(id);
const infoHash = new URLSearchParams(location.search).get('infoHash') ?? '';
const REFRESH_MS = 2000;
let status = null;
let detail = null;
let connected = false;
let peerlessSince = {};

connectView('detail', (state) => {
  connected = state.connection.status === 'connected';
  peerlessSince = state.peerlessSince ?? {};
  const t = state.torrents.find((x) => x.infoHash === infoHash);
  if (t) status = t;
  else if (state.synced) { status = null; detail = null; $('error').textContent = 'This download is no longer in the list.'; }
  const stale = staleNote(state.connection.status, state.synced, status ? 1 : 0);
  $('live').textContent = stale ?? '';
  document.body.classList.toggle('stale', stale !== null);
  renderFacts();
});

async function refresh() {
  if (!connected) return;
  try {
    detail = await command('detail', { infoHash });
    status = detail.status;
    renderFacts();
    renderFiles();
    renderPeers();
    renderWebSeeds();
    renderTrackers();
  } catch (e) {
    if (e.code !== 'HELPER_UNREACHABLE') $('error').textContent = e.message;
  }
}
setInterval(refresh, REFRESH_MS);
refresh();

function renderFacts() {
  if (!status) return;
  const name = displayName(status);
  document.title = `Magnetar — ${name}`;
  $('name').textContent = name;
  const rates = shownRates(status);
  const facts = [
    ['State', stateLabel(status.state) + (status.error ? ` — ${status.error}` : '')],
    ['Size', sizeText(status)],
    ['Downloaded', formatBytes(status.downloadedBytes)],
    ['Uploaded', formatBytes(status.uploadedBytes)],
    ['Ratio', formatRatio(shareRatio(status))],
    rates.down ? ['Download speed', formatRate(status.downloadRateBytesPerSecond)] : null,
    rates.up ? ['Upload speed', formatRate(status.uploadRateBytesPerSecond)] : null,
    status.state === 'DOWNLOADING' ? ['Time left', formatEta(status.etaSeconds)] : null,
    ['Peers', `${status.peers} (${status.seeds} seeds)`],
    ['Save folder', detail?.saveFolder ?? '…'],
    ['Info-hash', status.infoHash],
  ].filter(Boolean);
  const hint = deadMagnetHint(status, peerlessSince, Date.now());
  $('dead-hint').hidden = hint === null;
  $('dead-hint').textContent = hint ?? '';
  $('facts').replaceChildren(...facts.map(([k, v]) => h('div', {}, h('dt', { text: k }), h('dd', { class: k === 'Info-hash' || k === 'Save folder' ? 'mono' : null, text: v }))));
}

// Rows are rebuilt only when what they show changed, so a select the user has open or focused survives a refresh.
let filesKey = '';
function renderFiles() {
  const rows = fileRows(detail.files);
  $('files-empty').hidden = rows.length > 0;
  $('files').hidden = rows.length === 0;
  const key = JSON.stringify(rows);
  if (key === filesKey) return;
  filesKey = key;
  const focused = document.activeElement?.dataset?.focusKey;
  $('file-rows').replaceChildren(...rows.map((r) => {
    const select = h('select', { 'aria-label': `Priority of ${r.path}`, 'data-focus-key': `p${r.index}` },
      ...priorityChoices(r.priority).map((p) => h('option', { value: String(p.value), text: p.label, selected: p.value === r.priority })));
    select.addEventListener('change', () => setPriority(r.index, Number(select.value)));
    const open = h('button', { type: 'button', 'data-focus-key': `o${r.index}`, 'aria-label': `Open ${r.path}`, text: 'Open',
      disabled: !r.complete, title: r.complete ? 'Open with the default application' : 'Not downloaded yet',
      onclick: () => openPath(r.index) });
    const play = r.play ? mediaButton(infoHash, r, { focusKey: `m${r.index}`, onError: (e) => { $('error').textContent = `Could not play it: ${e.message}`; } }) : null;
    return h('tr', { 'data-file-index': String(r.index) },
      h('td', { class: 'mono', text: r.path }), h('td', { text: r.size }), h('td', { text: r.progress }), h('td', {}, select),
      h('td', {}, h('div', { class: 'row' }, play, open)));
  }));
  if (focused) document.querySelector(`[data-focus-key="${focused}"]`)?.focus();
}

function renderPeers() {
  const rows = peerRows(detail.peers);
  $('peers-empty').hidden = rows.length > 0;
  $('peers').hidden = rows.length === 0;
  $('peer-rows').replaceChildren(...rows.map((r) => h('tr', {},
    h('td', { class: 'mono', text: r.address }), h('td', { text: r.client }), h('td', { text: r.down }), h('td', { text: r.up }),
    h('td', { text: r.progress }), h('td', { class: 'mono', text: r.flags, title: r.flagsTitle }))));
}

// Most torrents have no web seed (BEP 19 url-list): the section shows only for those that do.
function renderWebSeeds() {
  const rows = webSeedRows(detail.webSeeds);
  $('web-seeds-section').hidden = rows.length === 0;
  $('web-seed-rows').replaceChildren(...rows.map((r) => h('tr', { class: r.dropped ? 'muted' : null },
    h('td', { class: 'mono', text: r.host, title: r.url }), h('td', { text: r.state }), h('td', { class: 'figure', text: r.down }),
    h('td', { class: 'figure', text: r.got }), h('td', { class: 'figure', text: r.failures }))));
}

function renderTrackers() {
  const rows = trackerRows(detail.trackers);
  $('trackers-empty').hidden = rows.length > 0;
  $('trackers').hidden = rows.length === 0;
  $('tracker-rows').replaceChildren(...rows.map((r) => h('tr', {},
    h('td', { class: 'mono', text: r.url }), h('td', { text: r.status }), h('td', { text: r.peers }), h('td', { text: r.next }))));
}

async function setPriority(fileIndex, priority) {
  $('error').textContent = '';
  try {
    await command('setFilePriority', { infoHash, fileIndex, priority });
    await refresh();
  } catch (e) {
    $('error').textContent = `Priority not changed: ${e.message}`;
  }
}

async function openPath(fileIndex = null) {
  $('error').textContent = '';
  try {
    await command('openPath', { infoHash, fileIndex });
  } catch (e) {
    $('error').textContent = `Could not open it: ${e.message}`;
  }
}

$('open-folder').addEventListener('click', () => openPath(null));
