// Real parts for the extension's E2E: the helper jar as the native host (registered inside the test's
// own Chromium user-data-dir), Debian's Chromium through playwright-core (never a downloaded browser),
// a test page served from 127.0.0.1, and a loopback libtorrent seeder. Every wait is bounded.
import assert from 'node:assert/strict';
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

export const EXTENSION_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const REPO = path.dirname(EXTENSION_DIR);
export const EXTENSION_ID = 'ighcbjpaekabdiphmkfgookimbgnoogf';
export const HOST_NAME = 'dev.magnetar.helper';
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const JAR = path.join(REPO, 'helper/target/magnetar.jar');
export const TEST_CLASSES = path.join(REPO, 'helper/target/test-classes');
export const E2E_MAIN = 'dev.magnetar.cli.ExtensionE2EMain';
const INTEROP = path.join(REPO, 'helper/src/test/resources/interop');
const PYTHON = '/usr/bin/python3'; // python3-libtorrent imports only in Debian's interpreter (TESTING.md)

/** Builds the helper only when the jar or the E2E entry point is missing (the README's mvn build makes both). */
export function ensureHelperBuilt() {
  const entry = path.join(TEST_CLASSES, `${E2E_MAIN.replaceAll('.', '/')}.class`);
  if (existsSync(JAR) && existsSync(entry)) return;
  const r = spawnSync('mvn', ['-B', '-q', '-DskipTests', 'package'], { cwd: REPO, stdio: 'inherit', timeout: 15 * 60_000 });
  if (r.status !== 0) throw new Error(`mvn -B -q -DskipTests package failed (status ${r.status}) in ${REPO}`);
}

/** Builds both variants; returns the folder of the one asked for ('chromium' or 'firefox'). */
export function buildExtension(variant = 'chromium') {
  execFileSync(process.execPath, [path.join(EXTENSION_DIR, 'scripts/build.mjs')], { stdio: 'pipe' });
  return path.join(EXTENSION_DIR, 'dist', variant);
}

export function javaPath() {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(path.join(home, 'bin/java'))) return path.join(home, 'bin/java');
  return execFileSync('sh', ['-c', 'command -v java']).toString().trim();
}

function helperArgs(...args) {
  return ['-cp', `${JAR}${path.delimiter}${TEST_CLASSES}`, `-Dmagnetar.main=${E2E_MAIN}`, E2E_MAIN, ...args];
}

/** A throwaway helper home: settings on free ports, a devnet wallet with test BTT (or, with `wallet: false`, none yet). */
export function prepareHelperHome(root, password, { wallet = true } = {}) {
  const home = path.join(root, 'magnetar');
  const downloads = path.join(root, 'downloads');
  mkdirSync(home, { recursive: true });
  mkdirSync(downloads, { recursive: true });
  writeFileSync(path.join(home, 'settings.json'), JSON.stringify({
    downloadDir: downloads, quitWithBrowser: false, listenPort: 0, network: 'devnet', devnetPort: 0, extensionIds: [EXTENSION_ID],
  }));
  const run = (...args) => {
    const r = spawnSync(javaPath(), helperArgs('wallet', ...args, '--data-dir', home, '--devnet-port', '0'),
      { env: { ...process.env, MAGNETAR_HOME: home }, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`magnetar wallet ${args[0]} failed: ${r.stderr}${r.stdout}`);
    return r.stdout;
  };
  if (wallet) {
    const pwFile = path.join(root, 'wallet-password');
    writeFileSync(pwFile, `${password}\n`, { mode: 0o600 });
    run('create', '--password-file', pwFile);
    run('faucet', '--btt', '1000', '--trx', '100');
  }
  return { home, downloads };
}

/** The launcher the host manifest points at: the browser starts it with the caller's origin. */
export function writeLauncher(root, home) {
  const launcher = path.join(root, 'magnetar-native-host');
  const quote = (s) => `'${s.replaceAll("'", "'\\''")}'`;
  writeFileSync(launcher, [
    '#!/bin/sh',
    `export MAGNETAR_HOME=${quote(home)}`,
    `exec ${[javaPath(), ...helperArgs('native-host')].map(quote).join(' ')} "$@" 2>>${quote(path.join(root, 'native-host.log'))}`,
    '',
  ].join('\n'));
  chmodSync(launcher, 0o755);
  return launcher;
}

export function registerNativeHost(udd, launcher) {
  const dir = path.join(udd, 'NativeMessagingHosts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${HOST_NAME}.json`), JSON.stringify({
    name: HOST_NAME, description: 'Magnetar helper (E2E)', path: launcher, type: 'stdio',
    allowed_origins: [`chrome-extension://${EXTENSION_ID}/`],
  }));
}

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
export const GECKO_ID = 'magnetar@magnetar.dev';

/** Firefox reads per-user host manifests from $HOME/.mozilla/native-messaging-hosts/ (the test's own HOME). */
export function registerFirefoxNativeHost(home, launcher) {
  const dir = path.join(home, '.mozilla', 'native-messaging-hosts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${HOST_NAME}.json`), JSON.stringify({
    name: HOST_NAME, description: 'Magnetar helper (E2E)', path: launcher, type: 'stdio', allowed_extensions: [GECKO_ID],
  }));
}

/**
 * Debian's Firefox ESR over WebDriver BiDi (puppeteer-core; Playwright's Firefox needs its own patched
 * build), headless, in a throwaway profile and HOME, with the extension installed as a temporary add-on.
 */
export async function launchFirefox(puppeteer, root, extensionPath, env, home = path.join(root, 'firefox-home')) {
  mkdirSync(home, { recursive: true });
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: FIREFOX, headless: true, timeout: 60_000,
    userDataDir: path.join(root, 'firefox-profile'), env: { ...env, HOME: home },
  });
  const id = await browser.installExtension(extensionPath);
  return { browser, home, id };
}

/**
 * An extension page the extension itself opened. The remote protocol neither opens moz-extension:
 * pages nor reports their URL (it says about:blank), but scripts run in them: ask each page where it is.
 */
export async function extensionPage(browser, what, matches, timeoutMs = 30_000) {
  return until(`the extension to open ${what}`, async () => {
    for (const page of await browser.pages()) {
      const href = await page.evaluate(() => location.href).catch(() => '');
      if (href.startsWith('moz-extension://') && matches(new URL(href))) return page;
    }
    return null;
  }, timeoutMs);
}

export async function launchChromium(chromium, udd, extensionPath, env) {
  return chromium.launchPersistentContext(udd, {
    executablePath: CHROMIUM,
    headless: true,
    env,
    viewport: { width: 520, height: 900 },
    timeout: 60_000,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--disable-extensions-except=${extensionPath}`, `--load-extension=${extensionPath}`],
  });
}

/** The running daemon as the helper announces it in <home>/daemon.json, with its token. */
export function daemonInfo(home) {
  const file = path.join(home, 'daemon.json');
  if (!existsSync(file)) return null;
  const state = JSON.parse(readFileSync(file, 'utf8'));
  const token = readFileSync(path.join(home, 'api-token'), 'utf8').trim();
  return { ...state, token, home, base: `http://127.0.0.1:${state.port}/api/v1` };
}

/** The end of the daemon's log, for an error a test did not expect: CI keeps no temp folders. */
function daemonLogTail(home, lines = 40) {
  const file = home ? path.join(home, 'logs', 'daemon.log') : null;
  if (!file || !existsSync(file)) return '(no daemon log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

export async function api(daemon, method, route, body) {
  const headers = { Authorization: `Bearer ${daemon.token}` };
  if (method !== 'GET') headers['Content-Type'] = 'application/json';
  const r = await fetch(`${daemon.base}${route}`, { method, headers, body: method === 'GET' ? undefined : JSON.stringify(body ?? {}) });
  const json = await r.json();
  if (!r.ok) {
    const log = r.status >= 500 ? `\n--- end of the daemon log ---\n${daemonLogTail(daemon.home)}` : '';
    throw Object.assign(new Error(`${method} ${route}: ${r.status} ${json.code} ${json.message}${log}`), { code: json.code });
  }
  return json;
}

/** Polls until `probe` returns a truthy value; the timeout is only a hang guard. */
export async function until(what, probe, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops the daemon by the pid it announced, and waits for it to go. */
export async function stopDaemon(home) {
  const info = daemonInfo(home);
  if (!info) return;
  try { process.kill(info.pid, 'SIGTERM'); } catch { return; }
  const gone = () => { try { process.kill(info.pid, 0); return false; } catch { return true; } };
  try {
    await until('the daemon to exit', gone, 15_000);
  } catch {
    try { process.kill(info.pid, 'SIGKILL'); } catch { /* gone */ }
  }
}

/** Serves test pages from 127.0.0.1 (TESTING.md). */
export async function servePages(pages) {
  const server = createServer((req, res) => {
    const body = pages[new URL(req.url, 'http://x').pathname];
    if (body === undefined) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

/**
 * Stands in for a suite whose browser or tools are missing: skipped on a developer machine, but a failing
 * test when CI=true — in CI a missing tool means .ci/run is broken, and a silently skipped E2E proves nothing
 * (the streaming suites were skipped in CI for a while because .ci/run did not install ffmpeg).
 */
export function unavailableSuite(name, why) {
  if (process.env.CI === 'true') test(name, () => assert.fail(`${why} — CI=true, so a missing tool is an error: install it in .ci/run`));
  else test(name, { skip: why }, () => {});
}

export function libtorrentAvailable() {
  return existsSync(path.join(INTEROP, 'lt_seed.py')) && spawnSync(PYTHON, ['-c', 'import libtorrent'], { timeout: 20_000 }).status === 0;
}

/** Makes a small file, its .torrent, and a libtorrent seeder on 127.0.0.1; resolves with its port. */
export async function startSeeder(root) {
  const dir = path.join(root, 'seed');
  mkdirSync(dir, { recursive: true });
  const data = Buffer.alloc(3 * 1024 * 1024 + 12345);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7919) & 0xff;
  writeFileSync(path.join(dir, 'magnetar-e2e.bin'), data);
  const torrent = path.join(root, 'e2e.torrent');
  const infoHash = execFileSync(PYTHON, [path.join(INTEROP, 'lt_make_torrent.py'), path.join(dir, 'magnetar-e2e.bin'), torrent, '65536'],
    { timeout: 60_000 }).toString().trim();
  const seeder = spawn(PYTHON, [path.join(INTEROP, 'lt_seed.py'), torrent, dir, '0'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the libtorrent seeder did not get READY within 60 s')), 60_000);
    let out = '';
    seeder.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /READY (\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    seeder.on('exit', (code) => { clearTimeout(timer); reject(new Error(`the seeder exited with ${code}`)); });
  });
  return { seeder, port, infoHash, size: data.length, name: 'magnetar-e2e.bin' };
}

/**
 * A stand-in for the desktop's `xdg-open` (put `bin` first on the browser's PATH; the native host inherits
 * it): records each path it is asked to open instead of starting a program. `opened()` lists them.
 */
export function desktopOpenerStub(root) {
  const bin = path.join(root, 'bin');
  mkdirSync(bin, { recursive: true });
  const log = path.join(root, 'opened.txt');
  writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${log}'\n`);
  chmodSync(path.join(bin, 'xdg-open'), 0o755);
  return {
    path: `${bin}${path.delimiter}${process.env.PATH}`,
    opened: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}

export function tempRoot() {
  return mkdtempSync(path.join(os.tmpdir(), 'magnetar-ext-e2e-'));
}

export function removeTree(dir) {
  rmSync(dir, { recursive: true, force: true });
}
