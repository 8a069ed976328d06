// End to end in Debian's headless Firefox ESR over WebDriver BiDi: the Firefox build of the extension,
// the real helper jar as its native host (in this test's own HOME), the real daemon/API/wallet/approvals
// on a devnet, and a loopback libtorrent seeder. The steps share one browser and one helper, in order.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import {
  FIREFOX, ensureHelperBuilt, buildExtension, prepareHelperHome, writeLauncher, registerFirefoxNativeHost, launchFirefox,
  extensionPage, daemonInfo, api, until, stopDaemon, servePages, libtorrentAvailable, startSeeder, tempRoot, removeTree,
  desktopOpenerStub, unavailableSuite,
} from './harness.mjs';
import { startWebSeed } from './webseed-fixtures.mjs';

const PASSWORD = 'correct horse battery staple';
const SCRIPTED_HASH = 'dead00'.padEnd(40, 'e');

function unavailable(why) {
  unavailableSuite('extension E2E in Firefox', why);
}

if (!existsSync(FIREFOX)) {
  unavailable(`${FIREFOX} is missing: apt-get install -y firefox-esr`);
} else if (!libtorrentAvailable()) {
  unavailable('python3-libtorrent is needed for the loopback seeder: apt-get install -y python3-libtorrent');
} else {
  describe('Magnetar extension in real Firefox with the real helper', { timeout: 10 * 60_000 }, () => {
    let root; let helper; let browser; let pages; let seeder; let page; let opener; let webSeed;

    before(async () => {
      ensureHelperBuilt();
      root = tempRoot();
      helper = prepareHelperHome(root, PASSWORD);
      seeder = await startSeeder(root);
      const magnet = `magnet:?xt=urn:btih:${seeder.infoHash}&dn=${seeder.name}&x.pe=127.0.0.1:${seeder.port}`;
      pages = await servePages({
        '/seed.html': `<!doctype html><body><a id="m" href="${magnet}">seed</a><script>
          // The page's own click on another magnet must add nothing; it stops the default action itself
          // so that Firefox does not ask for another program.
          const a = document.createElement('a');
          a.href = 'magnet:?xt=urn:btih:${SCRIPTED_HASH}&dn=scripted';
          a.addEventListener('click', (e) => { window.scriptedPrevented = e.defaultPrevented; e.preventDefault(); });
          document.body.appendChild(a);
          a.click();
        </script></body>`,
      });
      // The helper is installed before the browser starts, as a user who followed the README has it.
      const firefoxHome = path.join(root, 'firefox-home');
      registerFirefoxNativeHost(firefoxHome, writeLauncher(root, helper.home));
      opener = desktopOpenerStub(root);
      browser = (await launchFirefox(puppeteer, root, buildExtension('firefox'), { ...process.env, MAGNETAR_HOME: helper.home, PATH: opener.path },
        firefoxHome)).browser;
    });

    after(async () => {
      await browser?.close().catch(() => {});
      if (helper) await stopDaemon(helper.home);
      seeder?.seeder.kill('SIGKILL');
      pages?.server.close();
      webSeed?.server.close();
      if (root && !process.env.MAGNETAR_E2E_KEEP) removeTree(root); else if (root) console.log('kept', root);
    });

    async function toastText(p) {
      return until('the toast', () => p.evaluate(() => document.querySelector('magnetar-toast')?.shadowRoot?.querySelector('[role]')?.textContent ?? null));
    }

    test('a real click on a magnet link downloads it to 100 % from a loopback libtorrent seeder; a scripted click adds nothing', async () => {
      page = await browser.newPage();
      await page.goto(`${pages.origin}/seed.html`);
      assert.equal(await page.evaluate(() => window.scriptedPrevented), false, 'the extension left the scripted click alone');
      await page.click('#m');
      // The first click starts the native host, which starts the daemon.
      assert.match(await toastText(page), new RegExp(`Magnetar is downloading “${seeder.name}”`));
      const daemon = daemonInfo(helper.home);
      assert.ok(daemon, 'the native host started the daemon');
      const done = await until('the download to finish', async () => (await api(daemon, 'GET', '/torrents')).torrents
        .find((t) => t.infoHash === seeder.infoHash && t.verifiedBytes === seeder.size), 180_000);
      assert.equal(done.totalBytes, seeder.size);
      const file = path.join(helper.downloads, seeder.name);
      assert.ok(readFileSync(file).equals(readFileSync(path.join(root, 'seed', seeder.name))), 'byte-identical to the seeded file');
      assert.equal((await api(daemon, 'GET', '/torrents')).torrents.some((t) => t.infoHash === SCRIPTED_HASH), false);
    });

    async function fileBoost(capBtt, originPage) {
      const daemon = daemonInfo(helper.home);
      const filed = await api(daemon, 'POST', `/torrents/${seeder.infoHash}/boost`, { capBtt, ratePerGiBBtt: '0.5', ...(originPage ? { originPage } : {}) });
      const win = await extensionPage(browser, `the approval window for ${filed.id}`,
        (url) => url.pathname === '/approval.html' && url.searchParams.get('id') === filed.id);
      await win.waitForSelector('#request:not([hidden])', { timeout: 15_000 });
      return { win, id: filed.id };
    }

    async function approvalState(id) {
      return (await api(daemonInfo(helper.home), 'GET', '/approvals')).approvals.find((a) => a.id === id)?.state;
    }

    /** Clicks a button whose action may close its window before the click call returns. */
    async function clickClosing(p, selector) {
      await p.click(selector).catch((e) => { if (!/clos|detached|discarded|no such frame/i.test(e.message)) throw e; });
    }

    test('approval window: shows the amount, network and requesting page; a wrong password approves nothing; Approve approves', async () => {
      const { win, id } = await fileBoost('7.5', `${pages.origin}/seed.html`);
      const facts = await win.$eval('dl.facts', (dl) => dl.innerText);
      assert.match(facts, /7\.5 BTT = 7,500,000,000,000,000,000 base units/);
      assert.match(facts, /Local devnet/);
      assert.ok(facts.includes(`${pages.origin}/seed.html`), 'the requesting page is shown');
      await win.type('#password', 'wrong password');
      await win.click('#approve');
      await until('the wrong-password message', () => win.$eval('#error', (e) => /Wrong wallet password/.test(e.textContent)));
      assert.equal(await approvalState(id), 'PENDING');
      await win.$eval('#password', (e) => { e.value = ''; });
      await win.type('#password', PASSWORD);
      await clickClosing(win, '#approve');
      await until('the budget to be approved', async () => (await approvalState(id)) === 'APPROVED', 60_000);
    });

    test('approval window: Reject rejects and nothing is spent', async () => {
      const daemon = daemonInfo(helper.home);
      const before = await api(daemon, 'GET', '/wallet/balance');
      const { win, id } = await fileBoost('3');
      await clickClosing(win, '#reject');
      await until('the request to be rejected', async () => (await approvalState(id)) === 'REJECTED');
      assert.equal((await api(daemon, 'GET', '/wallet/balance')).bttBaseUnits, before.bttBaseUnits, 'no BTT moved');
    });

    test('popup: the finished download at 100 %, connected, and the waiting spend request', async () => {
      // Puppeteer cannot open a moz-extension: page, but an extension window can go to the popup's page.
      const { win, id } = await fileBoost('2');
      await win.evaluate(() => location.assign(new URL('popup.html', location.href).href));
      const popup = await extensionPage(browser, 'the popup', (url) => url.pathname === '/popup.html');
      const item = `li[data-info-hash="${seeder.infoHash}"]`;
      await popup.waitForSelector(`${item} [role=progressbar][aria-valuenow="100"]`, { timeout: 30_000 });
      assert.equal(await popup.$eval(`${item} .percent`, (e) => e.textContent), '100 %');
      assert.equal(await popup.$eval(`${item} .name`, (e) => e.textContent), seeder.name);
      assert.match(await popup.$eval('#connection-text', (e) => e.textContent), /^Connected to the Magnetar helper/);
      assert.match(await popup.$eval('#pending', (e) => e.innerText), /A spend request is waiting for your decision/);

      // Before the request is decided (which closes this window), the same window goes on to the download's
      // detail page: its file, and Open folder through the native host. The page goes away while the call
      // returns: that is the navigation, not a failure.
      await popup.evaluate((hash) => location.assign(new URL(`detail.html?infoHash=${hash}`, location.href).href), seeder.infoHash)
        .catch((e) => { if (!/frame|context|detached/i.test(e.message)) throw e; });
      const detail = await extensionPage(browser, 'the detail page', (url) => url.pathname === '/detail.html');
      await detail.waitForSelector('tr[data-file-index="0"]', { timeout: 30_000 });
      assert.equal(await detail.$eval('tr[data-file-index="0"] td', (e) => e.textContent), seeder.name);
      await detail.click('#open-folder');
      await until('the desktop to be asked to open the download folder', () => opener.opened().includes(helper.downloads));

      // A torrent whose only source is a loopback HTTP mirror (url-list): the same window shows its web seeds.
      webSeed = await startWebSeed();
      await api(daemonInfo(helper.home), 'POST', '/torrents/file', { torrentBase64: webSeed.torrent.toString('base64') });
      await detail.evaluate((hash) => location.assign(new URL(`detail.html?infoHash=${hash}`, location.href).href), webSeed.infoHash)
        .catch((e) => { if (!/frame|context|detached/i.test(e.message)) throw e; });
      const seeds = await extensionPage(browser, 'the web seed torrent\'s detail page',
        (url) => url.pathname === '/detail.html' && url.searchParams.get('infoHash') === webSeed.infoHash);
      const cells = (row) => seeds.$$eval(`#web-seed-rows tr:nth-child(${row}) td`, (tds) => tds.map((td) => td.textContent));
      await until('the mirror to have sent the whole file', async () => (await cells(1))[3] === '1 MiB', 60_000);
      assert.deepEqual((await cells(1)).filter((_, i) => i !== 2), [webSeed.host, 'active', '1 MiB', '0']);
      const [refusedHost, refusedState] = await cells(2);
      assert.equal(refusedHost, '127.0.0.1');
      assert.match(refusedState, /^dropped — .*scheme ftp:.*http and https web seeds only/);
      await until('the download to be verified', async () => (await api(daemonInfo(helper.home), 'GET', `/torrents/${webSeed.infoHash}`)).status.verifiedBytes === webSeed.body.length, 60_000);
      assert.ok(readFileSync(path.join(helper.downloads, webSeed.name)).equals(webSeed.body), 'byte-identical to what the mirror serves');
      await api(daemonInfo(helper.home), 'POST', `/approvals/${id}/reject`, {});
      assert.equal(await approvalState(id), 'REJECTED');
    });
  });
}
