// End to end in Debian's headless Chromium for the extension's own views beyond the list: the wallet
// page (create with a recovery phrase shown once and confirmed, faucet, lock/unlock), the detail page
// (files with priorities, peers, trackers, Open folder / Open file through the native host), the list's
// filter and search, a keyboard-only pass, and screenshots at 100 % and 200 % of every view.
// The helper starts without a wallet; the desktop's opener is a stand-in `xdg-open` on the browser's
// PATH that records what it was asked to open.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  REPO, EXTENSION_ID, CHROMIUM, ensureHelperBuilt, buildExtension, prepareHelperHome, writeLauncher, registerNativeHost,
  launchChromium, daemonInfo, api, until, stopDaemon, libtorrentAvailable, startSeeder, tempRoot, removeTree, desktopOpenerStub, unavailableSuite,
} from './harness.mjs';
import { startWebSeed } from './webseed-fixtures.mjs';

const PASSWORD = 'a long wallet password';
const ARTIFACTS = path.join(REPO, 'test-artifacts', 'extension');
const BTT = 10n ** 18n;
const PAUSED_HASH = 'feed0000feed0000feed0000feed0000feed0000';

if (!existsSync(CHROMIUM)) {
  unavailableSuite('views E2E in Chromium', `${CHROMIUM} is missing: apt-get install -y chromium`);
} else {
  describe('Magnetar wallet, detail and list views in real Chromium with the real helper', { timeout: 10 * 60_000 }, () => {
    let root; let helper; let ctx; let popup; let worker; let seeder; let opener; let launcher; let webSeed;

    before(async () => {
      ensureHelperBuilt();
      root = tempRoot();
      const udd = path.join(root, 'udd');
      helper = prepareHelperHome(root, PASSWORD, { wallet: false });
      launcher = writeLauncher(root, helper.home);
      registerNativeHost(udd, launcher);
      opener = desktopOpenerStub(root);
      ctx = await launchChromium(chromium, udd, buildExtension(), { ...process.env, MAGNETAR_HOME: helper.home, PATH: opener.path });
      worker = ctx.serviceWorkers()[0] ?? await ctx.waitForEvent('serviceworker', { timeout: 30_000 });
      popup = await ctx.newPage();
      await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
      await popup.getByText(/Connected to the Magnetar helper/).waitFor({ timeout: 90_000 });
    });

    after(async () => {
      await ctx?.close().catch(() => {});
      if (helper) await stopDaemon(helper.home);
      seeder?.seeder.kill('SIGKILL');
      webSeed?.server.close();
      if (root && !process.env.MAGNETAR_E2E_KEEP) removeTree(root); else if (root) console.log('kept', root);
    });

    const openedPaths = () => opener.opened();

    /** Opens an extension page the way the user does: a link in the popup with target=_blank. */
    async function follow(link, file) {
      const page = ctx.waitForEvent('page', { predicate: (p) => p.url().includes(`/${file}`), timeout: 30_000 });
      await link.click();
      const p = await page;
      await p.waitForLoadState();
      return p;
    }

    async function screenshots(page, name, width = 520) {
      mkdirSync(ARTIFACTS, { recursive: true });
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
      // 200 %: the same window width holds half the CSS pixels; everything must wrap, nothing scroll sideways.
      await page.setViewportSize({ width: 800, height: 1200 });
      await page.evaluate(() => { document.documentElement.style.zoom = '2'; });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-200.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await page.evaluate(() => { document.documentElement.style.zoom = ''; });
      await page.setViewportSize({ width, height: 900 });
      assert.ok(overflow <= 0, `${name}: no horizontal scrolling at 200 % (overflow ${overflow}px)`);
    }

    test('wallet, keyboard only: a new phrase is shown once and must be confirmed; the wallet is then made, unlocked and never stored by the extension', async () => {
      const daemon = daemonInfo(helper.home);
      await popup.locator('#wallet-setup').getByRole('link', { name: 'Set up a wallet' }).waitFor({ timeout: 15_000 });
      const page = await follow(popup.locator('#wallet-setup a'), 'wallet.html');
      await page.getByRole('button', { name: 'Create a new wallet' }).waitFor({ timeout: 15_000 });
      // Import first, with a phrase that does not check out: the helper's reason is shown and no wallet is made.
      await page.getByRole('button', { name: 'Import a wallet' }).click();
      await page.locator('#import-secret').fill('1. abandon 2. abandon 3. zzzqx ' + 'abandon '.repeat(9));
      await page.locator('#import-password').fill(PASSWORD);
      await page.locator('#import-password-again').fill(PASSWORD);
      await page.getByRole('button', { name: 'Import wallet' }).click();
      await page.locator('#error').getByText('word 3 is not in the BIP-39 English wordlist').waitFor({ timeout: 15_000 });
      assert.equal((await api(daemon, 'GET', '/wallet')).exists, false, 'a bad phrase makes no wallet');
      await page.locator('#import-form').getByRole('button', { name: 'Cancel' }).click();
      await page.locator('#import-secret').evaluate((e) => { if (e.value !== '') throw new Error('the secret stays in the form'); });
      await page.reload();
      await page.getByRole('button', { name: 'Create a new wallet' }).waitFor({ timeout: 15_000 });
      await page.keyboard.press('Tab'); // the first control of the page
      assert.equal(await page.evaluate(() => document.activeElement.id), 'start-create');
      await page.keyboard.press('Enter');
      // The password step has the focus; a short password is refused before anything happens.
      await page.keyboard.type('short');
      await page.keyboard.press('Tab');
      await page.keyboard.type('short');
      await page.keyboard.press('Enter');
      await page.locator('#error').getByText(/at least 8 characters/).waitFor({ timeout: 5_000 });
      await page.locator('#new-password').fill('');
      await page.locator('#new-password').focus();
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Tab');
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      const words = page.locator('#phrase-words li');
      await until('the twelve words', async () => (await words.count()) === 12, 15_000);
      const phrase = (await words.allInnerTexts()).map((w) => w.trim());
      await screenshots(page, 'wallet-phrase');
      assert.equal((await api(daemon, 'GET', '/wallet')).exists, false, 'shown, not yet made');
      assert.equal(await page.locator('#phrase-next').isDisabled(), true, 'Next waits for "I have written them down"');
      await page.keyboard.press('Space'); // the checkbox has the focus
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await page.locator('#create-confirm').waitFor({ timeout: 5_000 });
      assert.equal(await words.count(), 0, 'the words leave the screen while they are typed back');
      const asked = (await page.locator('#confirm-fields label').allInnerTexts()).map((t) => Number(/#(\d+)/.exec(t)[1]));
      assert.equal(asked.length, 3);
      // One wrong word: refused, and no wallet.
      for (const [i, n] of asked.entries()) {
        await page.keyboard.type(i === 1 ? 'wrongword' : phrase[n - 1]);
        await page.keyboard.press(i === asked.length - 1 ? 'Enter' : 'Tab');
      }
      await page.locator('#error').getByText(new RegExp(`#${asked[1]} does not match`)).waitFor({ timeout: 5_000 });
      assert.equal((await api(daemon, 'GET', '/wallet')).exists, false);
      await page.locator('#confirm-1').fill('');
      await page.locator('#confirm-1').focus();
      await page.keyboard.type(phrase[asked[1] - 1]);
      await page.keyboard.press('Enter');

      // The keystore is written before the new wallet is unlocked (scrypt takes a moment): wait for both.
      const made = await until('the wallet to exist, unlocked', async () => { const w = await api(daemon, 'GET', '/wallet'); return w.exists && w.unlocked && w; });
      await page.locator('#wallet-message').getByText('Wallet created and unlocked.').waitFor({ timeout: 15_000 });
      await page.locator('#wallet-state').getByText('Unlocked').waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('#address').innerText(), made.address);
      assert.equal(await page.locator('#phrase-words li').count(), 0);
      // The phrase is nowhere the extension keeps anything, nor in the helper's keystore in clear.
      const stored = JSON.stringify(await worker.evaluate(async () => [await chrome.storage.local.get(null), await chrome.storage.session.get(null)]));
      const keystore = readFileSync(path.join(helper.home, 'wallet', 'keystore.json'), 'utf8');
      // Single words are common English ("false", "salt" are BIP-39 words and JSON/keystore words too), so
      // look for any two neighbouring words of the phrase, however they are separated.
      const log = readFileSync(path.join(helper.home, 'logs', 'daemon.log'), 'utf8');
      for (let i = 0; i + 1 < phrase.length; i++) {
        const pair = new RegExp(`\\b${phrase[i]}\\W+${phrase[i + 1]}\\b`);
        assert.ok(!pair.test(stored), `words ${i + 1}-${i + 2} are not in extension storage`);
        assert.ok(!pair.test(keystore), `words ${i + 1}-${i + 2} are not in the keystore in clear`);
        assert.ok(!pair.test(log), `words ${i + 1}-${i + 2} are not in the daemon log`);
      }

      // Devnet faucet, then the balance live on the page and in the popup.
      await page.getByRole('button', { name: /devnet faucet/ }).focus();
      await page.keyboard.press('Enter');
      await until('the faucet to credit', async () => BigInt((await api(daemon, 'GET', '/wallet/balance')).bttBaseUnits) === 1000n * BTT);
      await page.locator('#balance').getByText('1,000 BTT · 1,000 TRX').waitFor({ timeout: 15_000 });
      await popup.locator('#balance').getByText('Balance: 1,000 BTT · 1,000 TRX').waitFor({ timeout: 15_000 });

      // Lock, then unlock with the password, from the keyboard.
      await page.getByRole('button', { name: 'Lock' }).focus();
      await page.keyboard.press('Enter');
      await until('the wallet to lock', async () => !(await api(daemon, 'GET', '/wallet')).unlocked);
      // The page shows the unlock form once it has heard of the lock, which can be after the helper says so.
      await page.getByLabel('Wallet password').waitFor({ timeout: 15_000 });
      await page.getByLabel('Wallet password').focus();
      await page.keyboard.type(PASSWORD);
      await page.keyboard.press('Enter');
      await until('the wallet to unlock', async () => (await api(daemon, 'GET', '/wallet')).unlocked);
      await screenshots(page, 'wallet');
      await page.reload();
      await page.locator('#wallet-state').getByText('Unlocked').waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('#create-phrase').isHidden(), true, 'the phrase is never shown again');
      await page.close();
    });

    test('detail: a download from a loopback libtorrent seeder lists its file, save folder and trackers; priority and Open reach the helper and the desktop', async (t) => {
      if (!libtorrentAvailable()) {
        if (process.env.CI === 'true') assert.fail('python3-libtorrent is needed for the detail step');
        t.skip('python3-libtorrent is not installed');
        return;
      }
      seeder = await startSeeder(root);
      const daemon = daemonInfo(helper.home);
      await api(daemon, 'POST', '/torrents/magnet', { uri: `magnet:?xt=urn:btih:${seeder.infoHash}&dn=${seeder.name}&x.pe=127.0.0.1:${seeder.port}` });
      const item = popup.locator(`li[data-info-hash="${seeder.infoHash}"]`);
      await item.waitFor({ timeout: 30_000 });
      const page = await follow(item.getByRole('link', { name: /^Details of / }), 'detail.html');
      const row = page.locator('tr[data-file-index="0"]');
      await row.waitFor({ timeout: 60_000 });
      assert.equal(await row.locator('td').first().innerText(), seeder.name);
      await page.locator('#facts').getByText(helper.downloads).waitFor({ timeout: 15_000 });
      await page.locator('#trackers-empty').getByText(/No tracker/).waitFor({ timeout: 15_000 });

      // Keyboard: Tab reaches the file's priority; choosing High reaches the helper.
      await page.locator('body').focus();
      let reached = false;
      for (let i = 0; i < 30 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.getAttribute('aria-label')?.startsWith('Priority of '));
      }
      assert.ok(reached, 'the priority control is in the tab order');
      await page.keyboard.press('ArrowDown'); // Normal → High on the focused, closed select
      await until('the priority in the helper', async () => (await api(daemon, 'GET', `/torrents/${seeder.infoHash}`)).files[0].priority === 7);

      await item.getByRole('progressbar').and(popup.locator('[aria-valuenow="100"]')).waitFor({ timeout: 180_000 });
      const open = row.getByRole('button', { name: `Open ${seeder.name}` });
      await until('Open to be enabled once the file is complete', async () => !(await open.isDisabled()), 30_000);
      await open.focus();
      await page.keyboard.press('Enter');
      await until('the desktop to be asked to open the file', () => openedPaths().includes(path.join(helper.downloads, seeder.name)));
      await page.getByRole('button', { name: 'Open folder' }).focus();
      await page.keyboard.press('Enter');
      await until('the desktop to be asked to open the folder', () => openedPaths().includes(helper.downloads));
      assert.deepEqual(openedPaths(), [path.join(helper.downloads, seeder.name), helper.downloads], 'nothing else was opened');
      await page.locator('#facts').getByText(/^Seeding|^Completed/).first().waitFor({ timeout: 30_000 });
      // Finished: the card no longer shows a download speed (a seeder shows only its upload).
      await item.locator('.state').getByText(/^(Seeding|Completed)$/).waitFor({ timeout: 30_000 });
      assert.equal(await item.locator('[title="Download rate"]').isHidden(), true);
      assert.equal(await item.getByText(/^ETA /).isHidden(), true, 'no time left once finished');
      await screenshots(page, 'detail', 640);
      await page.close();
    });

    test('detail: a torrent whose only source is a loopback HTTP mirror (url-list) downloads from it; the page shows that web seed and the refused one', async () => {
      webSeed = await startWebSeed();
      const daemon = daemonInfo(helper.home);
      await api(daemon, 'POST', '/torrents/file', { torrentBase64: webSeed.torrent.toString('base64') });
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${EXTENSION_ID}/detail.html?infoHash=${webSeed.infoHash}`);
      const rows = page.locator('#web-seed-rows tr');
      await until('both web seeds to be listed', async () => (await rows.count()) === 2, 30_000);
      const mirror = rows.nth(0).locator('td');
      await until('the mirror to have sent the whole file', async () => (await mirror.nth(3).innerText()) === '1 MiB', 60_000);
      assert.equal(await mirror.nth(0).innerText(), webSeed.host);
      assert.equal(await mirror.nth(0).getAttribute('title'), `http://${webSeed.host}/${webSeed.name}`);
      assert.equal(await mirror.nth(1).innerText(), 'active');
      assert.equal(await mirror.nth(4).innerText(), '0');
      const refused = rows.nth(1).locator('td');
      assert.equal(await refused.nth(0).innerText(), '127.0.0.1');
      assert.match(await refused.nth(1).innerText(), /^dropped — .*scheme ftp:.*http and https web seeds only/);
      await until('the download to be verified', async () => (await api(daemon, 'GET', `/torrents/${webSeed.infoHash}`)).status.verifiedBytes === webSeed.body.length, 60_000);
      assert.ok(readFileSync(path.join(helper.downloads, webSeed.name)).equals(webSeed.body), 'byte-identical to what the mirror serves');
      await screenshots(page, 'detail-web-seeds', 640);
      await page.close();
    });

    test('list: filter, search and sort choose what the popup shows; a paused torrent shows no speed', async () => {
      const daemon = daemonInfo(helper.home);
      await api(daemon, 'POST', '/torrents/magnet', { uri: `magnet:?xt=urn:btih:${PAUSED_HASH}&dn=paused-one`, paused: true });
      const paused = popup.locator(`li[data-info-hash="${PAUSED_HASH}"]`);
      await paused.locator('.state').getByText('Paused').waitFor({ timeout: 30_000 });
      assert.equal(await paused.locator('[title="Download rate"]').isHidden(), true, 'no speed on a paused torrent');
      const cards = popup.locator('ul.torrents > li');
      const all = await cards.count();
      assert.ok(all >= 1);
      // From the keyboard: the filter is a plain select; arrows move through All, Downloading, Seeding, Completed, Paused.
      await popup.getByLabel('Show').focus();
      for (let i = 0; i < 4; i++) await popup.keyboard.press('ArrowDown');
      assert.equal(await popup.getByLabel('Show').inputValue(), 'paused');
      await until('only the paused torrent', async () => (await cards.count()) === 1 && (await cards.first().getAttribute('data-info-hash')) === PAUSED_HASH);
      await popup.getByLabel('Show').selectOption('all');
      await popup.getByLabel('Search downloads by name or info-hash').focus();
      await popup.keyboard.type('PAUSED-o');
      await until('the search to keep only the match', async () => (await cards.count()) === 1);
      await popup.getByLabel('Search downloads by name or info-hash').fill('no such download');
      await popup.locator('#no-match').waitFor({ state: 'visible', timeout: 5_000 });
      await popup.getByLabel('Search downloads by name or info-hash').fill('');
      await until('every torrent again', async () => (await cards.count()) === all);
      await popup.getByLabel('Sort by').selectOption('name');
      const names = async () => (await popup.locator('ul.torrents .name').allInnerTexts());
      const ascending = await names();
      await popup.getByRole('button', { name: /Sorted ascending/ }).focus();
      await popup.keyboard.press('Enter');
      await until('the order to flip', async () => JSON.stringify(await names()) === JSON.stringify([...ascending].reverse()));
      await popup.getByRole('button', { name: /Sorted descending/ }).click();
    });

    test('stale: while the helper is down the list keeps its last values, greyed and marked as not live; back when it is', async () => {
      const cards = popup.locator('ul.torrents > li');
      const shown = await cards.count();
      assert.ok(shown >= 1);
      assert.equal(await popup.locator('#stale').isHidden(), true);
      // The daemon stops and the native host cannot start another: the extension stays disconnected.
      const working = readFileSync(launcher, 'utf8');
      writeFileSync(launcher, '#!/bin/sh\nexit 1\n');
      await stopDaemon(helper.home);
      await popup.locator('#stale').getByText(/Not connected: these are the last values the helper reported/).waitFor({ timeout: 60_000 });
      assert.equal(await popup.locator('ul.torrents').getAttribute('class'), 'torrents stale');
      assert.equal(await cards.count(), shown, 'the list is kept, not emptied');
      await screenshots(popup, 'popup-stale');
      writeFileSync(launcher, working);
      await popup.getByText(/Connected to the Magnetar helper/).waitFor({ timeout: 120_000 });
      await popup.locator('#stale').waitFor({ state: 'hidden', timeout: 30_000 });
      assert.equal(await popup.locator('ul.torrents').getAttribute('class'), 'torrents');
    });

    test('screenshots of the popup, Budgets and options at 100 % and 200 % zoom are readable', async () => {
      await screenshots(popup, 'popup-views');
      const budgets = await follow(popup.getByRole('link', { name: 'Budgets' }), 'budgets.html');
      await budgets.locator('#status').waitFor({ timeout: 15_000 });
      await screenshots(budgets, 'budgets', 800);
      await budgets.close();
      const options = await follow(popup.getByRole('link', { name: 'Options' }), 'options.html');
      await options.waitForLoadState('domcontentloaded');
      await screenshots(options, 'options');
      await options.close();
    });
  });
}
