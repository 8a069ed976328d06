// End to end in Debian's headless Chromium: ways of adding beyond a magnet click — a link to a .torrent
// file on a page, and the notification that opens a finished torrent — and seeding goals. The real helper jar is the native
// host (registered in this test's user-data-dir); a libtorrent seeder on 127.0.0.1 serves the data, found
// through a small HTTP tracker this test runs (a .torrent file carries no peer addresses). No wallet.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  EXTENSION_ID, CHROMIUM, ensureHelperBuilt, prepareHelperHome, buildExtension, writeLauncher, registerNativeHost, launchChromium,
  daemonInfo, api, until, stopDaemon, libtorrentAvailable, startSeeder, tempRoot, removeTree, JAR, REPO, unavailableSuite,
} from './harness.mjs';
import { withAnnounce, serveSite, startTwoFileSeeder } from './adding-fixtures.mjs';


const ARTIFACTS = path.join(REPO, 'test-artifacts', 'extension');

/** The add dialog at 100 % and 200 %: written for review, and nothing may scroll sideways at 200 %. */
async function addDialogScreenshots(dialog) {
  mkdirSync(ARTIFACTS, { recursive: true });
  await dialog.setViewportSize({ width: 520, height: 760 });
  await dialog.screenshot({ path: path.join(ARTIFACTS, 'add-dialog.png'), fullPage: true });
  await dialog.setViewportSize({ width: 800, height: 1200 });
  await dialog.evaluate(() => { document.documentElement.style.zoom = '2'; });
  await dialog.screenshot({ path: path.join(ARTIFACTS, 'add-dialog-200.png'), fullPage: true });
  const overflow = await dialog.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await dialog.evaluate(() => { document.documentElement.style.zoom = ''; });
  await dialog.setViewportSize({ width: 520, height: 760 });
  assert.ok(overflow <= 0, `the add dialog scrolls sideways at 200 % by ${overflow} px`);
}

if (!existsSync(CHROMIUM) || !libtorrentAvailable()) {
  unavailableSuite('adding .torrent links in Chromium', 'needs /usr/bin/chromium and python3-libtorrent');
} else {
  describe('adding from pages, notifications and seeding goals, in real Chromium with the real helper', { timeout: 10 * 60_000 }, () => {
    let root; let helper; let ctx; let worker; let seeder; let site; let torrentFile; let routes;
    const PAGE = (links) => `<!doctype html><body>${links}<script>
      window.seen = [];
      document.addEventListener('click', (e) => window.seen.push(e.defaultPrevented));
    </script></body>`;

    before(async () => {
      ensureHelperBuilt();
      root = tempRoot();
      helper = prepareHelperHome(root, null, { wallet: false }); // adding needs no wallet
      const launcher = writeLauncher(root, helper.home);
      const udd = path.join(root, 'udd');
      registerNativeHost(udd, launcher);
      seeder = await startSeeder(root);
      routes = {};
      site = await serveSite(routes, seeder.port);
      torrentFile = withAnnounce(readFileSync(path.join(root, 'e2e.torrent')), `${site.origin}/announce`);
      Object.assign(routes, {
        '/files/magnetar-e2e.torrent': { type: 'application/x-bittorrent', body: torrentFile },
        // What a private tracker serves a visitor who is not logged in, under the .torrent's own URL.
        '/files/needs-login.torrent': { type: 'text/html', body: '<!doctype html><title>Log in</title><form>…</form>' },
        '/page.html': {
          type: 'text/html',
          body: PAGE(`<a id="torrent" href="/files/magnetar-e2e.torrent">the .torrent</a> <a id="login" href="/files/needs-login.torrent">another</a>`),
        },
        // A page's own script clicking a .torrent link adds nothing, as for magnets.
        // Its listener runs after the extension's and stops the click itself, so the browser downloads nothing either.
        '/scripted.html': {
          type: 'text/html',
          body: `<!doctype html><body><a id="torrent" href="/files/magnetar-e2e.torrent">x</a><script>
            window.seen = [];
            document.addEventListener('click', (e) => { window.seen.push(e.defaultPrevented); e.preventDefault(); });
            document.getElementById('torrent').click();
            document.getElementById('torrent').dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
            window.done = true;
          </script></body>`,
        },
      });
      ctx = await launchChromium(chromium, udd, buildExtension(), { ...process.env, MAGNETAR_HOME: helper.home });
      worker = ctx.serviceWorkers()[0] ?? await ctx.waitForEvent('serviceworker', { timeout: 30_000 });
      await until('the extension to connect to the helper',
        () => worker.evaluate(() => globalThis.magnetar.state().connection.status === 'connected'), 90_000);
    });

    after(async () => {
      await ctx?.close().catch(() => {});
      if (helper) await stopDaemon(helper.home);
      seeder?.seeder.kill('SIGKILL');
      site?.server.close();
      if (root && !process.env.MAGNETAR_E2E_KEEP) removeTree(root); else if (root) console.log('kept', root);
    });

    test('a .torrent link a page\'s script clicks is left to the browser and adds nothing', async () => {
      const daemon = daemonInfo(helper.home);
      const page = await ctx.newPage();
      await page.goto(`${site.origin}/scripted.html`);
      await page.waitForFunction(() => window.done === true, null, { timeout: 10_000 });
      assert.deepEqual(await page.evaluate(() => window.seen), [false, false], 'the extension took neither scripted click');
      assert.deepEqual((await api(daemon, 'GET', '/torrents')).torrents, []);
      await page.close();
    });

    test('a page that serves HTML under a .torrent link: the toast says why, nothing is added', async () => {
      const daemon = daemonInfo(helper.home);
      const page = await ctx.newPage();
      await page.goto(`${site.origin}/page.html`);
      await page.locator('#login').click();
      const toast = page.locator('magnetar-toast [role]');
      await toast.getByText(/not a bencoded dictionary; perhaps the site wants you to log in first/).waitFor({ timeout: 30_000 });
      assert.equal(await toast.getAttribute('role'), 'alert');
      assert.deepEqual((await api(daemon, 'GET', '/torrents')).torrents, []);
      await page.close();
    });

    test('a click on a .torrent link downloads the torrent to 100 %; a second click says it is already listed', async () => {
      const daemon = daemonInfo(helper.home);
      const page = await ctx.newPage();
      await page.goto(`${site.origin}/page.html`);
      await page.locator('#torrent').click();
      await page.locator('magnetar-toast [role]').getByText(`Magnetar is downloading “${seeder.name}”.`).waitFor({ timeout: 30_000 });
      assert.deepEqual(await page.evaluate(() => window.seen), [true], 'the extension took the click: the browser did not download the file');
      assert.equal(page.url(), `${site.origin}/page.html`);

      const done = await until('the download to finish', async () =>
        (await api(daemon, 'GET', '/torrents')).torrents.find((t) => t.infoHash === seeder.infoHash && t.verifiedBytes === seeder.size), 180_000);
      assert.equal(done.name, seeder.name);
      const expected = readFileSync(path.join(root, 'seed', seeder.name));
      assert.ok(readFileSync(path.join(helper.downloads, seeder.name)).equals(expected), 'the file is byte-identical to the seeder\'s');

      await page.locator('#torrent').click();
      await page.locator('magnetar-toast [role]').getByText(new RegExp(`“${seeder.name.replaceAll('.', '\\.')}” is already in your Magnetar list \\(`)).waitFor({ timeout: 30_000 });
      assert.equal((await api(daemon, 'GET', '/torrents')).torrents.length, 1);
      await page.close();
    });

    test('the completion notice names its torrent, and opening it shows that torrent’s details; advice names the command as it runs here', async () => {
      const id = `done-${seeder.infoHash}`;
      // Headless Chromium shows no notification to click; the id the click handler reads is checked
      // here, the id → torrent mapping in the unit tests, and what the click opens below.
      await until('the completion notification', () => worker.evaluate(async (wanted) => wanted in await chrome.notifications.getAll(), id), 30_000);
      const opened = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/detail.html?infoHash='), timeout: 30_000 });
      await worker.evaluate((hash) => globalThis.magnetar.openTorrentView(hash), seeder.infoHash);
      const view = await opened;
      assert.equal(new URL(view.url()).searchParams.get('infoHash'), seeder.infoHash);
      await view.locator('#name').getByText(seeder.name, { exact: true }).waitFor({ timeout: 15_000 });

      // No wallet in this helper: the advice names the command as the native host says it is run here —
      // not on PATH in this test, so by its full form (a build's jar), never a bare name that would fail.
      const command = await worker.evaluate(() => globalThis.magnetar.state().helperCommand);
      const onPath = (process.env.PATH ?? '').split(path.delimiter).some((d) => d && existsSync(path.join(d, 'magnetar')));
      assert.equal(command, onPath ? 'magnetar' : `java -jar ${JAR}`);
      const popup = await ctx.newPage();
      await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
      await popup.locator('#balance').getByText(`There is no wallet yet: set one up here to boost downloads (or run “${command} wallet create”)`).waitFor({ timeout: 15_000 });
      await popup.close();
      await view.close();
    });

    test('seeding goals: the global one on the options page, a torrent\'s own in the popup; nonsense is refused and changes nothing', async () => {
      const daemon = daemonInfo(helper.home);
      const options = await ctx.newPage();
      await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
      await options.locator('#seed-ratio:not([disabled])').waitFor({ timeout: 15_000 });
      assert.equal(await options.locator('#seed-ratio').inputValue(), '', 'no goal by default');
      await options.locator('#seed-ratio').fill('1,5');
      await options.locator('#seed-minutes').fill('90');
      await options.getByRole('button', { name: 'Save' }).click();
      await options.locator('#settings-message').getByText(/^Saved\..*stop seeding at ratio 1\.5 or after 90 min of seeding/).waitFor({ timeout: 15_000 });
      let settings = await api(daemon, 'GET', '/settings');
      assert.deepEqual([settings.seedRatioLimit, settings.seedingTimeLimitMinutes], [1.5, 90]);

      await options.locator('#seed-minutes').fill('an hour');
      await options.getByRole('button', { name: 'Save' }).click();
      await options.locator('#settings-message').getByText(/^Not saved: "an hour" is not a whole number of minutes/).waitFor({ timeout: 15_000 });
      settings = await api(daemon, 'GET', '/settings');
      assert.equal(settings.seedingTimeLimitMinutes, 90, 'unchanged');
      await options.close();

      const popup = await ctx.newPage();
      await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
      const item = popup.locator(`li[data-info-hash="${seeder.infoHash}"]`);
      await item.getByRole('button', { name: `Seeding goal of ${seeder.name}` }).click();
      const dialog = popup.locator('#goal-dialog');
      await dialog.getByText('stop seeding at ratio 1.5 or after 90 min of seeding').waitFor({ timeout: 15_000 });
      assert.equal(await popup.locator('#goal-global').isChecked(), true, 'it follows the options page');
      await popup.locator('#goal-ratio').fill('0');
      await popup.locator('#goal-ratio').fill('x');
      await dialog.getByRole('button', { name: 'Save goal' }).click();
      await dialog.locator('#goal-error').getByText(/"x" is not a ratio/).waitFor({ timeout: 15_000 });
      await popup.locator('#goal-ratio').fill('3');
      await dialog.getByRole('button', { name: 'Save goal' }).click();
      await dialog.waitFor({ state: 'hidden', timeout: 15_000 });
      const own = (await api(daemon, 'GET', `/torrents/${seeder.infoHash}`)).seeding;
      assert.deepEqual(own.ownGoal, { ratioLimit: 3, seedingTimeLimitMinutes: null });
      assert.equal(own.finishedReason, null, 'it uploaded nothing yet: still seeding');
      await popup.close();
    });

    test('add dialog: Shift+click (or the option) waits for the metadata, then only the ticked file downloads, into the folder typed; Cancel removes', async () => {
      const daemon = daemonInfo(helper.home);
      const { seeder: twoSeeder, port, infoHash, first } = await startTwoFileSeeder(root);
      try {
        const deadHash = 'deadbeef'.repeat(5);
        routes['/two.html'] = { type: 'text/html', body: `<!doctype html><body>
          <p><a id="two" href="magnet:?xt=urn:btih:${infoHash}&dn=two-files&x.pe=127.0.0.1:${port}">two files</a></p>
          <p><a id="dead" href="magnet:?xt=urn:btih:${deadHash}&dn=no-peers">no peers</a></p></body>` };
        const chosen = path.join(root, 'chosen');
        mkdirSync(chosen);
        const page = await ctx.newPage();
        await page.goto(`${site.origin}/two.html`);

        let opened = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/add.html?infoHash='), timeout: 30_000 });
        await page.locator('#two').click({ modifiers: ['Shift'] });
        let dialog = await opened;
        await page.locator('magnetar-toast [role]').getByText(/choose its folder and files in Magnetar’s window/).waitFor({ timeout: 30_000 });
        await dialog.locator('#files input[type=checkbox]').nth(1).waitFor({ timeout: 60_000 });
        const waitingTorrent = (await api(daemon, 'GET', `/torrents/${infoHash}`));
        assert.equal(waitingTorrent.status.state, 'PAUSED', 'held for the choice');
        assert.equal(waitingTorrent.status.verifiedBytes, 0);
        assert.equal(existsSync(path.join(helper.downloads, 'two-files')), false, 'nothing made in the default folder');
        assert.equal(await dialog.locator('#folder').inputValue(), helper.downloads);

        await addDialogScreenshots(dialog);
        // From the keyboard: the file's checkbox is in the tab order and Space unticks it.
        await dialog.getByLabel('two-files/second.bin').focus();
        await dialog.keyboard.press('Space');
        assert.equal(await dialog.getByLabel('two-files/second.bin').isChecked(), false, 'Space unticks the focused file');
        await dialog.locator('#chosen').getByText('1 of 2 files, 256 KiB').waitFor({ timeout: 5_000 });
        await dialog.locator('#folder').fill(path.join(root, 'no-such-folder'));
        await dialog.getByRole('button', { name: 'Download' }).click();
        await dialog.locator('#error').getByText(/does not exist: create it first, or choose another/).waitFor({ timeout: 15_000 });
        assert.equal((await api(daemon, 'GET', `/torrents/${infoHash}`)).status.state, 'PAUSED', 'a refused folder starts nothing');

        await dialog.locator('#folder').fill(chosen);
        const closed = dialog.waitForEvent('close', { timeout: 30_000 });
        await dialog.getByRole('button', { name: 'Download' }).click().catch((e) => { if (!/closed/.test(e.message)) throw e; });
        await closed;
        const done = await until('the ticked file to download', async () => {
          const d = await api(daemon, 'GET', `/torrents/${infoHash}`);
          return d.status.state === 'SEEDING' ? d : null;
        }, 120_000);
        assert.equal(done.saveFolder, chosen);
        assert.ok(readFileSync(path.join(chosen, 'two-files', 'first.bin')).equals(first), 'the ticked file is byte-identical');
        assert.equal(existsSync(path.join(chosen, 'two-files', 'second.bin')), false, 'the unticked file was not downloaded');
        assert.deepEqual(done.files.map((f) => f.priority), [4, 0]);

        // The option on the options page asks for every add, without Shift.
        const options = await ctx.newPage();
        await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
        await options.getByLabel(/Ask where to save and which files before each download/).check();
        await until('the option to be stored', () => worker.evaluate(async () => (await chrome.storage.local.get('askBeforeAdding')).askBeforeAdding === true));
        opened = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/add.html?infoHash='), timeout: 30_000 });
        await page.locator('#dead').click();
        dialog = await opened;
        await dialog.locator('#waiting').getByText(/Waiting for the torrent's metadata/).waitFor({ timeout: 15_000 });
        const cancelled = dialog.waitForEvent('close', { timeout: 30_000 });
        // The window closes itself after the click: the click call may see it go.
        await dialog.getByRole('button', { name: 'Cancel' }).click().catch((e) => { if (!/closed/.test(e.message)) throw e; });
        await cancelled;
        await until('the cancelled torrent to go', async () => !(await api(daemon, 'GET', '/torrents')).torrents.some((t) => t.infoHash === deadHash));
        await options.getByLabel(/Ask where to save and which files before each download/).uncheck();
        await options.close();
        await page.close();
      } finally {
        twoSeeder.kill('SIGKILL');
      }
    });
  });
}
