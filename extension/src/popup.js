// The toolbar popup: live downloads, wallet, pending spend requests and setup states.
import { connectView, command, h } from './lib/view-port.js';
import { setupHint, magnetarCommand } from './lib/setup-hint.js';
import { boostLine } from './lib/boost-line.js';
import { boostButtonLabel, boostDialogNote } from './lib/budgets.js';
import { kibPerSecondToBytes, bytesToKibPerSecondText } from './lib/rate-limit.js';
import { torrentActions } from './lib/torrent-actions.js';
import { askSeedingGoal } from './seeding-goal-dialog.js';
import { visibleTorrents, displayName } from './lib/list-view.js';
import { shownRates, sizeText, shareRatio, formatRatio, deadMagnetHint, staleNote } from './lib/card-facts.js';
import { bindListTools } from './list-tools.js';
import { mediaButton } from './media-buttons.js';
import { mediaFiles } from './lib/media-files.js';
import { reachability } from './lib/reachability.js';
import {
  formatBytes, formatRate, formatEta, progressPermille, formatPermille, stateLabel, formatBaseUnits,
  groupThousands, parseAmountToBaseUnits, normaliseAmount, AmountFormatError, networkLabel,
} from './lib/format.js';

const $ = (id) => document.getElementById(id);
let current = null;
const items = new Map(); // infoHash → { li, fields }
const media = new Map(); // infoHash → its media files (null while the helper is asked); file lists do not change
/** Media buttons a card has room for; the rest are on the detail page. */
const MEDIA_ON_CARD = 3;

const listChoice = bindListTools(() => { if (current) renderTorrents(current); });
connectView('popup', (state) => { current = state; render(state); });
// Earnings and payments change the balance without a wallet event: read it afresh whenever the popup opens.
command('refreshBalance').catch(() => {});
// The dead-magnet hint depends on time passing, not only on events.
setInterval(() => { if (current) renderTorrents(current); }, 15000);

// Whether peers outside can dial us (the router's port mapping): read once the helper answers, each time the popup opens.
let networkAsked = false;
function renderReachability({ connection }) {
  if (connection.status !== 'connected' || networkAsked) return;
  networkAsked = true;
  command('network').then((network) => { $('reachability').textContent = reachability(network).text; })
    .catch(() => { networkAsked = false; });
}

function render(state) {
  renderConnection(state);
  renderReachability(state);
  renderWallet(state);
  renderPending(state);
  renderAddQuestions(state);
  renderCapture(state);
  renderTorrents(state);
}

function renderConnection({ connection, helperVersion, synced, helperCommand }) {
  const dot = $('connection').querySelector('.status-dot');
  const ok = connection.status === 'connected';
  dot.className = `status-dot ${ok ? 'connected' : ['connecting', 'reconnecting'].includes(connection.status) ? '' : 'bad'}`;
  $('connection-text').textContent = ok
    ? `Connected to the Magnetar helper ${helperVersion ?? ''}${synced ? '' : ' — loading…'}`
    : connection.status === 'connecting' ? 'Connecting to the Magnetar helper…'
      : connection.status === 'reconnecting' ? connection.detail
        : 'Not connected';
  const hint = setupHint(connection, helperCommand);
  $('setup').hidden = !hint;
  if (hint) {
    $('setup-title').textContent = hint.title;
    $('setup-body').replaceChildren(...hint.paragraphs.map((p) => (typeof p === 'string' ? h('p', { text: p }) : h('pre', {}, h('code', { text: p.code })))));
  }
}

function renderWallet({ wallet, balance, balanceError, connection, helperCommand }) {
  const show = connection.status === 'connected' && wallet;
  $('wallet').hidden = !show;
  $('network').hidden = !show;
  if (!show) return;
  const net = $('network');
  net.textContent = wallet.network === 'mainnet' ? 'Mainnet — real BTT' : networkLabel(wallet.network);
  net.className = `network ${wallet.network}`;
  if (!wallet.exists) {
    $('wallet-state').textContent = 'No wallet';
    $('balance').textContent = `There is no wallet yet: set one up here to boost downloads (or run “${magnetarCommand(helperCommand, 'wallet create')}”).`;
    $('wallet-setup').hidden = false;
    $('unlock-form').hidden = true;
    $('wallet-address').textContent = '';
    return;
  }
  $('wallet-setup').hidden = true;
  $('wallet-state').textContent = wallet.unlocked ? 'Unlocked' : 'Wallet locked';
  $('unlock-form').hidden = wallet.unlocked;
  $('wallet-address').textContent = wallet.address ?? '';
  if (balance) {
    $('balance').textContent = `Balance: ${groupThousands(formatBaseUnits(balance.bttBaseUnits))} BTT · ${groupThousands(formatBaseUnits(balance.trxSun, 6))} TRX`;
  } else {
    $('balance').textContent = balanceError ? `Balance unavailable: ${balanceError}` : 'Balance: …';
  }
}

function renderPending({ approvals }) {
  const pending = approvals.filter((a) => a.state === 'PENDING');
  $('pending').hidden = pending.length === 0;
  $('pending').replaceChildren(
    h('h2', { text: pending.length === 1 ? 'A spend request is waiting for your decision' : `${pending.length} spend requests are waiting for your decision` }),
    ...pending.map((a) => h('div', { class: 'row' },
      h('span', { text: `Boost “${a.torrentName ?? a.infoHash ?? a.id}”: up to ${groupThousands(formatBaseUnits(a.capBaseUnits))} BTT` }),
      h('button', { type: 'button', onclick: () => command('openApproval', { id: a.id }).catch(showError) , text: 'Review' }))),
  );
}

function renderAddQuestions({ addQuestions = [] }) {
  $('add-questions').hidden = addQuestions.length === 0;
  $('add-questions-text').textContent = addQuestions.length === 1
    ? 'A magnet link from a page waits for your answer before it is added.'
    : `${addQuestions.length} magnet links from pages wait for your answer before they are added.`;
}
$('add-questions-review').addEventListener('click', () => command('openAddQuestions').catch(showError));

function renderCapture({ lastCapture }) {
  if (!lastCapture) { $('capture').textContent = ''; return; }
  $('capture').textContent = lastCapture.ok
    ? (lastCapture.duplicate ? `“${lastCapture.name}” is already in your list (${lastCapture.state}).` : `Added “${lastCapture.name}”.`)
    : `The last magnet link was not added: ${lastCapture.message}`;
  $('capture').className = lastCapture.ok ? 'muted' : 'error-text';
}

function renderTorrents({ torrents: all, connection, synced }) {
  $('empty').hidden = all.length > 0;
  $('list-tools').hidden = all.length === 0;
  const stale = staleNote(connection.status, synced, all.length);
  $('stale').hidden = stale === null;
  $('stale').textContent = stale ?? '';
  const torrents = visibleTorrents(all, listChoice());
  $('no-match').hidden = all.length === 0 || torrents.length > 0;
  const seen = new Set();
  const list = $('torrents');
  list.classList.toggle('stale', stale !== null);
  torrents.forEach((t, index) => {
    seen.add(t.infoHash);
    let item = items.get(t.infoHash);
    if (!item) {
      item = createItem(t);
      items.set(t.infoHash, item);
    }
    if (list.children[index] !== item.li) list.insertBefore(item.li, list.children[index] ?? null);
    updateItem(item, t);
  });
  for (const [hash, item] of items) {
    if (!seen.has(hash)) { item.li.remove(); items.delete(hash); }
  }
}

function createItem(t) {
  const f = {
    name: h('div', { class: 'name' }),
    bar: h('div'),
    state: h('span'), percent: h('span'), size: h('span'), ratio: h('span', { title: 'Share ratio: uploaded ÷ downloaded' }),
    down: h('span'), up: h('span'), peers: h('span'), eta: h('span'), btt: h('span'),
    media: h('div', { class: 'row media-row', hidden: true }),
    boostInfo: h('p', { class: 'boost-info' }),
    deadHint: h('p', { class: 'hint notice warn' }),
    details: h('a', { href: `detail.html?infoHash=${t.infoHash}`, target: '_blank', text: 'Details' }),
    openFolder: h('button', { type: 'button', text: 'Open folder', onclick: () => command('openPath', { infoHash: t.infoHash }).catch(showError) }),
    error: h('p', { class: 'error-text', role: 'alert' }),
    pause: h('button', { type: 'button', onclick: () => act(t.infoHash, f.pause.dataset.action) }),
    recheck: h('button', { type: 'button', onclick: () => act(t.infoHash, 'recheck'), text: 'Recheck' }),
    remove: h('button', { type: 'button', onclick: () => askRemove(t.infoHash), text: 'Remove' }),
    boost: h('button', { type: 'button', onclick: () => askBoost(t.infoHash), text: 'Boost' }),
    limits: h('button', { type: 'button', onclick: () => askLimits(t.infoHash), text: 'Limits' }),
    goal: h('button', { type: 'button', onclick: () => askGoal(t.infoHash), text: 'Goal', title: 'When to stop seeding' }),
  };
  f.progress = h('div', { class: 'progress', role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100' }, f.bar);
  const li = h('li', { class: 'card torrent', 'data-info-hash': t.infoHash },
    f.name, f.progress,
    h('div', { class: 'stats' }, f.state, f.percent, f.size, f.down, f.up, f.peers, f.eta, f.ratio, f.btt),
    f.media,
    f.boostInfo,
    f.deadHint,
    f.error,
    h('div', { class: 'row' }, f.pause, f.recheck, f.boost, f.limits, f.goal, f.remove, f.openFolder, f.details));
  return { li, f };
}

function updateItem({ f }, t) {
  const name = displayName(t);
  f.name.textContent = name;
  const permille = t.state === 'SEEDING' || t.state === 'COMPLETED' ? 1000 : progressPermille(t.verifiedBytes, t.totalBytes);
  const percentText = t.totalBytes > 0 || permille === 1000 ? formatPermille(permille) : '—';
  f.progress.setAttribute('aria-valuenow', String(permille / 10));
  f.progress.setAttribute('aria-valuetext', `${percentText}, ${stateLabel(t.state)}`);
  f.progress.setAttribute('aria-label', `Progress of ${name}`);
  f.progress.className = `progress${permille === 1000 ? ' done' : ''}${t.state === 'ERROR' ? ' error' : ''}`;
  f.bar.style.width = `${permille / 10}%`;
  f.state.textContent = stateLabel(t.state);
  f.state.className = 'state';
  f.percent.textContent = percentText;
  f.percent.className = 'percent';
  f.size.textContent = sizeText(t);
  f.ratio.textContent = `ratio ${formatRatio(shareRatio(t))}`;
  const rates = shownRates(t);
  f.down.hidden = !rates.down;
  f.up.hidden = !rates.up;
  f.eta.hidden = t.state !== 'DOWNLOADING';
  const hint = deadMagnetHint(t, current?.peerlessSince ?? {}, Date.now());
  f.deadHint.textContent = hint ?? '';
  f.deadHint.hidden = hint === null;
  f.details.setAttribute('aria-label', `Details of ${name}: files, peers, trackers`);
  f.openFolder.hidden = !(t.totalBytes > 0);
  f.openFolder.setAttribute('aria-label', `Open the folder of ${name}`);
  f.down.textContent = `↓ ${formatRate(t.downloadRateBytesPerSecond)}`;
  f.down.title = 'Download rate';
  f.up.textContent = `↑ ${formatRate(t.uploadRateBytesPerSecond)}`;
  f.up.title = 'Upload rate';
  f.peers.textContent = `${t.peers} peer${t.peers === 1 ? '' : 's'} (${t.seeds} seed${t.seeds === 1 ? '' : 's'})`;
  f.eta.textContent = `ETA ${t.state === 'DOWNLOADING' ? formatEta(t.etaSeconds) : '—'}`;
  f.btt.textContent = `BTT spent ${groupThousands(formatBaseUnits(t.boost?.spentBaseUnits ?? '0'))} · earned ${groupThousands(formatBaseUnits(t.boost?.earnedBaseUnits ?? '0'))}`;
  f.btt.className = 'btt';
  f.boostInfo.textContent = boostLine(t.boost);
  f.boostInfo.hidden = f.boostInfo.textContent === '';
  f.error.textContent = t.error ? `Error: ${t.error}` : '';
  f.error.hidden = !t.error;
  const { primary, canRecheck } = torrentActions(t);
  f.pause.textContent = primary.label;
  f.pause.dataset.action = primary.action;
  f.pause.setAttribute('aria-label', `${primary.label} ${name}`);
  f.recheck.hidden = !canRecheck;
  f.recheck.setAttribute('aria-label', `Recheck the files of ${name}`);
  f.recheck.title = 'Hash the downloaded files again and go on with what they hold';
  f.remove.setAttribute('aria-label', `Remove ${name}`);
  f.boost.setAttribute('aria-label', `Boost ${name}`);
  f.goal.setAttribute('aria-label', `Seeding goal of ${name}`);
  f.limits.setAttribute('aria-label', `Rate limits of ${name}`);
  f.boost.textContent = boostButtonLabel(t, current?.approvals ?? []);
  updateMedia(f, t);
}

/** The card's Play buttons: the file list is read once, when the metadata is known (no event carries it). */
function updateMedia(f, t) {
  if (!(t.totalBytes > 0)) { f.media.hidden = true; return; }
  if (!media.has(t.infoHash)) {
    media.set(t.infoHash, null);
    command('detail', { infoHash: t.infoHash })
      .then((d) => { media.set(t.infoHash, mediaFiles(d.files)); renderMedia(f, t.infoHash); })
      .catch((e) => { if (e.code === 'HELPER_UNREACHABLE') media.delete(t.infoHash); else media.set(t.infoHash, []); });
    return;
  }
  renderMedia(f, t.infoHash);
}

function renderMedia(f, infoHash) {
  const files = media.get(infoHash) ?? [];
  const key = files.map((m) => `${m.index}:${m.play}`).join(',');
  f.media.hidden = files.length === 0;
  if (f.media.dataset.key === key) return; // unchanged: keep the buttons (and the focus on one)
  f.media.dataset.key = key;
  const shown = files.slice(0, MEDIA_ON_CARD);
  const more = files.length - shown.length;
  f.media.replaceChildren(...shown.map((m) => mediaButton(infoHash, m, { onError: showError })),
    more > 0 ? h('span', { class: 'muted', text: `and ${more} more on the detail page` }) : null);
}

async function act(infoHash, action) {
  try {
    $('action-message').textContent = '';
    await command(action, { infoHash });
  } catch (e) {
    showError(e);
  }
}

function showError(e) {
  $('action-message').textContent = e.message;
}

function torrentName(infoHash) {
  const t = current?.torrents.find((x) => x.infoHash === infoHash);
  return t?.name ?? infoHash;
}

function askRemove(infoHash) {
  const dialog = $('remove-dialog');
  $('remove-name').textContent = torrentName(infoHash);
  $('remove-data').checked = false;
  dialog.returnValue = '';
  dialog.onclose = () => {
    if (dialog.returnValue !== 'remove') return;
    command('remove', { infoHash, deleteData: $('remove-data').checked }).catch(showError);
  };
  dialog.showModal();
}

function askGoal(infoHash) {
  const s = current?.settings;
  askSeedingGoal(infoHash, torrentName(infoHash), { ratioLimit: s?.seedRatioLimit ?? 0, seedingTimeLimitMinutes: s?.seedingTimeLimitMinutes ?? 0 })
    .catch(showError);
}

async function askLimits(infoHash) {
  const dialog = $('limits-dialog');
  $('limits-name').textContent = torrentName(infoHash);
  $('limits-error').textContent = '';
  try {
    const limits = await command('limits', { infoHash });
    $('limits-down').value = bytesToKibPerSecondText(limits.downloadBytesPerSecond);
    $('limits-up').value = bytesToKibPerSecondText(limits.uploadBytesPerSecond);
  } catch (e) {
    showError(e);
    return;
  }
  $('limits-form').onsubmit = async (event) => {
    if (event.submitter?.value !== 'save') return; // Cancel closes the dialog
    event.preventDefault();
    try {
      const limits = {
        downloadBytesPerSecond: kibPerSecondToBytes($('limits-down').value),
        uploadBytesPerSecond: kibPerSecondToBytes($('limits-up').value),
      };
      await command('setLimits', { infoHash, limits });
      dialog.close('save');
    } catch (e) {
      $('limits-error').textContent = e.message;
    }
  };
  dialog.showModal();
  $('limits-down').focus();
}

function askBoost(infoHash) {
  const dialog = $('boost-dialog');
  $('boost-name').textContent = torrentName(infoHash);
  const replaces = boostDialogNote(current?.torrents.find((t) => t.infoHash === infoHash) ?? { infoHash }, current?.approvals ?? []);
  $('boost-replaces').hidden = replaces === null;
  $('boost-replaces').textContent = replaces ?? '';
  $('boost-error').textContent = '';
  const form = $('boost-form');
  form.onsubmit = async (event) => {
    if (event.submitter?.value !== 'boost') return; // Cancel closes the dialog
    event.preventDefault();
    let capBtt;
    let ratePerGiBBtt;
    try {
      capBtt = normaliseAmount($('boost-cap').value);
      ratePerGiBBtt = normaliseAmount($('boost-rate').value);
      if (parseAmountToBaseUnits(capBtt) === 0n) throw new AmountFormatError('the cap must be more than 0');
    } catch (e) {
      $('boost-error').textContent = e.message;
      return;
    }
    try {
      await command('boost', { infoHash, capBtt, ratePerGiBBtt });
      dialog.close('boost');
      $('action-message').textContent = '';
      $('capture').className = 'muted';
      $('capture').textContent = 'Spend request filed: approve or reject it in the approval window.';
    } catch (e) {
      $('boost-error').textContent = e.message;
    }
  };
  dialog.showModal();
  $('boost-cap').focus();
}

$('retry').addEventListener('click', () => command('retry').catch(showError));
$('unlock-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('wallet-message').textContent = '';
  try {
    await command('unlockWallet', { password: $('unlock-password').value });
    $('unlock-password').value = '';
  } catch (e) {
    $('wallet-message').textContent = e.message;
  }
});
