// End to end in Debian's headless Firefox ESR over WebDriver BiDi: the Firefox build of the extension plays
// a torrent's WebM (VP9/Opus) and MP4 (H.264/AAC, moov at the end), made by ffmpeg, while they download from
// a rate-capped loopback libtorrent seeder. Firefox writes its own extension-page CSP (scripts/build.mjs);
// this proves the player's media element still reaches the helper's http://127.0.0.1 stream. The remote
// protocol cannot open moz-extension: pages, so the test goes the user's way: Shift+click a magnet, Play in
// the add dialog.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import {
  FIREFOX, ensureHelperBuilt, prepareHelperHome, buildExtension, writeLauncher, registerFirefoxNativeHost, launchFirefox, extensionPage,
  daemonInfo, api, until, stopDaemon, libtorrentAvailable, tempRoot, removeTree, unavailableSuite,
} from './harness.mjs';
import { serveSite } from './adding-fixtures.mjs';
import { ffmpegAvailable, makeMedia, seedMedia, unthrottle } from './stream-fixtures.mjs';

if (!existsSync(FIREFOX) || !libtorrentAvailable() || !ffmpegAvailable()) {
  unavailableSuite('streaming in Firefox', 'needs firefox-esr, python3-libtorrent and ffmpeg');
} else {
  describe('play while downloading in real Firefox with the real helper', { timeout: 10 * 60_000 }, () => {
    let root; let helper; let browser; let site; const media = {};
    const routes = {};

    before(async () => {
      ensureHelperBuilt();
      root = tempRoot();
      helper = prepareHelperHome(root, null, { wallet: false });
      for (const kind of ['webm', 'mp4']) {
        media[kind] = makeMedia(path.join(root, 'media'), kind);
        media[kind].seed = await seedMedia(root, media[kind], 2 * media[kind].bytesPerSecond);
      }
      site = await serveSite(routes, media.webm.seed.port);
      routes['/film.html'] = { type: 'text/html', body: `<!doctype html>
        <a id="webm" href="${media.webm.seed.magnet}">webm</a> <a id="mp4" href="${media.mp4.seed.magnet}">mp4</a>` };
      const firefoxHome = path.join(root, 'firefox-home');
      registerFirefoxNativeHost(firefoxHome, writeLauncher(root, helper.home));
      browser = (await launchFirefox(puppeteer, root, buildExtension('firefox'), { ...process.env, MAGNETAR_HOME: helper.home }, firefoxHome)).browser;
    });

    after(async () => {
      await browser?.close().catch(() => {});
      if (helper) await stopDaemon(helper.home);
      for (const m of Object.values(media)) m.seed?.seeder.kill('SIGKILL');
      site?.server.close();
      if (root && !process.env.MAGNETAR_E2E_KEEP) removeTree(root); else if (root) console.log('kept', root);
    });

    const mediaState = (player) => player.evaluate(() => {
      const m = document.getElementById('media');
      return m && { time: m.currentTime, duration: m.duration, paused: m.paused, readyState: m.readyState, src: m.currentSrc };
    });

    /** Shift+click the file's magnet, Play in the add dialog, then what the Chromium run checks too. */
    async function playsWhileDownloading(kind, codecs) {
      const m = media[kind];
      const daemon = () => daemonInfo(helper.home);
      const page = await browser.newPage();
      await page.goto(`${site.origin}/film.html`);
      assert.notEqual(await page.evaluate((t) => document.createElement('video').canPlayType(t), codecs), '', `Firefox decodes ${codecs}`);
      await page.keyboard.down('Shift');
      await page.click(`#${kind}`);
      await page.keyboard.up('Shift');
      const dialog = await extensionPage(browser, 'the add dialog', (url) => url.pathname === '/add.html' && url.searchParams.get('infoHash') === m.seed.infoHash, 60_000);
      await dialog.waitForSelector('button.media[data-file-index="0"]', { visible: true, timeout: 60_000 });
      assert.equal(await dialog.$eval('button.media[data-file-index="0"]', (b) => b.getAttribute('aria-label')), `Play ${m.name}`);
      assert.equal((await api(daemon(), 'GET', `/torrents/${m.seed.infoHash}`)).status.verifiedBytes, 0, 'held until the choice');
      await dialog.click('button.media[data-file-index="0"]').catch((e) => { if (!/clos|detached|discarded|no such frame/i.test(e.message)) throw e; });

      const player = await extensionPage(browser, 'the player', (url) => url.pathname === '/player.html' && url.searchParams.get('infoHash') === m.seed.infoHash);
      // Seen playing: not paused, time moved off zero. Polled, so the progress read after it can only overstate what was there.
      await until('playback to begin', async () => { const s = await mediaState(player); return s && !s.paused && s.time > 0; }, 120_000);
      const atPlaying = (await api(daemon(), 'GET', `/torrents/${m.seed.infoHash}`)).status.verifiedBytes;
      console.log(`Firefox, ${m.name}: playing with ${(100 * atPlaying / m.size).toFixed(1)} % of ${m.size} bytes downloaded`);
      assert.ok(atPlaying < m.size / 4, `playing began with ${atPlaying} of ${m.size} bytes (want < 25 %)`);
      const { src } = await mediaState(player);
      assert.match(src, /^http:\/\/127\.0\.0\.1:\d+\/stream\//, 'plain http on loopback: Firefox did not upgrade it to https');

      const start = (await mediaState(player)).time;
      await until('currentTime to advance a second', async () => (await mediaState(player)).time >= start + 1, 60_000);
      const { duration } = await mediaState(player);
      const target = 0.8 * duration;
      await player.evaluate((to) => { document.getElementById('media').currentTime = to; }, target);
      await until('playback to go on past the seek target', async () => (await mediaState(player)).time >= target + 1, 90_000);
      assert.equal((await mediaState(player)).paused, false);

      unthrottle(m.seed);
      await until('the download to finish', async () =>
        (await api(daemon(), 'GET', `/torrents/${m.seed.infoHash}`)).status.verifiedBytes === m.size, 240_000);
      assert.ok(readFileSync(path.join(helper.downloads, m.name)).equals(m.seed.bytes), 'byte-identical to the seeder\'s');
      await page.close();
    }

    test('WebM (VP9/Opus): Play in the add dialog plays while downloading; a seek to 80 % plays; the file ends byte-identical', async () => {
      await playsWhileDownloading('webm', 'video/webm; codecs="vp9, opus"');
    });

    test('MP4 (H.264/AAC, moov at the end): the same', async () => {
      await playsWhileDownloading('mp4', 'video/mp4; codecs="avc1.42E01E, mp4a.40.2"');
    });
  });
}
