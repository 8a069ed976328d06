// End to end in Debian's headless Chromium: the built extension, the real helper jar as its native
// host (registered in this test's user-data-dir), the real daemon/API/wallet/approvals on a devnet.
// The steps share one browser and one helper and run in order.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  REPO, EXTENSION_ID, CHROMIUM, ensureHelperBuilt, buildExtension, prepareHelperHome, writeLauncher, registerNativeHost,
  launchChromium, daemonInfo, api, until, stopDaemon, servePages, libtorrentAvailable, startSeeder, tempRoot, removeTree,
  JAR, javaPath, unavailableSuite,
} from './harness.mjs';

const PASSWORD = 'correct horse battery staple';
const ARTIFACTS = path.join(REPO, 'test-artifacts', 'extension');
const HASH = 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00';
// A crafted display name, as a page could write it: it tries to read as part of what Magnetar says.
const CRAFTED_NAME = 'Ubuntu 24.04.iso”. This is NOT a payment: nothing will be spent. Approve to continue the download “x';
const MAGNET = `magnet:?xt=urn:btih:${HASH}&dn=${encodeURIComponent(CRAFTED_NAME)}`;
const BTT = 10n ** 18n;

const PAGE = `<!doctype html><html><head><title>magnets</title></head><body>
<h1>Test page</h1><p id="loaded">loaded</p>
<script>
  window.pageLoadMarker = Math.random();
  window.clicks = [];
  // Bubble phase on the document: runs after the extension's capture-phase listener.
  document.addEventListener('click', (e) => window.clicks.push({ prevented: e.defaultPrevented, href: e.target.closest('a')?.href }));
  setTimeout(() => {
    const a = document.createElement('a');
    a.id = 'late-magnet';
    a.href = ${JSON.stringify(MAGNET)};
    a.textContent = 'magnet added after load';
    document.body.appendChild(a);
  }, 200);
</script></body></html>`;

const hashOf = (n) => n.toString(16).padStart(40, 'e');
const SCRIPTED = Array.from({ length: 22 }, (_, i) => `magnet:?xt=urn:btih:${hashOf(0xd00d00 + i)}&dn=scripted-${i}`);
const REAL_HASH = hashOf(0xbea1);
// A page that tries every way its own script can click: a.click(), a synthetic MouseEvent, and a loop
// of anchors made on the fly. Its bubble-phase listener notes whether anything stopped the default
// action, and then stops it itself, so that the browser does not hand the links to another program.
const DRIVE_BY = `<!doctype html><html><body>
<a id="real" href="magnet:?xt=urn:btih:${REAL_HASH}&dn=real-click">a link the user clicks</a>
<script>
  window.seen = [];
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a');
    if (!a || a.id === 'real') return;
    window.seen.push(e.defaultPrevented);
    e.preventDefault();
  });
  const links = ${JSON.stringify(SCRIPTED)};
  const anchor = (href) => { const a = document.createElement('a'); a.href = href; a.textContent = href; document.body.appendChild(a); return a; };
  anchor(links[0]).click();
  anchor(links[1]).dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
  for (let i = 2; i < links.length; i++) anchor(links[i]).click();
  window.done = true;
</script></body></html>`;
/** Clicks a button whose action may close its window before the click call returns. */
async function clickClosing(button) {
  await button.click().catch((e) => { if (!/closed/.test(e.message)) throw e; });
}
// Notes whether anything stopped a click's default action, then stops it itself (no other program opens).
const FALLTHROUGH = `<!doctype html><body><a id="m" href="magnet:?xt=urn:btih:${hashOf(0xfa11)}&dn=fall-through">m</a><script>
  window.seen = [];
  document.addEventListener('click', (e) => { window.seen.push(e.defaultPrevented); e.preventDefault(); });
</script></body>`;
const BURST = Array.from({ length: 7 }, (_, i) => ({ hash: hashOf(0xb0057 + i), name: `burst-${i}` }));

if (!existsSync(CHROMIUM)) {
  unavailableSuite('extension E2E in Chromium', `${CHROMIUM} is missing: apt-get install -y chromium`);
} else {
  describe('Magnetar extension in real Chromium with the real helper', { timeout: 10 * 60_000 }, () => {
    let root; let helper; let ctx; let popup; let pages; let engineKind; let udd; let launcher; let seeder; let seller;

    before(async () => {
      ensureHelperBuilt();
      root = tempRoot();
      udd = path.join(root, 'udd');
      helper = prepareHelperHome(root, PASSWORD);
      launcher = writeLauncher(root, helper.home);
      pages = await servePages({ '/magnets.html': PAGE, '/drive-by.html': DRIVE_BY, '/fallthrough.html': FALLTHROUGH });
      ctx = await launchChromium(chromium, udd, buildExtension(), { ...process.env, MAGNETAR_HOME: helper.home });
      const worker = ctx.serviceWorkers()[0] ?? await ctx.waitForEvent('serviceworker', { timeout: 30_000 });
      assert.equal(new URL(worker.url()).host, EXTENSION_ID, 'the manifest key fixes the extension id');
    });

    after(async () => {
      await ctx?.close().catch(() => {});
      if (helper) await stopDaemon(helper.home);
      seeder?.seeder.kill('SIGKILL');
      seller?.kill('SIGKILL');
      pages?.server.close();
      if (root && !process.env.MAGNETAR_E2E_KEEP) removeTree(root); else if (root) console.log('kept', root);
    });

    async function openPopup() {
      const page = await ctx.newPage();
      await page.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
      return page;
    }

    test('(1) without the native host registered, the popup shows how to install the helper', async () => {
      popup = await openPopup();
      const setup = popup.locator('#setup');
      await setup.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await setup.innerText(), /The Magnetar helper is not installed/);
      assert.match(await setup.innerText(), /java -jar helper\/target\/magnetar\.jar install/);
      assert.match(await popup.locator('#connection').innerText(), /Not connected/);

      // With no helper to send it to, a click goes to the browser's own magnet handler, untouched.
      const worker = ctx.serviceWorkers()[0];
      await until('the extension to note that the helper is missing',
        () => worker.evaluate(async () => (await chrome.storage.local.get('helperMissing')).helperMissing === true));
      const page = await ctx.newPage();
      await page.goto(`${pages.origin}/fallthrough.html`);
      await page.locator('#m').click();
      await page.waitForFunction(() => window.seen.length === 1, null, { timeout: 10_000 });
      assert.deepEqual(await page.evaluate(() => window.seen), [false], 'the extension did not take the click');
      assert.equal(await page.locator('magnetar-toast').count(), 0, 'and said nothing');
      await page.close();
    });

    test('(2) once registered, the extension gets the hello: connected, devnet wallet shown', async () => {
      registerNativeHost(udd, launcher);
      await popup.getByRole('button', { name: 'Try again' }).click();
      await popup.getByText(/Connected to the Magnetar helper/).waitFor({ timeout: 60_000 });
      assert.equal(await popup.locator('#setup').isHidden(), true);
      const daemon = daemonInfo(helper.home);
      assert.ok(daemon, 'the native host started the daemon, which announced itself');
      engineKind = readFileSync(path.join(helper.home, 'e2e-engine'), 'utf8').trim();
      await popup.locator('#network').getByText('Local devnet — no real money').waitFor({ timeout: 10_000 });
      const status = await api(daemon, 'GET', '/wallet');
      assert.equal(await popup.locator('#wallet-address').innerText(), status.address);
      assert.equal(await popup.locator('#wallet-state').innerText(), status.unlocked ? 'Unlocked' : 'Wallet locked');
      const balance = await api(daemon, 'GET', '/wallet/balance');
      assert.equal(balance.bttBaseUnits, (1000n * BTT).toString());
      await popup.locator('#balance').getByText('Balance: 1,000 BTT · 100 TRX').waitFor({ timeout: 10_000 });
    });

    test('(3) a click on a magnet link added after load goes to the helper; the page stays', async () => {
      const page = await ctx.newPage();
      await page.goto(`${pages.origin}/magnets.html`);
      const marker = await page.evaluate(() => window.pageLoadMarker);
      await page.locator('#late-magnet').click({ timeout: 10_000 });
      const toast = page.locator('magnetar-toast [role]');
      await toast.waitFor({ timeout: 30_000 });
      const daemon = daemonInfo(helper.home);
      const { torrents } = await api(daemon, 'GET', '/torrents');
      const added = torrents.find((t) => t.infoHash === HASH);
      assert.ok(added, `the helper lists the clicked magnet (engine: ${engineKind}); toast said: ${await toast.innerText()}`);
      assert.match(await toast.innerText(), /Magnetar is downloading/);
      assert.equal(page.url(), `${pages.origin}/magnets.html`);
      assert.equal(await page.evaluate(() => window.pageLoadMarker), marker, 'the page was not reloaded or replaced');
      assert.deepEqual(await page.evaluate(() => window.clicks), [{ prevented: true, href: MAGNET }]);
      await page.close();

      // The popup shows the same figures as the helper's API.
      const item = popup.locator(`li[data-info-hash="${HASH}"]`);
      await item.waitFor({ timeout: 15_000 });
      const now = (await api(daemon, 'GET', '/torrents')).torrents.find((t) => t.infoHash === HASH);
      assert.equal(await item.locator('.name').innerText(), now.name ?? `Magnet ${HASH.slice(0, 12)}…`);
      const bar = item.getByRole('progressbar');
      const permille = now.totalBytes > 0 ? Number((BigInt(now.verifiedBytes) * 1000n) / BigInt(now.totalBytes)) : 0;
      assert.equal(await bar.getAttribute('aria-valuenow'), String(permille / 10));
      assert.match(await item.locator('.stats').innerText(), new RegExp(`${now.peers} peers?`));
    });

    test('drive-by: clicks a page\'s own script makes add nothing and are left alone; a real click still adds at once', async () => {
      const daemon = daemonInfo(helper.home);
      const page = await ctx.newPage();
      await page.goto(`${pages.origin}/drive-by.html`);
      await page.waitForFunction(() => window.done === true, null, { timeout: 10_000 });
      assert.deepEqual(await page.evaluate(() => window.seen), SCRIPTED.map(() => false), 'the extension did not take over a single scripted click');

      await page.locator('#real').click();
      await page.locator('magnetar-toast [role]').getByText(/Magnetar is downloading “real-click”/).waitFor({ timeout: 30_000 });
      const listed = new Set((await api(daemon, 'GET', '/torrents')).torrents.map((t) => t.infoHash));
      assert.ok(listed.has(REAL_HASH), 'the real click was added');
      const added = SCRIPTED.map((uri) => /btih:([0-9a-f]{40})/.exec(uri)[1]).filter((h) => listed.has(h));
      assert.deepEqual(added, [], 'no scripted click was added');

      // The same link again: nothing new is added, and the toast says where it already is.
      await page.locator('#real').click();
      await page.locator('magnetar-toast [role]').getByText(/“real-click” is already in your Magnetar list \(/).waitFor({ timeout: 30_000 });
      assert.equal((await api(daemon, 'GET', '/torrents')).torrents.filter((t) => t.infoHash === REAL_HASH).length, 1);
      await page.close();
      await api(daemon, 'DELETE', `/torrents/${REAL_HASH}`, { deleteData: true });
    });

    test('drive-by: a burst of real clicks from one page adds five at once, then asks in a window; Add adds, Don’t add does not', async () => {
      const daemon = daemonInfo(helper.home);
      const burst = await servePages({ '/burst.html': `<!doctype html><body>${BURST.map((b, i) => `<p><a id="b${i}" href="magnet:?xt=urn:btih:${b.hash}&dn=${b.name}">${b.name}</a></p>`).join('')}</body>` });
      const listed = async (hash) => (await api(daemon, 'GET', '/torrents')).torrents.some((t) => t.infoHash === hash);
      const page = await ctx.newPage();
      try {
        await page.goto(`${burst.origin}/burst.html`);
        for (let i = 0; i < 5; i++) {
          await page.locator(`#b${i}`).click();
          await until(`${BURST[i].name} to be added at once`, () => listed(BURST[i].hash));
        }

        let asking = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/confirm-add.html'), timeout: 30_000 });
        await page.locator('#b5').click();
        await page.locator('magnetar-toast [role]').getByText(/asks you first/).waitFor({ timeout: 30_000 });
        let confirm = await asking;
        await confirm.getByText(burst.origin).first().waitFor({ timeout: 15_000 });
        assert.equal(await listed(BURST[5].hash), false, 'the sixth link waits for the user');
        let closed = confirm.waitForEvent('close', { timeout: 30_000 });
        await clickClosing(confirm.getByRole('button', { name: `Add ${BURST[5].name}`, exact: true }));
        await until('the confirmed link to be added', () => listed(BURST[5].hash));
        await closed; // nothing else waits: the window goes

        asking = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/confirm-add.html'), timeout: 30_000 });
        await page.locator('#b6').click();
        confirm = await asking;
        closed = confirm.waitForEvent('close', { timeout: 30_000 });
        await clickClosing(confirm.getByRole('button', { name: `Don’t add ${BURST[6].name}`, exact: true }));
        await closed;
        assert.equal(await listed(BURST[6].hash), false, 'a link the user declined is not added');
      } finally {
        await page.close();
        burst.server.close();
        for (const b of BURST) await api(daemon, 'DELETE', `/torrents/${b.hash}`, { deleteData: true }).catch(() => {});
      }
    });

    test('(4) boost → approval window → approve: the budget is APPROVED in the helper', async () => {
      const daemon = daemonInfo(helper.home);
      const item = popup.locator(`li[data-info-hash="${HASH}"]`);
      await item.getByRole('button', { name: /^Boost / }).click();
      await popup.locator('#boost-cap').fill('12.5');
      await popup.locator('#boost-rate').fill('0.75');
      const windowOpened = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html'), timeout: 30_000 });
      await popup.getByRole('button', { name: 'Request boost' }).click();
      const approval = await windowOpened;
      const id = new URL(approval.url()).searchParams.get('id');
      await approval.locator('#request').waitFor({ timeout: 15_000 });
      const facts = await approval.locator('dl.facts').innerText();
      assert.match(facts, /12\.5 BTT = 12,500,000,000,000,000,000 base units/);
      assert.match(facts, /0\.75 BTT per GiB/);
      assert.match(facts, /Local devnet/);
      // The boost was asked for in the popup, not by a page: no "Requested from" (the Firefox E2E files one with a page).
      assert.doesNotMatch(facts, /Requested from/);
      assert.ok(!facts.includes(pages.origin), 'the page the link came from is not named as the requester');
      // The name the link gave is never inside the sentence with the amount; it is labelled, quoted and cut short.
      const summary = await approval.locator('#summary').innerText();
      assert.match(summary, /^Magnetar asks to spend up to 12\.5 BTT /);
      assert.ok(!summary.includes('Ubuntu') && !summary.includes('NOT a payment'), summary);
      const named = await approval.locator('#link-name-row').innerText();
      assert.match(named, /^Name given by the link/);
      const shown = await approval.locator('#link-name').innerText();
      assert.ok(CRAFTED_NAME.startsWith(shown.replace(/…$/, '')) && shown.endsWith('…') && [...shown].length <= 80, shown);

      // 480×720 window (its page is a little shorter than the window): Approve and Reject are on screen
      // without scrolling, at 100 % and at 200 % (the page zoomed to twice the size, so it lays out in 240
      // CSS pixels), and nothing scrolls sideways.
      mkdirSync(ARTIFACTS, { recursive: true });
      await approval.setViewportSize({ width: 480, height: 660 });
      for (const zoom of [1, 2]) {
        await approval.evaluate((z) => { document.documentElement.style.zoom = String(z); window.scrollTo(0, 0); }, zoom);
        for (const name of ['Approve', 'Reject']) {
          const box = await approval.getByRole('button', { name }).boundingBox();
          assert.ok(box && box.y >= 0 && box.y + box.height <= 660, `${name} is visible at ${zoom * 100} % (${JSON.stringify(box)})`);
        }
        const overflow = await approval.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.ok(overflow <= 0, `no sideways scrolling at ${zoom * 100} % (overflow ${overflow}px)`);
        await approval.screenshot({ path: path.join(ARTIFACTS, zoom === 1 ? 'approval.png' : 'approval-200.png') });
      }
      await approval.evaluate(() => { document.documentElement.style.zoom = ''; });
      assert.match(facts, /TRC-20 contract T[1-9A-HJ-NP-Za-km-z]{33}/);
      assert.match(facts, /1,000 BTT/, 'the balance is shown');
      assert.equal((await api(daemon, 'GET', '/approvals')).approvals.find((a) => a.id === id).state, 'PENDING');

      // A wrong password approves nothing and says so.
      await approval.locator('#password').fill('wrong password');
      await approval.getByRole('button', { name: 'Approve' }).click();
      await approval.locator('#error').getByText('Wrong wallet password.').waitFor({ timeout: 30_000 });
      assert.equal((await api(daemon, 'GET', '/approvals')).approvals.find((a) => a.id === id).state, 'PENDING');

      const closed = approval.waitForEvent('close', { timeout: 30_000 });
      await approval.locator('#password').fill(PASSWORD);
      await approval.getByRole('button', { name: 'Approve' }).click();
      const approved = await until('the budget to be approved', async () =>
        (await api(daemon, 'GET', '/approvals')).approvals.find((a) => a.id === id && a.state === 'APPROVED'));
      assert.equal(approved.capBaseUnits, (125n * BTT / 10n).toString());
      await closed; // a decided request's window closes
    });

    test('(4b) reject another: REJECTED and nothing spent; one decided elsewhere closes its window', async () => {
      const daemon = daemonInfo(helper.home);
      const before = await api(daemon, 'GET', '/wallet/balance');
      const item = popup.locator(`li[data-info-hash="${HASH}"]`);

      async function fileBoost(cap) {
        await item.getByRole('button', { name: /^Boost/ }).click();
        await popup.locator('#boost-cap').fill(cap);
        const opened = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html'), timeout: 30_000 });
        await popup.getByRole('button', { name: 'Request boost' }).click();
        const win = await opened;
        await win.locator('#request').waitFor({ timeout: 15_000 });
        return { win, id: new URL(win.url()).searchParams.get('id') };
      }

      const first = await fileBoost('3');
      const firstClosed = first.win.waitForEvent('close', { timeout: 30_000 });
      await first.win.getByRole('button', { name: 'Reject' }).click();
      const rejected = await until('the request to be rejected', async () =>
        (await api(daemon, 'GET', '/approvals')).approvals.find((a) => a.id === first.id && a.state === 'REJECTED'));
      assert.equal(rejected.spentBaseUnits, '0');
      await firstClosed;

      const second = await fileBoost('4');
      const secondClosed = second.win.waitForEvent('close', { timeout: 30_000 });
      await api(daemon, 'POST', `/approvals/${second.id}/reject`, {}); // decided outside the window
      await secondClosed;

      const after = await api(daemon, 'GET', '/wallet/balance');
      assert.equal(after.bttBaseUnits, before.bttBaseUnits, 'no BTT moved');
      const torrent = (await api(daemon, 'GET', '/torrents')).torrents.find((t) => t.infoHash === HASH);
      assert.equal(torrent.boost?.spentBaseUnits ?? '0', '0');
    });

    test('(4c) Budgets page lists the approved boost with spent and left; Revoke stops it in the helper', async () => {
      const daemon = daemonInfo(helper.home);
      const active = (await api(daemon, 'GET', '/approvals')).approvals.find((a) => a.infoHash === HASH && a.state === 'APPROVED');
      assert.ok(active, 'test (4) left an approved boost');
      const item = popup.locator(`li[data-info-hash="${HASH}"]`);
      await item.getByText(/^Boosted: 0 BTT spent, 12\.5 BTT left$/).waitFor({ timeout: 15_000 });
      const page = await ctx.newPage();
      try {
        await page.goto(`chrome-extension://${EXTENSION_ID}/budgets.html`);
        const row = page.locator(`tr[data-id="${active.id}"]`);
        await row.waitFor({ timeout: 15_000 });
        const text = await row.innerText();
        assert.match(text, /12\.5 BTT/);
        assert.match(text, /0\.75 BTT\/GiB/);
        assert.match(text, /Active/);
        assert.match(text, /Local devnet/);
        mkdirSync(ARTIFACTS, { recursive: true });
        await page.screenshot({ path: path.join(ARTIFACTS, 'budgets.png'), fullPage: true });
        await row.getByRole('button', { name: /^Revoke the budget for / }).click();
        await until('the budget to be revoked', async () =>
          (await api(daemon, 'GET', '/approvals')).approvals.find((a) => a.id === active.id && a.state === 'REVOKED'));
        await row.getByText('Revoked').waitFor({ timeout: 15_000 });
        assert.equal(await row.getByRole('button').count(), 0, 'no Revoke on a revoked budget');
        await until('the card to offer a new boost', async () => (await item.getByRole('button', { name: /^Boost / }).innerText()) === 'Boost');
      } finally {
        await page.close();
      }
    });

    test('(5) screenshots of the popup at 100 % and 200 % zoom are readable', async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await popup.setViewportSize({ width: 460, height: 640 });
      await popup.screenshot({ path: path.join(ARTIFACTS, 'popup.png'), fullPage: true });
      // 200 %: Chromium caps a popup at 800 px wide, so the page gets 400 CSS pixels and must wrap, not scroll sideways.
      await popup.setViewportSize({ width: 800, height: 1200 });
      await popup.evaluate(() => { document.documentElement.style.zoom = '2'; });
      await popup.screenshot({ path: path.join(ARTIFACTS, 'popup-200.png'), fullPage: true });
      const overflow = await popup.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `no horizontal scrolling at 200 % (overflow ${overflow}px)`);
      await popup.evaluate(() => { document.documentElement.style.zoom = ''; });
      await popup.setViewportSize({ width: 520, height: 900 });
    });

    test('options: global rate limits typed in KiB/s reach the helper at once; a typo changes nothing; cleared, none', async () => {
      const daemon = daemonInfo(helper.home);
      const options = await ctx.newPage();
      await options.goto(`chrome-extension://${EXTENSION_ID}/options.html`);
      const down = options.locator('#download-limit');
      const up = options.locator('#upload-limit');
      const save = options.getByRole('button', { name: 'Save' });
      const message = options.locator('#settings-message');
      await options.waitForFunction(() => !document.getElementById('download-limit').disabled, null, { timeout: 30_000 });
      assert.equal(await down.inputValue(), '', 'the harness\'s settings.json predates the limits: none');

      await down.fill('512');
      await up.fill('64');
      await save.click();
      await message.getByText(/^Saved\..*download 512 KiB\/s, upload 64 KiB\/s/).waitFor({ timeout: 15_000 });
      const limited = await api(daemon, 'GET', '/settings');
      assert.equal(limited.downloadBytesPerSecond, 512 * 1024);
      assert.equal(limited.uploadBytesPerSecond, 64 * 1024);

      await down.fill('fast');
      await save.click();
      await message.getByText(/^Not saved: "fast" is not a whole number of KiB\/s/).waitFor({ timeout: 15_000 });
      assert.equal((await api(daemon, 'GET', '/settings')).downloadBytesPerSecond, 512 * 1024, 'a refused entry changes nothing');

      await down.fill('');
      await up.fill('');
      await save.click();
      await message.getByText(/^Saved\..*download none, upload none/).waitFor({ timeout: 15_000 });
      const cleared = await api(daemon, 'GET', '/settings');
      assert.deepEqual([cleared.downloadBytesPerSecond, cleared.uploadBytesPerSecond], [0, 0]);

      // The helper checks the folder: one that does not exist is refused with what to do, and nothing changes.
      const folder = options.locator('#download-dir');
      const missing = path.join(helper.downloads, 'no-such-folder');
      await folder.fill(missing);
      await save.click();
      await message.getByText(`Not saved: the download folder ${missing} does not exist: create it first, or choose another`).waitFor({ timeout: 15_000 });
      assert.equal((await api(daemon, 'GET', '/settings')).downloadDir, helper.downloads);
      await folder.fill(helper.downloads);

      // Port mapping: on by default, switched off and on at once. This helper accepts peers on loopback only
      // (MAGNETAR_PEER_BIND), so it never asks a router, and the popup says why nothing is forwarded.
      await popup.locator('#reachability').getByText(/^Peer port \d+; port mapping off \(peers are accepted on loopback only/).waitFor({ timeout: 15_000 });
      const mapping = options.locator('#port-mapping');
      assert.equal(await mapping.isChecked(), true, 'on by default');
      await mapping.uncheck();
      await save.click();
      await message.getByText(/port mapping off \(at once\);/).waitFor({ timeout: 15_000 });
      assert.equal((await api(daemon, 'GET', '/settings')).portMapping, false);
      assert.equal((await api(daemon, 'GET', '/network')).portMapping.message, 'switched off in the settings');
      await mapping.check();
      await save.click();
      await message.getByText(/port mapping on \(at once\);/).waitFor({ timeout: 15_000 });
      assert.match((await api(daemon, 'GET', '/network')).portMapping.message, /loopback only/);
      await options.close();
    });

    test('limits: the popup\'s Limits dialog sets one torrent\'s own limits in the helper, shows them again, refuses a typo, clears them', async () => {
      const daemon = daemonInfo(helper.home);
      const item = popup.locator(`li[data-info-hash="${HASH}"]`);
      const dialog = popup.locator('#limits-dialog');
      const down = popup.locator('#limits-down');
      const up = popup.locator('#limits-up');
      const save = dialog.getByRole('button', { name: 'Save limits' });
      const helperLimits = async () => (await api(daemon, 'GET', `/torrents/${HASH}`)).limits;

      await item.getByRole('button', { name: /^Rate limits of / }).click();
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(await down.inputValue(), '', 'no limit of its own yet');
      await down.fill('256');
      await up.fill('32');
      await save.click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      assert.deepEqual(await helperLimits(), { downloadBytesPerSecond: 256 * 1024, uploadBytesPerSecond: 32 * 1024 });

      await item.getByRole('button', { name: /^Rate limits of / }).click();
      await dialog.waitFor({ state: 'visible', timeout: 10_000 });
      assert.deepEqual([await down.inputValue(), await up.inputValue()], ['256', '32'], 'the dialog shows what the helper keeps');
      await down.fill('lots');
      await save.click();
      await popup.locator('#limits-error').getByText(/"lots" is not a whole number of KiB\/s/).waitFor({ timeout: 10_000 });
      assert.equal((await helperLimits()).downloadBytesPerSecond, 256 * 1024, 'a refused entry changes nothing');
      await down.fill('');
      await up.fill('');
      await save.click();
      await dialog.waitFor({ state: 'hidden', timeout: 10_000 });
      assert.deepEqual(await helperLimits(), { downloadBytesPerSecond: 0, uploadBytesPerSecond: 0 });
    });

    test('keyboard: Tab reaches the actions; Remove asks about the data in a dialog; pause/resume/remove reach the helper', async () => {
      const daemon = daemonInfo(helper.home);
      const item = popup.locator(`li[data-info-hash="${HASH}"]`);
      await popup.locator('body').focus();
      let reached = null;
      for (let i = 0; i < 40 && !reached; i++) {
        await popup.keyboard.press('Tab');
        const label = await popup.evaluate(() => document.activeElement?.tagName === 'BUTTON' ? document.activeElement.getAttribute('aria-label') : null);
        if (label?.startsWith('Pause ')) reached = label;
      }
      assert.ok(reached, 'the Pause button is in the tab order');
      await popup.keyboard.press('Enter');
      await until('the torrent to be paused', async () => (await api(daemon, 'GET', '/torrents')).torrents.find((t) => t.infoHash === HASH && t.state === 'PAUSED'));
      await item.getByRole('button', { name: /^Resume / }).waitFor({ timeout: 10_000 });
      await item.getByRole('button', { name: /^Resume / }).click();
      await until('the torrent to resume', async () => (await api(daemon, 'GET', '/torrents')).torrents.find((t) => t.infoHash === HASH && t.state !== 'PAUSED'));

      await item.getByRole('button', { name: /^Remove / }).focus();
      await popup.keyboard.press('Enter');
      const dialog = popup.locator('#remove-dialog');
      await dialog.waitFor({ state: 'visible', timeout: 5_000 });
      await popup.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden', timeout: 5_000 });
      assert.ok((await api(daemon, 'GET', '/torrents')).torrents.some((t) => t.infoHash === HASH), 'Escape removes nothing');

      await item.getByRole('button', { name: /^Remove / }).click();
      await popup.getByLabel('Also delete the downloaded data from disk').check();
      await dialog.getByRole('button', { name: 'Remove' }).click();
      await until('the torrent to be removed', async () => !(await api(daemon, 'GET', '/torrents')).torrents.some((t) => t.infoHash === HASH));
      await item.waitFor({ state: 'detached', timeout: 10_000 });
    });

    test('helper down: the popup says so, reconnects to a new daemon, and shows the locked wallet with its unlock form', async () => {
      const old = daemonInfo(helper.home);
      await api(old, 'POST', '/shutdown', {});
      // The events socket closes; the extension asks the native host again, which starts a new daemon.
      await until('a new daemon', async () => { const d = daemonInfo(helper.home); return d && d.pid !== old.pid && d.token !== old.token; }, 90_000);
      await popup.getByText(/Connected to the Magnetar helper/).waitFor({ timeout: 90_000 });
      const daemon = daemonInfo(helper.home);
      assert.equal((await api(daemon, 'GET', '/wallet')).unlocked, false, 'a new daemon starts with the wallet locked');
      await popup.locator('#wallet-state').getByText('Wallet locked').waitFor({ timeout: 15_000 });
      await popup.getByLabel('Wallet password').fill('not it');
      await popup.getByRole('button', { name: 'Unlock' }).click();
      await popup.locator('#wallet-message').getByText('Wrong wallet password.').waitFor({ timeout: 30_000 });
      await popup.getByLabel('Wallet password').fill(PASSWORD);
      await popup.getByRole('button', { name: 'Unlock' }).click();
      await until('the wallet to unlock', async () => (await api(daemon, 'GET', '/wallet')).unlocked, 30_000);
      await popup.locator('#wallet-state').getByText('Unlocked').waitFor({ timeout: 15_000 });
      assert.equal(await popup.locator('#unlock-form').isHidden(), true);
    });

    test('(6) a magnet to a loopback libtorrent seeder downloads to 100 % in the popup', async (t) => {
      assert.equal(engineKind, 'real', 'the daemon must run the real BitTorrent engine for the download step');
      if (!libtorrentAvailable()) {
        if (process.env.CI === 'true') assert.fail('python3-libtorrent is needed for the download step');
        t.skip('python3-libtorrent is not installed');
        return;
      }
      seeder = await startSeeder(root);
      const daemon = daemonInfo(helper.home);
      const magnet = `magnet:?xt=urn:btih:${seeder.infoHash}&dn=${seeder.name}&x.pe=127.0.0.1:${seeder.port}`;
      const page = await ctx.newPage();
      await pages.server.close();
      pages = await servePages({ '/seed.html': `<!doctype html><a id="m" href="${magnet}">seed</a>` });
      await page.goto(`${pages.origin}/seed.html`);
      await page.locator('#m').click();
      const item = popup.locator(`li[data-info-hash="${seeder.infoHash}"]`);
      await item.waitFor({ timeout: 30_000 });
      await item.getByRole('progressbar').and(popup.locator('[aria-valuenow="100"]')).waitFor({ timeout: 180_000 });
      assert.match(await item.locator('.percent').innerText(), /^100 %$/);
      const done = (await api(daemon, 'GET', '/torrents')).torrents.find((x) => x.infoHash === seeder.infoHash);
      assert.equal(done.verifiedBytes, seeder.size);
      const file = path.join(helper.downloads, seeder.name);
      assert.ok(existsSync(file), `the file is in the download folder: ${file}`);
    });

    test('(7) selling: `magnetar seed --ask` on the helper\'s devnet is paid in BTT for a boost approved in the approval window', async () => {
      assert.equal(engineKind, 'real', 'the daemon must run the real BitTorrent engine for the paid download');
      const daemon = daemonInfo(helper.home);
      // The seller: another user's data folder with a wallet and the content; it sells on the devnet this helper serves.
      const home = path.join(root, 'seller');
      const content = path.join(home, 'content');
      mkdirSync(content, { recursive: true });
      writeFileSync(path.join(home, 'settings.json'), JSON.stringify({
        downloadDir: content, quitWithBrowser: false, listenPort: 0, network: 'devnet', devnetPort: 0,
      }));
      const pw = path.join(root, 'seller-password');
      writeFileSync(pw, 'seller password\n', { mode: 0o600 });
      const jar = (...args) => spawnSync(javaPath(), ['-jar', JAR, ...args], { encoding: 'utf8', timeout: 120_000 });
      const created = jar('wallet', 'create', '--password-file', pw, '--data-dir', home);
      assert.equal(created.status, 0, created.stderr);
      const sellerAddress = /address: (T\w+)/.exec(created.stdout)[1];
      const data = Buffer.alloc(4 * 1024 * 1024);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31 + 7) & 0xff;
      writeFileSync(path.join(content, 'sold-e2e.bin'), data);
      const torrent = path.join(root, 'sold-e2e.torrent');
      assert.equal(jar('create', path.join(content, 'sold-e2e.bin'), '--out', torrent, '--piece-size', '262144').status, 0);
      const devnet = JSON.parse(readFileSync(path.join(helper.home, 'devnet', 'serving.json'), 'utf8')).endpoint;

      seller = spawn(javaPath(), ['-jar', JAR, 'seed', torrent, '--dir', content, '--port', '0', '--bind', '127.0.0.1', '--max-up', '512',
        '--no-dht', '--no-pex', '--no-lsd', '--ask', '1000', '--data-dir', home, '--endpoint', devnet], { stdio: ['ignore', 'ignore', 'pipe'] });
      const { infoHash, port } = await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the seed did not start selling within 120 s')), 120_000);
        let err = '';
        seller.stderr.on('data', (chunk) => {
          err += chunk;
          const seeding = /seeding \S+ \(([0-9a-f]{40})\) on 127\.0\.0\.1:(\d+);/.exec(err);
          if (seeding && /selling paid slots at 1000 BTT\/GiB/.test(err)) {
            clearTimeout(timer);
            resolve({ infoHash: seeding[1], port: Number(seeding[2]) });
          }
        });
        seller.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the seed exited with ${code}: ${err}`)); });
      });

      // Added paused, so nothing arrives before the budget is approved; boosted from the popup.
      await api(daemon, 'POST', '/torrents/magnet', { uri: `magnet:?xt=urn:btih:${infoHash}&dn=sold-e2e.bin&x.pe=127.0.0.1:${port}`, paused: true });
      const item = popup.locator(`li[data-info-hash="${infoHash}"]`);
      await item.waitFor({ timeout: 30_000 });
      await item.getByRole('button', { name: /^Boost/ }).click();
      await popup.locator('#boost-cap').fill('20');
      await popup.locator('#boost-rate').fill('2000');
      const opened = ctx.waitForEvent('page', { predicate: (p) => p.url().includes('/approval.html'), timeout: 30_000 });
      await popup.getByRole('button', { name: 'Request boost' }).click();
      const approval = await opened;
      await approval.locator('#request').waitFor({ timeout: 15_000 });
      assert.match(await approval.locator('#chain-id').innerText(), /^\d+$/, 'the devnet\'s chain id, read from its genesis block');
      assert.match(await approval.locator('#fees').innerText(), /^about [\d.,]+ TRX per payment, about [\d.,]+ TRX for the whole budget/);
      const closed = approval.waitForEvent('close', { timeout: 30_000 });
      await approval.locator('#password').fill(PASSWORD);
      await approval.getByRole('button', { name: 'Approve' }).click();
      await closed;
      await api(daemon, 'POST', `/torrents/${infoHash}/resume`, {});

      await until('the paid download to finish', async () =>
        (await api(daemon, 'GET', '/torrents')).torrents.find((x) => x.infoHash === infoHash && x.verifiedBytes === data.length), 180_000);
      assert.ok(readFileSync(path.join(helper.downloads, 'sold-e2e.bin')).equals(data), 'byte-identical');
      const sent = await until('the payment to confirm', async () => {
        const entries = (await api(daemon, 'GET', '/wallet/ledger')).entries.filter((e) => e.direction === 'SENT' && e.counterparty === sellerAddress);
        return entries.length > 0 && entries.every((e) => e.status === 'CONFIRMED') ? entries : null;
      }, 120_000);
      const paid = sent.reduce((sum, e) => sum + BigInt(e.amountBaseUnits), 0n);
      assert.ok(paid > 0n && paid <= 20n * BTT, `paid within the approved cap: ${paid}`);
      // The seller's BTT, asked through the wallet command, which finds the helper's devnet on its own.
      const balance = jar('wallet', 'balance', '--address', sellerAddress, '--data-dir', helper.home);
      assert.equal(balance.status, 0, balance.stderr);
      const btt = /BTT: ([\d.]+)/.exec(balance.stdout)[1];
      const [whole, fraction = ''] = btt.split('.');
      assert.equal(BigInt(whole) * BTT + BigInt(fraction.padEnd(18, '0') || '0'), paid, 'what the helper paid is on the seller\'s address');
      seller.kill('SIGTERM');
    });
  });
}
