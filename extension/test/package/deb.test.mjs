// The installed .deb in real headless Chromium and Firefox ESR: the packaged extension (.zip and .xpi
// from `npm run package`), the helper as installed by dpkg under /opt/magnetar and found through the
// system-wide host manifests, no system Java reachable, a magnet click downloaded to 100 % from a
// loopback libtorrent seeder in each browser.
// packaging/linux/deb-e2e.sh runs this inside a mount namespace after `dpkg -i` (and removes the
// package afterwards); on its own it skips unless MAGNETAR_DEB_INSTALLED=1.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import {
  EXTENSION_ID, launchChromium, launchFirefox, daemonInfo, api, until, stopDaemon, servePages, startSeeder, tempRoot, removeTree,
} from '../e2e/harness.mjs';

const PREFIX = '/opt/magnetar';
const SYSTEM_MANIFEST = '/etc/chromium/native-messaging-hosts/dev.magnetar.helper.json';
const ZIP = process.env.MAGNETAR_EXTENSION_ZIP;
const XPI = ZIP?.replace(/magnetar-chromium-([^/]*)\.zip$/, 'magnetar-firefox-$1.xpi');

/** Unpacks the store-style .zip the way a user's "load unpacked" would see it. */
function unzip(archive, dir) {
  assert.ok(archive && existsSync(archive), `the packaged extension ${archive} exists (npm run package)`);
  const py = 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])';
  execFileSync('/usr/bin/python3', ['-c', py, archive, dir]);
  return dir;
}

if (process.env.MAGNETAR_DEB_INSTALLED !== '1') {
  test('installed .deb in Chromium', { skip: 'run through packaging/linux/deb-e2e.sh, which installs the .deb first' }, () => {});
} else {
  describe('the installed .deb with the packaged extension in Chromium', { timeout: 6 * 60_000 }, () => {
    let root; let home; let data; let downloads; let ctx; let popup; let pages; let seeder;

    before(async () => {
      root = process.env.MAGNETAR_DEB_E2E_ROOT ?? tempRoot();
      home = path.join(root, 'home');
      data = path.join(home, '.local', 'share', 'magnetar'); // the XDG data folder the helper picks by itself
      downloads = path.join(root, 'downloads');
      mkdirSync(data, { recursive: true });
      mkdirSync(downloads, { recursive: true });
      writeFileSync(path.join(data, 'settings.json'), JSON.stringify({
        downloadDir: downloads, quitWithBrowser: false, listenPort: 0, network: 'devnet', devnetPort: 0, extensionIds: [EXTENSION_ID],
      }));
    });

    after(async () => {
      await ctx?.close().catch(() => {});
      if (data) await stopDaemon(data);
      seeder?.seeder.kill('SIGKILL');
      pages?.server.close();
      if (root && !process.env.MAGNETAR_DEB_E2E_ROOT && !process.env.MAGNETAR_E2E_KEEP) removeTree(root);
    });

    test('no system Java is reachable, and the registered host runs only the package\'s own runtime', () => {
      const java = spawnSync('sh', ['-c', 'java -version'], { encoding: 'utf8' });
      assert.equal(java.status, 127, `no runnable java on PATH (the alternatives link dangles): ${java.stderr}`);
      assert.deepEqual(existsSync('/usr/lib/jvm') ? readdirSync('/usr/lib/jvm') : [], [], '/usr/lib/jvm is hidden');
      assert.equal(process.env.JAVA_HOME, undefined);
      assert.equal(realpathSync('/usr/bin/magnetar'), `${PREFIX}/bin/magnetar`);
      assert.equal(readlinkSync(SYSTEM_MANIFEST), `${PREFIX}/lib/native-messaging-hosts/chromium/dev.magnetar.helper.json`);
      const manifest = JSON.parse(readFileSync(SYSTEM_MANIFEST, 'utf8'));
      assert.deepEqual(manifest.allowed_origins, [`chrome-extension://${EXTENSION_ID}/`]);
      assert.equal(manifest.path, `${PREFIX}/bin/magnetar-native-host`);
      const exec = readFileSync(manifest.path, 'utf8').split('\n').find((l) => l.startsWith('exec '));
      assert.match(exec, new RegExp(`^exec '${PREFIX}/lib/runtime/bin/java' `), 'the launcher runs the bundled java by absolute path');
      assert.ok(existsSync(`${PREFIX}/lib/app/native-host.jsa`), 'postinst made the native host\'s class archive');
      assert.ok(existsSync(`${PREFIX}/lib/app/daemon.jsa`), 'postinst made the daemon\'s class archive');
      const firefox = JSON.parse(readFileSync('/usr/lib/mozilla/native-messaging-hosts/dev.magnetar.helper.json', 'utf8'));
      assert.deepEqual(firefox.allowed_extensions, ['magnetar@magnetar.dev']);
      assert.equal(firefox.path, manifest.path, 'Firefox starts the same launcher');
      const version = execFileSync('/usr/bin/magnetar', ['--version'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
      assert.match(version, /^magnetar \d+\.\d+\.\d+/);
    });

    test('the magnetar command on PATH makes a wallet with the trimmed runtime; its keystore is the user\'s data', () => {
      const password = path.join(root, 'wallet-password');
      writeFileSync(password, 'correct horse battery staple\n', { mode: 0o600 });
      execFileSync('magnetar', ['wallet', 'create', '--password-file', password, '--data-dir', data, '--devnet-port', '0'],
        { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: home }, timeout: 120_000 });
      const keystore = path.join(data, 'wallet', 'keystore.json');
      assert.match(readFileSync(keystore, 'utf8'), /T[1-9A-HJ-NP-Za-km-z]{33}/, 'the keystore names a TRON address');
      // deb-e2e.sh checks after `apt-get remove` that the keystore is still there, byte for byte.
      writeFileSync(path.join(root, 'keystore.sha256'), `${createHash('sha256').update(readFileSync(keystore)).digest('hex')}  ${keystore}\n`);
    });

    test('a magnet click in a page downloads to 100 % through the installed helper', async () => {
      const extension = unzip(ZIP, path.join(root, 'extension'));
      const env = { ...process.env, HOME: home, XDG_DATA_HOME: path.join(home, '.local', 'share'), MAGNETAR_HOST_LOG: path.join(root, 'host.log') };
      delete env.MAGNETAR_HOME;
      ctx = await launchChromium(chromium, path.join(root, 'udd'), extension, env);
      const worker = ctx.serviceWorkers()[0] ?? await ctx.waitForEvent('serviceworker', { timeout: 30_000 });
      assert.equal(new URL(worker.url()).host, EXTENSION_ID, 'the packaged manifest key fixes the extension id');

      popup = await ctx.newPage();
      await popup.goto(`chrome-extension://${EXTENSION_ID}/popup.html`);
      await popup.getByText(/Connected to the Magnetar helper/).waitFor({ timeout: 90_000 });
      const daemon = daemonInfo(data);
      assert.ok(daemon, `the system-wide registered host started the daemon in ${data}`);
      assert.ok(realpathSync(`/proc/${daemon.pid}/exe`).startsWith(`${PREFIX}/lib/runtime/`),
        `the daemon runs the package's java: ${realpathSync(`/proc/${daemon.pid}/exe`)}`);
      const cmdline = readFileSync(`/proc/${daemon.pid}/cmdline`, 'utf8').split('\0');
      assert.ok(cmdline.includes(`-XX:SharedArchiveFile=${PREFIX}/lib/app/daemon.jsa`), `the daemon maps the packaged archive: ${cmdline.join(' ')}`);

      seeder = await startSeeder(root);
      const magnet = `magnet:?xt=urn:btih:${seeder.infoHash}&dn=${seeder.name}&x.pe=127.0.0.1:${seeder.port}`;
      pages = await servePages({ '/seed.html': `<!doctype html><a id="m" href="${magnet}">seed</a>` });
      const page = await ctx.newPage();
      await page.goto(`${pages.origin}/seed.html`);
      await page.locator('#m').click();
      const item = popup.locator(`li[data-info-hash="${seeder.infoHash}"]`);
      await item.waitFor({ timeout: 30_000 });
      await item.getByRole('progressbar').and(popup.locator('[aria-valuenow="100"]')).waitFor({ timeout: 180_000 });
      assert.match(await item.locator('.percent').innerText(), /^100 %$/);
      const done = (await api(daemon, 'GET', '/torrents')).torrents.find((x) => x.infoHash === seeder.infoHash);
      assert.equal(done.verifiedBytes, seeder.size);
      assert.equal(readFileSync(path.join(downloads, seeder.name)).length, seeder.size);
      assert.match(readFileSync(path.join(root, 'host.log'), 'utf8'), new RegExp(`native-host start .*chrome-extension://${EXTENSION_ID}/`),
        'Chromium started the packaged launcher with our origin');
    });
  });

  describe('the installed .deb with the packaged Firefox add-on', { timeout: 6 * 60_000 }, () => {
    let root; let home; let data; let downloads; let browser; let pages; let seeder;

    before(() => {
      root = path.join(process.env.MAGNETAR_DEB_E2E_ROOT ?? tempRoot(), 'firefox');
      home = path.join(root, 'firefox-home'); // launchFirefox's HOME
      data = path.join(home, '.local', 'share', 'magnetar');
      downloads = path.join(root, 'downloads');
      mkdirSync(data, { recursive: true });
      mkdirSync(downloads, { recursive: true });
      writeFileSync(path.join(data, 'settings.json'), JSON.stringify({
        downloadDir: downloads, quitWithBrowser: false, listenPort: 0, network: 'devnet', devnetPort: 0,
      }));
    });

    after(async () => {
      await browser?.close().catch(() => {});
      if (data) await stopDaemon(data);
      seeder?.seeder.kill('SIGKILL');
      pages?.server.close();
    });

    test('a magnet click downloads to 100 % through the host Firefox finds in /usr/lib/mozilla', async () => {
      const addon = unzip(XPI, path.join(root, 'addon'));
      const env = { ...process.env, XDG_DATA_HOME: path.join(home, '.local', 'share'), MAGNETAR_HOST_LOG: path.join(root, 'host.log') };
      delete env.MAGNETAR_HOME;
      const launched = await launchFirefox(puppeteer, root, addon, env);
      browser = launched.browser;
      assert.equal(launched.id, 'magnetar@magnetar.dev', 'the packaged gecko id');

      seeder = await startSeeder(root);
      const magnet = `magnet:?xt=urn:btih:${seeder.infoHash}&dn=${seeder.name}&x.pe=127.0.0.1:${seeder.port}`;
      pages = await servePages({ '/seed.html': `<!doctype html><a id="m" href="${magnet}">seed</a>` });
      const page = await browser.newPage();
      await page.goto(`${pages.origin}/seed.html`);
      await page.click('#m');
      const daemon = await until('the host Firefox started to start the daemon', () => daemonInfo(data), 90_000);
      assert.ok(realpathSync(`/proc/${daemon.pid}/exe`).startsWith(`${PREFIX}/lib/runtime/`), 'the daemon runs the package\'s java');
      const done = await until('the download to finish', async () => (await api(daemon, 'GET', '/torrents')).torrents
        .find((t) => t.infoHash === seeder.infoHash && t.verifiedBytes === seeder.size), 180_000);
      assert.equal(done.totalBytes, seeder.size);
      assert.ok(readFileSync(path.join(downloads, seeder.name)).equals(readFileSync(path.join(root, 'seed', seeder.name))));
      assert.match(readFileSync(path.join(root, 'host.log'), 'utf8'), /native-host start .*magnetar@magnetar\.dev/,
        'Firefox started the packaged launcher for our add-on');
    });
  });
}
