// The add dialog (add.html?infoHash=…): the helper holds the torrent (added with awaitChoice) until the
// user names the folder and ticks the files here; Cancel removes it. Opened by the background for a
// Shift+clicked link, or for every link when the options page asks for it. Play on a media file starts the
// download with the choice made so far and opens the player.
import { connectView, command, h } from './lib/view-port.js';
import { formatBytes } from './lib/format.js';
import { displayName } from './lib/list-view.js';
import { skippedFiles, chosenBytes, choiceProblem } from './lib/add-choice.js';
import { playChoice } from './lib/media-files.js';
import { mediaButton } from './media-buttons.js';

const $ = (id) => document.getElementById(id);
const infoHash = new URLSearchParams(location.search).get('infoHash') ?? '';
let files = null; // the detail's files once the metadata is known
const chosen = new Set();
let loading = false;

connectView('add', (state) => {
  const t = state.torrents.find((x) => x.infoHash === infoHash);
  if (!t) {
    if (state.synced) showGone('This torrent is no longer in the list.');
    return;
  }
  $('name').textContent = displayName(t);
  document.title = `Magnetar — what to download from ${displayName(t)}`;
  if (files === null && t.totalBytes > 0 && !loading) loadFiles();
  if (files === null) $('waiting').textContent = `Waiting for the torrent's metadata (its file list) from peers… ${t.peers} connected.`;
});

async function loadFiles() {
  loading = true;
  try {
    const detail = await command('torrentDetail', { infoHash });
    files = detail.files;
    for (const f of files) chosen.add(f.index);
    $('folder').value = detail.saveFolder;
    renderFiles();
    $('waiting').hidden = true;
    $('choice').hidden = false;
    $('download').hidden = false;
    $('folder').focus();
  } catch (e) {
    $('waiting').textContent = `Could not read the file list: ${e.message}`;
  } finally {
    loading = false;
  }
}

function renderFiles() {
  $('files').replaceChildren(...files.map((f) => {
    const box = h('input', { type: 'checkbox', id: `file-${f.index}`, checked: chosen.has(f.index) });
    box.addEventListener('change', () => {
      if (box.checked) chosen.add(f.index); else chosen.delete(f.index);
      renderTotal();
    });
    const label = h('label', { for: `file-${f.index}`, class: 'row' }, box, h('span', { class: 'mono', text: f.path }), h('span', { class: 'muted', text: formatBytes(f.length) }));
    const play = playChoice(f);
    return h('li', { class: 'row' }, label, play ? mediaButton(infoHash, { ...f, play }, {
      before: () => startWith(f.index),
      after: () => window.close(),
      onError: (e) => { $('error').textContent = e.message; },
    }) : null);
  }));
  renderTotal();
}

function renderTotal() {
  $('chosen').textContent = `${chosen.size} of ${files.length} files, ${formatBytes(chosenBytes(files, chosen))}`;
}

/**
 * Starts the download with the folder and files chosen; throws (with the reason) when the choice cannot
 * be sent. Play on a file ticks it first: playing is downloading it.
 */
async function startWith(playedIndex = null) {
  $('error').textContent = '';
  if (playedIndex !== null && !chosen.has(playedIndex)) {
    chosen.add(playedIndex);
    renderFiles();
  }
  const problem = choiceProblem($('folder').value, files, chosen);
  if (problem) throw new Error(problem);
  await command('startChosen', { infoHash, downloadDir: $('folder').value.trim(), skipFiles: skippedFiles(files, chosen), playFile: playedIndex });
}

$('choice').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await startWith();
    window.close();
  } catch (e) {
    $('error').textContent = e.message;
  }
});

$('cancel').addEventListener('click', async () => {
  try {
    await command('cancelAdd', { infoHash });
    window.close();
  } catch (e) {
    $('error').textContent = e.message;
  }
});

function showGone(text) {
  $('waiting').hidden = true;
  $('choice').hidden = true;
  $('download').hidden = true;
  $('cancel').hidden = true;
  $('gone').hidden = false;
  $('gone').textContent = text;
}
