// End to end in Debian's headless Firefox ESR over WebDriver BiDi: a .torrent link on a page, and the add
// dialog, with the Firefox build of the extension and the real helper jar as its native host. Firefox's
// content scripts fetch differently from Chromium's (an expanded principal), so the .torrent fetch is
// proven here too. No wallet.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import {
  FIREFOX, ensureHelperBuilt, prepareHelperHome, buildExtension, writeLauncher, registerFirefoxNativeHost, launchFirefox, extensionPage,
  daemonInfo, api, until, stopDaemon, libtorrentAvailable, startSeeder, tempRoot, removeTree, unavailableSuite,
} from './harness.mjs';
import { withAnnounce, serveSite, startTwoFileSeeder } from './adding-fixtures.mjs';

if (!existsSync(FIREFOX) || !libtorrentAvailable()) {
  unavailableSuite('adding in Firefox', 'needs firefox-esr and python3-libtorrent');
} else {
  describe('adding from pages in real Firefox with the real helper', { timeout: 10 * 60_000 }, () => {
    let root; let helper; let browser; let seeder; let two; let site;
    const routes = {};

    before(async () => {
      ensureHelperBuilt();
      root = tempRoot();
      helper = prepareHelperHome(root, null, { wallet: false }); // adding needs no wallet
      seeder = await startSeeder(root);
      two = await startTwoFileSeeder(root);
      site = await serveSite(routes, seeder.port);
      const torrentFile = withAnnounce(readFileSync(path.join(root, 'e2e.torrent')), `${site.origin}/announce`);
      routes['/files/magnetar-e2e.torrent'] = { type: 'application/x-bittorrent', body: torrentFile };
      routes['/page.html'] = {
        type: 'text/html',
        body: `<!doctype html><body><a id="torrent" href="/files/magnetar-e2e.torrent">the .torrent</a>
          <a id="two" href="magnet:?xt=urn:btih:${two.infoHash}&dn=two-files&x.pe=127.0.0.1:${two.port}">two files</a>
          <script>window.seen = []; document.addEventListener('click', (e) => window.seen.push(e.defaultPrevented));</script></body>`,
      };
      const firefoxHome = path.join(root, 'firefox-home');
      registerFirefoxNativeHost(firefoxHome, writeLauncher(root, helper.home));
      browser = (await launchFirefox(puppeteer, root, buildExtension('firefox'), { ...process.env, MAGNETAR_HOME: helper.home }, firefoxHome)).browser;
    });

    after(async () => {
      await browser?.close().catch(() => {});
      if (helper) await stopDaemon(helper.home);
      seeder?.seeder.kill('SIGKILL');
      two?.seeder.kill('SIGKILL');
      site?.server.close();
      if (root && !process.env.MAGNETAR_E2E_KEEP) removeTree(root); else if (root) console.log('kept', root);
    });

    async function toastText(p, pattern) {
      return until(`a toast matching ${pattern}`, async () => {
        const t = await p.evaluate(() => document.querySelector('magnetar-toast')?.shadowRoot?.querySelector('[role]')?.textContent ?? '');
        if (!pattern.test(t)) throw new Error(`the toast says: ${t}`); // shown if it never matches
        return t;
      }, 60_000);
    }

    test('a click on a .torrent link downloads the torrent to 100 %', async () => {
      const page = await browser.newPage();
      await page.goto(`${site.origin}/page.html`);
      await page.click('#torrent');
      await toastText(page, new RegExp(`Magnetar is downloading “${seeder.name}”`));
      // Taken by the extension, and not handed back to the browser (which would be a second, scripted click).
      assert.deepEqual(await page.evaluate(() => window.seen), [true]);
      const daemon = daemonInfo(helper.home);
      await until('the download to finish', async () => (await api(daemon, 'GET', '/torrents')).torrents
        .find((t) => t.infoHash === seeder.infoHash && t.verifiedBytes === seeder.size), 180_000);
      assert.ok(readFileSync(path.join(helper.downloads, seeder.name)).equals(readFileSync(path.join(root, 'seed', seeder.name))));
      await page.close();
    });

    test('add dialog: Shift+click, untick one of two files, Download: only the ticked file is downloaded', async () => {
      const daemon = daemonInfo(helper.home);
      const chosen = path.join(root, 'chosen');
      mkdirSync(chosen);
      const page = await browser.newPage();
      await page.goto(`${site.origin}/page.html`);
      await page.keyboard.down('Shift');
      await page.click('#two');
      await page.keyboard.up('Shift');
      const dialog = await extensionPage(browser, 'the add dialog', (url) => url.pathname === '/add.html' && url.searchParams.get('infoHash') === two.infoHash);
      await dialog.waitForSelector('#file-1', { visible: true, timeout: 60_000 });
      assert.equal((await api(daemon, 'GET', `/torrents/${two.infoHash}`)).status.state, 'PAUSED', 'held for the choice');
      await dialog.click('#file-1');
      await dialog.$eval('#folder', (e, dir) => { e.value = dir; }, chosen);
      await dialog.click('#download').catch((e) => { if (!/clos|detached|discarded|no such frame/i.test(e.message)) throw e; });
      const done = await until('the ticked file to download', async () => {
        const d = await api(daemon, 'GET', `/torrents/${two.infoHash}`);
        return d.status.state === 'SEEDING' ? d : null;
      }, 120_000);
      assert.equal(done.saveFolder, chosen);
      assert.ok(readFileSync(path.join(chosen, 'two-files', 'first.bin')).equals(two.first));
      assert.equal(existsSync(path.join(chosen, 'two-files', 'second.bin')), false, 'the unticked file was not downloaded');
      await page.close();
    });
  });
}
