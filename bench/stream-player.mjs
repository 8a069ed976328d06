// bench/stream's player: one Play and one seek in Debian's headless Chromium, timed by the media element's own
// `playing` events, with the byte ranges Chromium fetched for each (so libtorrent can be asked for the same).
//
// Usage: node bench/stream-player.mjs BASE_URL TOKEN INFO_HASH DOWNLOAD_DIR SEEK_FRACTION
//   BASE_URL  the helper's API, http://127.0.0.1:PORT/api/v1 (a torrent added with awaitChoice, metadata known)
//        or: node bench/stream-player.mjs --url MEDIA_URL SEEK_FRACTION
//   MEDIA_URL a plain range server's URL (bench/range_oracle.py): Play is the element's src and play() alone.
// Prints one JSON line: {firstFrameMs, seekMs, first: [{start, bytes}], seek: [{start, bytes}], events}.
// "Play" is what the add dialog's Play does: POST …/start (playFile 0), POST …/files/0/stream, then the element's src and
// play(); it is timed from before the first POST. Times come from Date.now() in the page and in this
// process (one clock); each range counts the bytes Chromium had received before the `playing` it led to.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const { chromium } = createRequire(path.join(ROOT, 'extension', 'package.json'))('playwright-core');
const plainUrl = process.argv[2] === '--url' ? process.argv[3] : null;
const [base, token, infoHash, downloadDir, seekFraction] = plainUrl ? [null, null, null, null, process.argv[4]] : process.argv.slice(2);
const TIMEOUT_MS = 180_000;

async function call(method, route, body) {
  const r = await fetch(base + route, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${route}: HTTP ${r.status} ${text}`);
  return JSON.parse(text);
}

/** Every request Chromium makes for the stream URL, and the bytes it received for each, with when. */
async function recordStreamRequests(page) {
  const requests = new Map();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!(plainUrl ? e.request.url === plainUrl : e.request.url.includes('/stream/'))) return;
    const range = /bytes=(\d+)-/.exec(e.request.headers.Range ?? e.request.headers.range ?? '');
    requests.set(e.requestId, { start: range ? Number(range[1]) : 0, sentAt: Date.now(), chunks: [] });
  });
  cdp.on('Network.dataReceived', (e) => {
    requests.get(e.requestId)?.chunks.push({ at: Date.now(), bytes: e.dataLength });
  });
  cdp.on('Network.loadingFinished', (e) => { const r = requests.get(e.requestId); if (r) r.endedAt = Date.now(); });
  cdp.on('Network.loadingFailed', (e) => { const r = requests.get(e.requestId); if (r) r.endedAt = Date.now(); });
  return requests;
}

/** Chromium's media log (what chrome://media-internals shows): the pipeline's states and the demuxer's messages, timed. */
async function recordMediaLog(page) {
  const log = [];
  const cdp = await page.context().newCDPSession(page);
  cdp.on('Media.playerPropertiesChanged', (e) => {
    for (const p of e.properties) log.push({ at: Date.now(), what: `${p.name}=${p.value}` });
  });
  cdp.on('Media.playerEventsAdded', (e) => {
    for (const x of e.events) log.push({ at: Date.now(), what: `event @${x.timestamp} ${x.value}` });
  });
  cdp.on('Media.playerMessagesLogged', (e) => {
    for (const m of e.messages) log.push({ at: Date.now(), what: `${m.level}: ${m.message}` });
  });
  await cdp.send('Media.enable');
  return log;
}

/** The ranges sent in [from, until) with the bytes that had come by until; in the order Chromium asked. */
function rangesBetween(requests, from, until) {
  return [...requests.values()]
    .filter((r) => r.sentAt >= from && r.sentAt < until)
    .map((r) => ({ start: r.start, bytes: r.chunks.filter((c) => c.at <= until).reduce((n, c) => n + c.bytes, 0) }))
    .filter((r) => r.bytes > 0);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  timeout: 60_000,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
try {
  const page = await browser.newPage();
  await page.setContent('<video id="media" preload="auto"></video>');
  await page.evaluate(() => {
    window.mediaEvents = [];
    for (const type of ['playing', 'waiting', 'seeking', 'seeked', 'error']) {
      document.getElementById('media').addEventListener(type, (e) => window.mediaEvents.push({ type, at: Date.now(), time: e.target.currentTime }));
    }
  });
  const requests = await recordStreamRequests(page);
  const mediaLog = await recordMediaLog(page);
  const events = () => page.evaluate(() => window.mediaEvents);
  const firstAfter = async (type, from) => {
    const handle = await page.waitForFunction(([t, f]) => {
      const err = window.mediaEvents.find((e) => e.type === 'error');
      if (err) return { type: 'error', code: document.getElementById('media').error?.code };
      return window.mediaEvents.find((e) => e.type === t && e.at >= f);
    }, [type, from], { timeout: TIMEOUT_MS, polling: 5 });
    const event = await handle.jsonValue();
    if (event.type === 'error') throw new Error(`the media element failed: MediaError code ${event.code}`);
    return event;
  };

  const playAt = Date.now();
  if (!plainUrl) await call('POST', `/torrents/${infoHash}/start`, { downloadDir, skipFiles: [], playFile: 0 });
  const startedAt = Date.now();
  const grant = plainUrl ? { url: plainUrl } : await call('POST', `/torrents/${infoHash}/files/0/stream`, {});
  const grantedAt = Date.now();
  const srcAt = await page.evaluate((url) => { const m = document.getElementById('media'); m.src = url; m.play().catch(() => {}); return Date.now(); },
    grant.url);
  const playing = await firstAfter('playing', playAt);

  const duration = await page.evaluate(() => document.getElementById('media').duration);
  const seekAt = await page.evaluate((to) => { const m = document.getElementById('media'); m.currentTime = to; return Date.now(); },
    Number(seekFraction) * duration);
  const playingAgain = await firstAfter('playing', seekAt);
  console.log(JSON.stringify({
    playAtEpochMs: playAt,
    firstFrameMs: playing.at - playAt,
    seekMs: playingAgain.at - seekAt,
    duration,
    first: rangesBetween(requests, playAt, playing.at),
    seek: rangesBetween(requests, seekAt, playingAgain.at),
    events: [{ type: 'started', at: startedAt - playAt }, { type: 'granted', at: grantedAt - playAt }, { type: 'src', at: srcAt - playAt },
      ...(await events()).map((e) => ({ ...e, at: e.at - playAt }))],
    // Where the time went: each request's start offset, when it was sent, when its first and last bytes came
    // and when it ended, in ms after Play; and the bytes it brought.
    requests: [...requests.values()].map((r) => ({
      start: r.start,
      sent: r.sentAt - playAt,
      firstByte: r.chunks.length ? r.chunks[0].at - playAt : null,
      lastByte: r.chunks.length ? r.chunks[r.chunks.length - 1].at - playAt : null,
      ended: r.endedAt === undefined ? null : r.endedAt - playAt,
      bytes: r.chunks.reduce((n, c) => n + c.bytes, 0),
      // Every chunk as Chromium got it: [ms after Play, bytes] (what came in a window of time, e.g. while a seek waited).
      chunks: r.chunks.map((c) => [c.at - playAt, c.bytes]),
      // When its bytes came: [ms after Play, bytes] per burst (chunks less than 20 ms apart are one burst).
      bursts: r.chunks.reduce((out, c) => {
        const last = out[out.length - 1];
        if (last && c.at - playAt - last[2] < 20) { last[1] += c.bytes; last[2] = c.at - playAt; } else out.push([c.at - playAt, c.bytes, c.at - playAt]);
        return out;
      }, []).map(([at, bytes]) => [at, bytes]),
    })),
    mediaLog: mediaLog.map((m) => ({ ...m, at: m.at - playAt })),
  }));
} finally {
  await browser.close();
}
