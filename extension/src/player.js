// The player page (player.html?infoHash=…&file=N): plays one file of a torrent while it downloads. The
// background asks the helper for a capability URL (the API token never reaches this page or the media
// element); the <video>/<audio> element reads it with HTTP range requests, which the helper answers
// from verified pieces only and makes the engine fetch first. The page polls the stream's facts
// (downloaded ranges, read-ahead, rate, peers) for the bar under the seek bar and the facts line.
import { connectView, command, h } from './lib/view-port.js';
import { mediaKind } from './lib/media-files.js';
import {
  rangeSegments, rangesLabel, keyAction, seekTarget, formatClock, liveFacts, grantProblem, streamProblem,
  isLoopbackStreamUrl, SEEK_STEP_SECONDS,
} from './lib/player-view.js';

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const infoHash = params.get('infoHash') ?? '';
const fileIndex = Number(params.get('file'));
const STATUS_EVERY_MS = 1000;
const RETRY_AFTER_MS = 2000;

let grant = null;
let media = null;
let connected = false;
let asking = false;
let waitingFor = null; // what must happen before asking again: 'connection' | 'metadata' | null
let lastStatus = null;
let resumeAt = null; // { time, play } to restore after the element reloads its source
let seeking = false; // the user is dragging the seek bar: timeupdate must not move it under the pointer
let torrent = null; // its status from the background's live view
let resumed = false; // Play resumes a paused download once; a pause the user makes later stands

connectView('player', (state) => {
  const wasConnected = connected;
  connected = state.connection.status === 'connected';
  const t = state.torrents.find((x) => x.infoHash === infoHash);
  torrent = t ?? null;
  if (!grant && t?.name) $('name').textContent = t.name;
  resumeForPlay();
  $('live').textContent = connected ? '' : 'Not connected to the helper';
  if (connected && (!wasConnected && waitingFor === 'connection' || waitingFor === 'metadata' && t?.totalBytes > 0)) askForGrant();
  if (state.synced && !t) showProblem('This download is no longer in Magnetar’s list.');
});

askForGrant();
setInterval(pollStatus, STATUS_EVERY_MS);

async function askForGrant() {
  if (asking) return;
  asking = true;
  waitingFor = null;
  try {
    if (!Number.isInteger(fileIndex) || fileIndex < 0) throw Object.assign(new Error('the link names no file of the torrent'), { status: 404 });
    const granted = await command('streamGrant', { infoHash, fileIndex });
    if (!isLoopbackStreamUrl(granted?.url)) throw new Error(`the helper granted a stream on another host (${granted?.url}); not playing it`);
    attach(granted);
  } catch (e) {
    const problem = grantProblem(e);
    showProblem(problem.message);
    if (problem.kind === 'starting') setTimeout(askForGrant, RETRY_AFTER_MS);
    else if (problem.retry) waitingFor = problem.kind === 'metadata' ? 'metadata' : 'connection';
  } finally {
    asking = false;
  }
}

/** Puts the granted URL on a media element (a new one only the first time), or offers the desktop's player. */
function attach(granted) {
  const sameFile = grant?.id === granted.id;
  grant = granted;
  document.title = `Magnetar — ${grant.fileName}`;
  $('name').textContent = grant.fileName;
  hideProblem();
  const kind = mediaKind(grant.fileName);
  if (!grant.playable) {
    showProblem(`This browser cannot play “${grant.fileName}”. Open it in your own player: it plays while it downloads.`);
    $('open-external').classList.add('primary');
    $('open-external').focus();
    return;
  }
  if (!media) {
    const audio = kind?.element === 'audio' || String(grant.contentType).startsWith('audio/');
    media = h(audio ? 'audio' : 'video', { id: 'media', preload: 'auto', 'aria-label': `${audio ? 'Audio' : 'Video'}: ${grant.fileName}` });
    bindMedia(media);
    $('stage').prepend(media);
    $('stage').classList.toggle('audio', audio);
    for (const id of ['play', 'seek', 'mute', 'fullscreen']) $(id).disabled = false;
    $('fullscreen').disabled = audio || !document.fullscreenEnabled;
  }
  resumeForPlay();
  if (!sameFile || media.currentSrc !== grant.url) {
    // A new grant for a file already playing (the old one expired, or the helper restarted): go on where it was.
    if (media.currentSrc && !resumeAt) resumeAt = { time: media.currentTime, play: !media.paused };
    media.src = grant.url;
    if (!resumeAt) media.play().catch(() => { /* autoplay refused: the Play button is there */ });
  }
  pollStatus();
}

/** Playing is downloading: a paused torrent (or one held by the add dialog) starts when its file is played. */
function resumeForPlay() {
  if (resumed || !grant?.playable || torrent?.state !== 'PAUSED') return;
  resumed = true;
  command('resume', { infoHash }).catch((e) => showProblem(`The download is paused and did not resume: ${e.message}`));
}

function bindMedia(m) {
  const buffering = (on) => { $('buffering').hidden = !on; };
  m.addEventListener('waiting', () => buffering(true));
  m.addEventListener('stalled', () => { if (!m.paused && m.readyState < HTMLMediaElement.HAVE_FUTURE_DATA) buffering(true); });
  m.addEventListener('playing', () => { buffering(false); hideProblem(); });
  m.addEventListener('canplay', () => buffering(false));
  m.addEventListener('play', renderButtons);
  m.addEventListener('pause', renderButtons);
  m.addEventListener('volumechange', renderButtons);
  m.addEventListener('durationchange', renderTime);
  m.addEventListener('timeupdate', renderTime);
  m.addEventListener('loadedmetadata', () => {
    if (resumeAt) {
      m.currentTime = resumeAt.time;
      if (resumeAt.play) m.play().catch(() => {});
      resumeAt = null;
    }
    renderTime();
  });
  m.addEventListener('error', () => onMediaError(m.error?.code ?? 0));
}

/** A media error: find out why (see streamProblem), say so, and pick up again where it makes sense. */
async function onMediaError(code) {
  if (!grant) return;
  let probe;
  try {
    const r = await fetch(grant.url, { method: 'HEAD', cache: 'no-store', credentials: 'omit' });
    probe = { status: r.status };
  } catch {
    probe = { unreachable: true };
  }
  const problem = streamProblem(code, probe, { ranges: lastStatus?.downloadedRanges, size: grant.size });
  showProblem(problem.message);
  $('buffering').hidden = true;
  const at = { time: media.currentTime, play: true };
  if (problem.kind === 'undecodable') {
    $('open-external').classList.add('primary');
  } else if (problem.kind === 'gone') {
    resumeAt = at;
    grant = { ...grant, id: null };
    askForGrant();
  } else if (problem.kind === 'helper-gone') {
    resumeAt = at;
    waitingFor = 'connection';
    grant = { ...grant, id: null };
    // The background may have reconnected already (a restarted helper answers on a new port at once).
    if (connected) setTimeout(askForGrant, RETRY_AFTER_MS);
  } else {
    // The helper waited for the bytes and gave up (503): try the same place again a little later.
    setTimeout(() => { if (grant?.id) { resumeAt = at; media.src = grant.url; } }, RETRY_AFTER_MS);
  }
}

async function pollStatus() {
  if (!grant?.id || !connected) return;
  try {
    lastStatus = await command('streamStatus', { id: grant.id });
    renderStatus(lastStatus);
  } catch (e) {
    if (e.status === 404) { grant = { ...grant, id: null }; askForGrant(); }
  }
}

function renderStatus(status) {
  const size = status.grant?.size ?? grant.size;
  $('ranges').replaceChildren(...rangeSegments(status.downloadedRanges, size).map((s) => {
    const segment = h('span', { class: 'range' });
    segment.style.left = `${s.left}%`;
    segment.style.width = `${s.width}%`;
    return segment;
  }));
  $('ranges').setAttribute('aria-label', rangesLabel(status.downloadedRanges, size));
  const f = liveFacts(status);
  const facts = [['Download speed', f.speed], ['Peers', f.peers], ['Ready ahead', f.ahead], ['Downloaded', f.downloaded], ['State', f.state]];
  $('facts').replaceChildren(...facts.filter(([, v]) => v).map(([k, v]) =>
    h('div', { 'data-fact': k }, h('dt', { text: k }), h('dd', { text: v }))));
}

function renderButtons() {
  if (!media) return;
  $('play').textContent = media.paused ? 'Play' : 'Pause';
  $('mute').textContent = media.muted ? 'Unmute' : 'Mute';
  $('mute').setAttribute('aria-pressed', String(media.muted));
}

function renderTime() {
  if (!media) return;
  const duration = media.duration;
  $('position').textContent = formatClock(media.currentTime);
  $('duration').textContent = formatClock(duration);
  $('seek').setAttribute('aria-valuetext', `${formatClock(media.currentTime)} of ${formatClock(duration)}`);
  if (!seeking && Number.isFinite(duration) && duration > 0) $('seek').value = String(Math.round((media.currentTime / duration) * 1000));
}

function act(action) {
  if (!media) return;
  switch (action) {
    case 'toggle': if (media.paused) media.play().catch(() => {}); else media.pause(); break;
    case 'back': media.currentTime = seekTarget(media.currentTime, -SEEK_STEP_SECONDS, media.duration); break;
    case 'forward': media.currentTime = seekTarget(media.currentTime, SEEK_STEP_SECONDS, media.duration); break;
    case 'mute': media.muted = !media.muted; break;
    case 'fullscreen':
      if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
      else if (media.tagName === 'VIDEO') $('stage').requestFullscreen().catch(() => {});
      break;
    default: break;
  }
}

document.addEventListener('keydown', (event) => {
  const action = keyAction({
    key: event.key, targetTag: event.target?.tagName, targetType: event.target?.type,
    ctrlKey: event.ctrlKey, altKey: event.altKey, metaKey: event.metaKey,
  });
  if (!action || !media) return;
  event.preventDefault();
  act(action);
});

$('play').addEventListener('click', () => act('toggle'));
$('mute').addEventListener('click', () => act('mute'));
$('fullscreen').addEventListener('click', () => act('fullscreen'));
$('seek').addEventListener('pointerdown', () => { seeking = true; });
$('seek').addEventListener('change', () => { seeking = false; });
$('seek').addEventListener('input', () => {
  if (media && Number.isFinite(media.duration)) media.currentTime = (Number($('seek').value) / 1000) * media.duration;
});
$('open-external').addEventListener('click', async () => {
  try {
    await command('openInPlayer', { infoHash, fileIndex });
    showProblem('Asked the desktop to open it in your player.', 'notice');
  } catch (e) {
    showProblem(e.status === 409 ? `Nothing to open yet: ${e.message}` : `Could not open it: ${e.message}`);
  }
});

function showProblem(text, className = 'notice warn') {
  $('problem').hidden = false;
  $('problem').className = className;
  $('problem').textContent = text;
}

function hideProblem() {
  $('problem').hidden = true;
  $('problem').textContent = '';
}
