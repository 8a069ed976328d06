// Background (Chromium: MV3 service worker; Firefox: event page). Owns the connection to the helper:
// native hello → API client + events WebSocket; keeps the torrent/approval view; answers the popup,
// the approval windows, the options page and the content scripts. The token never leaves this context.
import { ext } from './lib/browser.js';
import { NativeChannel, NativeHostError, backoffDelayMs } from './lib/native-channel.js';
import { ApiClient, HelperApiError, HelperUnreachableError, eventSubprotocols, describeError } from './lib/api-client.js';
import { emptyView, applyEvent, activeCount, pendingApprovals } from './lib/torrent-list.js';
import { parseMagnet, InvalidMagnetError } from './lib/magnet.js';
import { formatBaseUnits, stateLabel } from './lib/format.js';
import { AddGuard } from './lib/add-guard.js';
import { checkTorrentFile, torrentFileName, InvalidTorrentFileError } from './lib/torrent-file.js';
import { notificationTorrent, torrentNotificationId } from './lib/notification-target.js';
import { trackPeerless } from './lib/card-facts.js';
import { playerPath } from './lib/media-files.js';

const VERSION = ext.runtime.getManifest().version;
const PROTOCOL_VERSION = 1;
const MENU_ID = 'magnetar-download';

const state = {
  // connecting | connected | reconnecting | not_installed | not_running | forbidden | incompatible
  connection: { status: 'connecting', detail: '' },
  view: emptyView(),
  balance: null,
  balanceError: null,
  settings: null,
  helperVersion: null,
  helperCommand: null, // how the user runs `magnetar` here, from the native host's hello
  lastCapture: null,
  unopenedApprovals: [], // ids whose window could not open: the popup shows a banner for them
  peerlessSince: {}, // infoHash → when its magnet started fetching metadata with no peer (the dead-magnet hint)
};

let channel = null;
let api = null;
let socket = null;
let hello = null;
let attempt = 0;
let retryTimer = null;
let connecting = null;
const viewers = new Set();
const addGuard = new AddGuard();
const waitingTorrentFiles = new Map(); // add-guard question id → base64 .torrent, kept out of the views' state
let confirmWindowId = null;
let lastHelperMissing = null;

// ---------- connection ----------

function setConnection(status, detail = '') {
  state.connection = { status, detail };
  broadcast();
  updateBadge();
  // Content scripts read this to let clicks through to the browser's own magnet handler while there
  // is no helper to send them to (they decide synchronously, inside the click).
  const helperMissing = status === 'not_installed';
  if (helperMissing !== lastHelperMissing) {
    lastHelperMissing = helperMissing;
    ext.storage.local.set({ helperMissing }).catch(() => {});
  }
}

/** Connects (or reconnects) to the helper; resolves when connected or when it is clear it cannot. */
function connect() {
  if (state.connection.status === 'connected' && socket) return Promise.resolve();
  if (connecting) return connecting;
  clearTimeout(retryTimer);
  connecting = doConnect().finally(() => { connecting = null; });
  return connecting;
}

async function doConnect() {
  if (state.connection.status !== 'reconnecting') setConnection('connecting');
  try {
    if (!channel || channel.closed) channel = openChannel();
    hello = await channel.hello(VERSION);
    if (hello.protocolVersion !== PROTOCOL_VERSION) {
      setConnection('incompatible', `The helper speaks protocol ${hello.protocolVersion}; this extension needs ${PROTOCOL_VERSION}. Update Magnetar.`);
      return;
    }
    api = new ApiClient({ apiBase: hello.apiBase, token: hello.token });
    state.helperVersion = hello.version;
    state.helperCommand = hello.command ?? null;
    await openEvents(hello.eventsUrl, hello.token);
    attempt = 0;
    setConnection('connected');
    refreshSettings();
  } catch (e) {
    onConnectFailure(e);
  }
}

function openChannel() {
  const ch = new NativeChannel((name) => ext.runtime.connectNative(name), { lastError: () => ext.runtime.lastError });
  ch.onClosed((closed) => {
    if (ch !== channel) return;
    closeEvents();
    api = null;
    if (closed.kind === 'not_installed') {
      setConnection('not_installed', closed.reason);
    } else if (closed.kind === 'forbidden') {
      setConnection('forbidden', closed.reason);
    } else if (closed.reason !== 'disconnected by the extension') {
      setConnection('not_running', `The helper's native host stopped: ${closed.reason}`);
      scheduleRetry();
    }
  });
  return ch;
}

/**
 * A native host keeps the daemon address it found first, so after the daemon stopped its hello still
 * names the old port and token: start a fresh host, which finds or starts the daemon again.
 */
function dropChannel() {
  const ch = channel;
  channel = null;
  ch?.disconnect();
}

function onConnectFailure(e) {
  if (e instanceof HelperUnreachableError) dropChannel();
  if (e instanceof NativeHostError && (e.code === 'NOT_INSTALLED' || e.code === 'FORBIDDEN')) return; // onClosed set the state
  if (e instanceof NativeHostError && e.code === 'DAEMON_UNAVAILABLE') {
    setConnection('not_running', e.message);
  } else if (e instanceof HelperApiError && e.code === 'INVALID_API_BASE') {
    setConnection('incompatible', e.message);
    return;
  } else {
    setConnection('not_running', String(e?.message ?? e));
  }
  scheduleRetry();
}

function scheduleRetry() {
  clearTimeout(retryTimer);
  const delay = backoffDelayMs(attempt++);
  retryTimer = setTimeout(() => { connect(); }, delay);
}

function openEvents(url, token) {
  closeEvents();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, eventSubprotocols(token));
    socket = ws;
    let opened = false;
    ws.onopen = () => { opened = true; resolve(); };
    ws.onmessage = (m) => {
      if (ws !== socket) return;
      let event;
      try { event = JSON.parse(m.data); } catch { return; }
      onEvent(event);
    };
    ws.onclose = () => {
      if (ws !== socket) return;
      socket = null;
      if (!opened) {
        reject(new HelperUnreachableError(`the helper's event stream at ${url} refused the connection`));
        return;
      }
      // The daemon stopped or restarted (new port, new token): ask the native host again; it restarts the daemon.
      state.view = { ...state.view, synced: false };
      api = null;
      dropChannel();
      setConnection('reconnecting', 'Lost the connection to the helper; reconnecting…');
      scheduleRetry();
    };
  });
}

function closeEvents() {
  const ws = socket;
  socket = null;
  if (ws) { try { ws.close(); } catch { /* closed already */ } }
}

// ---------- events ----------

function onEvent(event) {
  const { view, effects } = applyEvent(state.view, event);
  state.view = view;
  state.peerlessSince = trackPeerless(state.peerlessSince, view.torrents, Date.now());
  for (const effect of effects) {
    if (effect.kind === 'openApproval') openApprovalWindow(effect.approval.id);
    else if (effect.kind === 'closeApproval') closeApprovalWindow(effect.id);
    else if (effect.kind === 'completed') notify(torrentNotificationId('done', effect.torrent.infoHash), 'Download complete', effect.torrent.name ?? effect.torrent.infoHash);
    else if (effect.kind === 'failed') notify(torrentNotificationId('failed', effect.torrent.infoHash), 'Download failed', `${effect.torrent.name ?? effect.torrent.infoHash}: ${effect.torrent.error ?? 'unknown error'}`);
  }
  if (event.type === 'snapshot' || event.type === 'wallet_changed' || event.type === 'approval_changed') refreshBalance();
  broadcast();
  updateBadge();
}

async function refreshBalance() {
  if (!api) return;
  const wallet = state.view.wallet;
  if (wallet && !wallet.exists) {
    state.balance = null;
    state.balanceError = describeError({ code: 'NO_WALLET' });
    broadcast();
    return;
  }
  try {
    state.balance = await api.walletBalance();
    state.balanceError = null;
  } catch (e) {
    state.balance = null;
    state.balanceError = describeError(e);
  }
  broadcast();
}

async function refreshSettings() {
  if (!api) return;
  try {
    state.settings = await api.settings();
    broadcast();
  } catch { /* shown as unknown in the options page */ }
}

// ---------- approval windows (one per spend request) ----------

async function windowMap() {
  return (await ext.storage.session.get('approvalWindows')).approvalWindows ?? {};
}

async function openApprovalWindow(id) {
  const windows = await windowMap();
  if (windows[id] !== undefined) {
    try {
      await ext.windows.update(windows[id], { focused: true });
      return;
    } catch { /* closed meanwhile: open a new one */ }
  }
  try {
    const win = await ext.windows.create({ url: ext.runtime.getURL(`approval.html?id=${encodeURIComponent(id)}`), type: 'popup', width: 480, height: 720 });
    windows[id] = win.id;
    await ext.storage.session.set({ approvalWindows: windows });
    state.unopenedApprovals = state.unopenedApprovals.filter((x) => x !== id);
  } catch (e) {
    // Minimised or blocked browser: the popup shows a banner so the request is not left hanging.
    if (!state.unopenedApprovals.includes(id)) state.unopenedApprovals.push(id);
    console.warn('could not open the approval window', id, e);
  }
  broadcast();
}

async function closeApprovalWindow(id) {
  const windows = await windowMap();
  state.unopenedApprovals = state.unopenedApprovals.filter((x) => x !== id);
  if (windows[id] === undefined) return;
  const windowId = windows[id];
  delete windows[id];
  await ext.storage.session.set({ approvalWindows: windows });
  try { await ext.windows.remove(windowId); } catch { /* the user closed it */ }
}

ext.windows.onRemoved.addListener(async (windowId) => {
  if (windowId === confirmWindowId) confirmWindowId = null;
  addWindowClosed(windowId);
  const windows = await windowMap();
  for (const [id, w] of Object.entries(windows)) if (w === windowId) delete windows[id];
  await ext.storage.session.set({ approvalWindows: windows });
});

// ---------- magnets ----------

/** A magnet link parsed, or the captured refusal that says why it is not one. */
function parseLink(uri) {
  try {
    return { parsed: parseMagnet(uri) };
  } catch (e) {
    if (e instanceof InvalidMagnetError) return { refusal: capture({ ok: false, code: 'INVALID_MAGNET', message: e.message, uri }) };
    throw e;
  }
}

/**
 * Whether an add opens the add dialog (folder and files chosen once the metadata is known): the link
 * was Shift+clicked, or the user asks for it on every add (options page).
 */
async function wantsChoice(choose) {
  if (choose === true) return true;
  return (await ext.storage.local.get('askBeforeAdding')).askBeforeAdding === true;
}

/**
 * Adds a magnet link: over HTTP, or through the native relay when HTTP to 127.0.0.1 fails (which cannot
 * hold it for the add dialog: it then downloads at once).
 */
async function addMagnet(uri, choose) {
  const { parsed, refusal } = parseLink(uri);
  if (refusal) return refusal;
  await connect();
  if (state.connection.status !== 'connected') {
    return capture({ ok: false, code: state.connection.status.toUpperCase(), message: connectionMessage(), uri });
  }
  const listed = state.view.synced ? state.view.torrents.find((t) => t.infoHash === parsed.infoHash) : null;
  if (listed) {
    // Adding again changes nothing in the helper; say where it already is instead of "downloading".
    return capture({ ok: true, duplicate: true, uri, torrent: listed, name: listed.name ?? parsed.name ?? listed.infoHash, state: stateLabel(listed.state) });
  }
  let choice = await wantsChoice(choose);
  let torrent;
  try {
    try {
      torrent = await api.addMagnet(parsed.uri, choice ? { awaitChoice: true } : {});
    } catch (e) {
      if (!(e instanceof HelperUnreachableError)) throw e;
      choice = false;
      torrent = (await channel.addMagnet(parsed.uri)).torrent;
    }
  } catch (e) {
    return capture({ ok: false, code: e.code ?? 'ERROR', message: describeError(e), uri });
  }
  const result = capture({ ok: true, uri, torrent, name: torrent.name ?? parsed.name ?? torrent.infoHash });
  if (choice) return askWhatToDownload(result);
  const { autoOpenPopup } = await ext.storage.local.get('autoOpenPopup');
  if (autoOpenPopup && ext.action.openPopup) ext.action.openPopup().catch(() => {});
  return result;
}

/**
 * A link from a web page (a click the content script saw, or the Firefox protocol handler): counted by
 * the add guard, so that a burst from one page waits for the user instead of being added.
 */
async function addFromPage(uri, pageUrl, choose) {
  const { parsed, refusal } = parseLink(uri);
  if (refusal) return refusal;
  const admitted = addGuard.admit({ pageUrl, uri: parsed.uri, name: parsed.name, infoHash: parsed.infoHash });
  if (admitted.verdict === 'refuse') return capture({ ok: false, code: 'TOO_MANY_LINKS', message: admitted.reason, uri });
  if (admitted.verdict === 'ask') {
    broadcast();
    openConfirmWindow();
    return {
      ok: false,
      code: 'ASKING',
      message: `${admitted.question.origin} sent many magnet links in a short time, so Magnetar asks you first in its own window.`,
    };
  }
  return addMagnet(uri, choose);
}

// ---------- the add dialog (add.html): folder and files, chosen once the metadata is known ----------

const addWindows = new Map(); // window id → info-hash of the torrent it asks about
const answeredAdds = new Set(); // info-hashes started or cancelled in their dialog

/** Opens the add dialog for a torrent the helper holds (awaitChoice); the page's toast says so. */
async function askWhatToDownload(result) {
  const infoHash = result.torrent.infoHash;
  try {
    const win = await ext.windows.create({ url: ext.runtime.getURL(`add.html?infoHash=${encodeURIComponent(infoHash)}`), type: 'popup', width: 520, height: 640 });
    addWindows.set(win.id, infoHash);
  } catch (e) {
    // No window: the torrent waits, paused, in the popup's list, where Resume downloads every file.
    console.warn('could not open the add dialog', e);
  }
  return { ...result, choosing: true };
}

async function startChosen({ infoHash, downloadDir, skipFiles, playFile = null }) {
  const detail = await requireApi().start(infoHash, { downloadDir, skipFiles, playFile });
  answeredAdds.add(infoHash);
  return detail;
}

/** Cancel: the torrent goes; nothing of it is on disk (no file is made before the choice). */
async function cancelAdd({ infoHash }) {
  answeredAdds.add(infoHash);
  return requireApi().remove(infoHash, false);
}

/** An add dialog closed without an answer is a Cancel, unless the torrent was started meanwhile (by Resume). */
function addWindowClosed(windowId) {
  const infoHash = addWindows.get(windowId);
  if (infoHash === undefined) return;
  addWindows.delete(windowId);
  if (answeredAdds.delete(infoHash)) return;
  const t = state.view.torrents.find((x) => x.infoHash === infoHash);
  if (t && t.state === 'PAUSED' && api) api.remove(infoHash, false).catch((e) => console.warn('could not remove the unanswered add', e));
}

/** Adds a .torrent file (base64) fetched from `url` over HTTP; the native relay carries magnets only. */
async function addTorrentFile(torrentBase64, url, choose) {
  const shownName = torrentFileName(url);
  try {
    checkTorrentFile(torrentBase64);
  } catch (e) {
    if (e instanceof InvalidTorrentFileError) return capture({ ok: false, code: 'INVALID_TORRENT', message: e.message, uri: url });
    throw e;
  }
  await connect();
  if (state.connection.status !== 'connected') {
    return capture({ ok: false, code: state.connection.status.toUpperCase(), message: connectionMessage(), uri: url });
  }
  const before = state.view.synced ? new Set(state.view.torrents.map((t) => t.infoHash)) : null;
  let torrent;
  try {
    torrent = await api.addTorrentFile(torrentBase64, (await wantsChoice(choose)) ? { awaitChoice: true } : {});
  } catch (e) {
    return capture({ ok: false, code: e.code ?? 'ERROR', message: describeError(e), uri: url });
  }
  const name = torrent.name ?? shownName;
  if (before?.has(torrent.infoHash)) {
    // The helper hands back the torrent it has: say where it already is instead of "downloading".
    return capture({ ok: true, duplicate: true, uri: url, torrent, name, state: stateLabel(torrent.state) });
  }
  const added = capture({ ok: true, uri: url, torrent, name });
  return (await wantsChoice(choose)) ? askWhatToDownload(added) : added;
}

/** A .torrent file a content script fetched after a click: counted by the add guard like a magnet link. */
async function addTorrentFileFromPage(url, torrentBase64, pageUrl, choose) {
  try {
    checkTorrentFile(torrentBase64);
  } catch (e) {
    if (e instanceof InvalidTorrentFileError) return capture({ ok: false, code: 'INVALID_TORRENT', message: e.message, uri: url });
    throw e;
  }
  const admitted = addGuard.admit({ pageUrl, uri: url, name: torrentFileName(url), infoHash: null });
  if (admitted.verdict === 'refuse') return capture({ ok: false, code: 'TOO_MANY_LINKS', message: admitted.reason, uri: url });
  if (admitted.verdict === 'ask') {
    waitingTorrentFiles.set(admitted.question.id, torrentBase64);
    broadcast();
    openConfirmWindow();
    return {
      ok: false,
      code: 'ASKING',
      message: `${admitted.question.origin} sent many links in a short time, so Magnetar asks you first in its own window.`,
    };
  }
  return addTorrentFile(torrentBase64, url, choose);
}

async function openConfirmWindow() {
  if (confirmWindowId !== null) {
    try {
      await ext.windows.update(confirmWindowId, { focused: true });
      return;
    } catch { /* closed meanwhile */ }
  }
  try {
    const win = await ext.windows.create({ url: ext.runtime.getURL('confirm-add.html'), type: 'popup', width: 480, height: 600 });
    confirmWindowId = win.id;
  } catch (e) {
    // The popup lists the waiting links too, so nothing hangs unseen.
    console.warn('could not open the window that asks about links', e);
  }
}

function closeConfirmWindowWhenDone() {
  if (addGuard.questions.length > 0 || confirmWindowId === null) return;
  const id = confirmWindowId;
  confirmWindowId = null;
  ext.windows.remove(id).catch(() => { /* the user closed it */ });
}

function capture(result) {
  state.lastCapture = { ...result, at: Date.now() };
  flashBadge(result.ok);
  broadcast();
  return result;
}

function connectionMessage() {
  switch (state.connection.status) {
    case 'not_installed': return 'The Magnetar helper is not installed. Open the Magnetar popup for how to install it.';
    case 'forbidden': return 'The Magnetar helper does not allow this extension (its host manifest lists another extension id). Reinstall the helper.';
    case 'incompatible': return state.connection.detail;
    default: return `The Magnetar helper is not running. ${state.connection.detail}`.trim();
  }
}

// ---------- badge and notifications ----------

let flashTimer = null;

function flashBadge(ok) {
  clearTimeout(flashTimer);
  ext.action.setBadgeBackgroundColor({ color: ok ? '#1b7f3b' : '#b00020' });
  ext.action.setBadgeText({ text: ok ? '✓' : '!' });
  flashTimer = setTimeout(() => { flashTimer = null; updateBadge(); }, 4000);
}

function updateBadge() {
  if (flashTimer) return;
  const status = state.connection.status;
  if (status === 'not_installed' || status === 'not_running' || status === 'forbidden' || status === 'incompatible') {
    ext.action.setBadgeBackgroundColor({ color: '#b00020' });
    ext.action.setBadgeText({ text: '!' });
    return;
  }
  const pending = pendingApprovals(state.view).length;
  const active = activeCount(state.view);
  ext.action.setBadgeBackgroundColor({ color: pending > 0 ? '#a15c00' : '#3949ab' });
  ext.action.setBadgeText({ text: pending > 0 ? '?' : active > 0 ? String(active) : '' });
}

function notify(id, title, message) {
  ext.notifications.create(id, { type: 'basic', iconUrl: ext.runtime.getURL('icons/icon-128.png'), title, message }).catch(() => {});
}

/** Opens one torrent's detail page in a tab (a notification click is not a toolbar click, which alone opens the popup). */
async function openTorrentView(infoHash) {
  const tab = await ext.tabs.create({ url: ext.runtime.getURL(`detail.html?infoHash=${encodeURIComponent(infoHash)}`) });
  return tab.id;
}

ext.notifications.onClicked.addListener((notificationId) => {
  const infoHash = notificationTorrent(notificationId);
  if (!infoHash) return;
  ext.notifications.clear(notificationId).catch?.(() => {});
  openTorrentView(infoHash).catch((e) => console.warn('could not open the torrent from its notification', e));
});

// ---------- views (popup, approval windows, options) ----------

function publicState() {
  return {
    connection: state.connection,
    torrents: state.view.torrents,
    approvals: state.view.approvals,
    synced: state.view.synced,
    wallet: state.view.wallet,
    balance: state.balance,
    balanceError: state.balanceError,
    settings: state.settings,
    helperVersion: state.helperVersion,
    helperCommand: state.helperCommand,
    extensionVersion: VERSION,
    lastCapture: state.lastCapture,
    unopenedApprovals: state.unopenedApprovals,
    peerlessSince: state.peerlessSince,
    addQuestions: addGuard.questions,
  };
}

function broadcast() {
  const message = { type: 'state', state: publicState() };
  for (const port of viewers) {
    try { port.postMessage(message); } catch { viewers.delete(port); }
  }
}

ext.runtime.onConnect.addListener((port) => {
  if (port.sender?.id !== ext.runtime.id || !['popup', 'approval', 'options', 'confirm', 'budgets', 'detail', 'wallet', 'add', 'player'].includes(port.name)) return;
  viewers.add(port);
  port.onDisconnect.addListener(() => viewers.delete(port));
  port.postMessage({ type: 'state', state: publicState() });
  // Opening a view is the user asking: retry now rather than waiting out the backoff.
  if (state.connection.status !== 'connected') { attempt = 0; connect(); }
});

/** Commands from extension pages; each answers { ok, result } or { ok: false, code, message }. */
const commands = {
  retry: async () => { attempt = 0; await connect(); return publicState().connection; },
  pause: ({ infoHash }) => requireApi().pause(infoHash),
  resume: ({ infoHash }) => requireApi().resume(infoHash),
  recheck: ({ infoHash }) => requireApi().recheck(infoHash),
  remove: ({ infoHash, deleteData }) => requireApi().remove(infoHash, deleteData),
  // Asked for in the popup, by the user: no page caused it, so none is named as the requester (the page
  // a link came from did not ask for money).
  boost: ({ infoHash, capBtt, ratePerGiBBtt }) => requireApi().boost(infoHash, { capBtt, ratePerGiBBtt }),
  limits: async ({ infoHash }) => (await requireApi().torrent(infoHash)).limits,
  detail: ({ infoHash }) => requireApi().torrent(infoHash),
  setFilePriority: ({ infoHash, fileIndex, priority }) => requireApi().setFilePriority(infoHash, fileIndex, priority),
  // Opening files and folders on the desktop is the native host's job (the trusted channel); the HTTP API
  // opens only audio and video, in the desktop's player (openInPlayer below), never any other file.
  openPath: ({ infoHash, fileIndex }) => requireChannel().open(infoHash, Number.isInteger(fileIndex) ? fileIndex : null),
  setLimits: ({ infoHash, limits }) => requireApi().setLimits(infoHash, limits),
  seedingGoal: async ({ infoHash }) => (await requireApi().torrent(infoHash)).seeding,
  setSeedingGoal: async ({ infoHash, goal }) => (await requireApi().setSeedingGoal(infoHash, goal)).seeding,
  approve: ({ id, password }) => requireApi().approve(id, password),
  reject: ({ id }) => requireApi().reject(id),
  revoke: ({ id }) => requireApi().revoke(id),
  openApproval: ({ id }) => openApprovalWindow(id),
  unlockWallet: ({ password }) => requireApi().unlockWallet(password),
  lockWallet: () => requireApi().lockWallet(),
  // The phrase passes through here only as the reply and the request of these two calls: never stored, never logged.
  newRecoveryPhrase: () => requireApi().newRecoveryPhrase(),
  importWallet: ({ recoveryPhrase, privateKeyHex, password }) => requireApi().importWallet({ recoveryPhrase, privateKeyHex, password }),
  faucet: async () => { state.balance = await requireApi().faucet(); broadcast(); return state.balance; },
  refreshBalance: async () => { await refreshBalance(); return state.balance; },
  network: () => requireApi().network(),
  updateSettings: async ({ update }) => {
    state.settings = await requireApi().updateSettings(update);
    broadcast();
    return state.settings;
  },
  addMagnet: ({ uri }) => addMagnet(uri),
  torrentDetail: ({ infoHash }) => requireApi().torrent(infoHash),
  // The player page: a capability URL for its media element (never the token), the stream's live facts,
  // and the desktop's player for what the browser cannot decode (the helper starts it, per the API's /open).
  openPlayer: async ({ infoHash, fileIndex }) => (await ext.tabs.create({ url: ext.runtime.getURL(playerPath(infoHash, Number(fileIndex))) })).id,
  streamGrant: ({ infoHash, fileIndex }) => requireApi().streamGrant(infoHash, Number(fileIndex)),
  streamStatus: ({ id }) => requireApi().stream(String(id)),
  openInPlayer: ({ infoHash, fileIndex }) => requireApi().openInPlayer(infoHash, Number(fileIndex)),
  startChosen: (fields) => startChosen(fields),
  cancelAdd: (fields) => cancelAdd(fields),
  openAddQuestions: () => openConfirmWindow(),
  answerAdd: async ({ id, add }) => {
    const question = addGuard.answer(String(id));
    broadcast();
    closeConfirmWindowWhenDone();
    if (!question) throw Object.assign(new Error('That link was answered already.'), { code: 'NOT_FOUND' });
    const file = waitingTorrentFiles.get(question.id);
    waitingTorrentFiles.delete(question.id);
    if (add !== true) return { ok: false, code: 'NOT_ADDED', message: 'not added' };
    return file === undefined ? addMagnet(question.uri) : addTorrentFile(file, question.uri);
  },
  dismissAdds: ({ origin }) => {
    const gone = addGuard.dismissOrigin(String(origin));
    for (const q of gone) waitingTorrentFiles.delete(q.id);
    broadcast();
    closeConfirmWindowWhenDone();
    return { dismissed: gone.length };
  },
};

function requireChannel() {
  if (!channel || channel.closed) throw new HelperUnreachableError('not connected to the Magnetar helper');
  return channel;
}

function requireApi() {
  if (!api) throw new HelperUnreachableError('not connected to the Magnetar helper');
  return api;
}

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (sender.id !== ext.runtime.id) return false;
  if (message?.type === 'recheck') {
    if (state.connection.status === 'not_installed') connect();
    return false;
  }
  if (message?.type === 'magnet') {
    // From a content script (any page) or the Firefox protocol handler page.
    const fromExtensionPage = sender.url?.startsWith(ext.runtime.getURL(''));
    // Counted against the frame that sent it (an embedded frame is its own origin), else the page that referred the handler.
    const countedAs = (fromExtensionPage ? message.originPage : sender.url ?? sender.tab?.url) ?? null;
    addFromPage(String(message.uri ?? ''), countedAs, message.choose === true).then(sendResponse, (e) => sendResponse({ ok: false, code: 'ERROR', message: String(e?.message ?? e) }));
    return true;
  }
  if (message?.type === 'torrentFile' && !sender.url?.startsWith(ext.runtime.getURL(''))) {
    // From a content script: a .torrent link the user clicked, fetched as the page.
    addTorrentFileFromPage(String(message.url ?? ''), message.torrentBase64, sender.url ?? sender.tab?.url ?? null, message.choose === true)
      .then(sendResponse, (e) => sendResponse({ ok: false, code: 'ERROR', message: String(e?.message ?? e) }));
    return true;
  }
  if (message?.type === 'command' && sender.url?.startsWith(ext.runtime.getURL(''))) {
    const run = commands[message.action];
    if (!run) {
      sendResponse({ ok: false, code: 'UNKNOWN_COMMAND', message: `unknown command ${message.action}` });
      return false;
    }
    Promise.resolve()
      .then(() => run(message))
      .then((result) => sendResponse({ ok: true, result: result ?? null }),
        (e) => {
          if (e?.code === 'UNAUTHORIZED' || e instanceof HelperUnreachableError) connect();
          sendResponse({ ok: false, code: e?.code ?? 'ERROR', message: describeError(e), status: e?.status ?? null });
        });
    return true;
  }
  return false;
});

// ---------- context menu ----------

function createMenu() {
  Promise.resolve(ext.contextMenus.removeAll()).then(() => {
    ext.contextMenus.create({ id: MENU_ID, title: 'Download with Magnetar', contexts: ['link'], targetUrlPatterns: ['magnet:*'] }, () => {
      if (ext.runtime.lastError) {
        // A browser that refuses the magnet: pattern still gets the item; onClicked checks the link.
        ext.contextMenus.create({ id: MENU_ID, title: 'Download with Magnetar', contexts: ['link'] });
      }
    });
  });
}

ext.runtime.onInstalled.addListener(createMenu);
ext.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId !== MENU_ID || !/^magnet:/i.test(info.linkUrl ?? '')) return;
  addMagnet(info.linkUrl).then((result) => {
    if (!result.ok) notify('capture-failed', 'Magnetar could not add the link', result.message);
  });
});

// For tests and debugging from the service worker console.
globalThis.magnetar = { state: publicState, connect, formatBaseUnits, notify, openTorrentView };

connect();
