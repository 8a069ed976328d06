// Builds the two browser variants from one code base:
//   dist/chromium/  manifest.json as is (MV3 service worker, fixed "key" → fixed extension id)
//   dist/firefox/   background.scripts instead of a service worker, the magnet: protocol handler,
//                   no "key" (Firefox identifies the add-on by browser_specific_settings.gecko.id),
//                   and its own extension-page CSP (see EXTENSION_PAGES_CSP)
// No bundling and no remote code: the files are copied as written. The version is not written in
// manifest.json: it comes from the root pom.xml, the one source the helper's version comes from too.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const POM = path.join(path.dirname(root), 'pom.xml');

/** The project version in the root pom.xml (the <version> right after magnetar-parent's artifactId). */
export function productVersion(pomXml = readFileSync(POM, 'utf8')) {
  const m = /<artifactId>magnetar-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(pomXml);
  if (!m) throw new Error(`${POM} names no version after <artifactId>magnetar-parent</artifactId>`);
  return m[1].trim();
}

/** Browsers take 1–4 dot-separated integers: 0.1.0-SNAPSHOT ships as 0.1.0. */
export function manifestVersion(version) {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:[-.+~].*)?$/.exec(version);
  if (!m) throw new Error(`version "${version}" is not MAJOR.MINOR.PATCH[-QUALIFIER]`);
  return `${Number(m[1])}.${Number(m[2])}.${Number(m[3])}`;
}

export function chromiumManifest(source, version) {
  if (source.version !== undefined) throw new Error('manifest.json must not carry a version: it comes from pom.xml');
  const { manifest_version: mv, name, ...rest } = source;
  return { manifest_version: mv, name, version: manifestVersion(version), ...rest };
}

const manifest = chromiumManifest(JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8')), productVersion());

/**
 * Chromium's MV3 default for extension pages, written out for Firefox: Firefox's own default adds
 * `upgrade-insecure-requests` (since Firefox 109, Mozilla bug 1797086), which turns the helper's
 * loopback http:// and ws:// addresses into https:// and wss:// that nothing answers. Stating the policy
 * keeps scripts to the add-on's own files (no remote code) without that upgrade.
 */
export const EXTENSION_PAGES_CSP = "script-src 'self'; object-src 'self'";

export function firefoxManifest(chromium) {
  const m = structuredClone(chromium);
  delete m.key;
  m.background = { scripts: [chromium.background.service_worker], type: 'module' };
  m.content_security_policy = { extension_pages: EXTENSION_PAGES_CSP };
  m.protocol_handlers = [{ protocol: 'magnet', name: 'Magnetar', uriTemplate: '/handler.html#%s' }];
  return m;
}

export function write(variant, m) {
  const out = path.join(root, 'dist', variant);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(path.join(root, 'src'), out, { recursive: true });
  if (variant === 'chromium') rmSync(path.join(out, 'handler.html')), rmSync(path.join(out, 'handler.js'));
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  return out;
}

/** Writes dist/chromium and dist/firefox; returns their folders. */
export function buildAll() {
  return { chromium: write('chromium', manifest), firefox: write('firefox', firefoxManifest(manifest)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = buildAll();
  console.log(out.chromium);
  console.log(out.firefox);
}
