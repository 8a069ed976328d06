// Builds the two browser variants from one code base:
//   dist/chromium/  manifest.json as is (MV3 service worker, fixed "key" → fixed extension id)
//   dist/firefox/   background.scripts instead of a service worker, the magnet: protocol handler,
//                   no "key" (Firefox identifies the add-on by browser_specific_settings.gecko.id),
//                   and its own extension-page CSP (see EXTENSION_PAGES_CSP)
// No bundling and no remote code: the files are copied as written.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const manifest = JSON.parse(readFileSync(path.join(root, 'manifest.json'), 'utf8'));

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

function write(variant, m) {
  const out = path.join(root, 'dist', variant);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(path.join(root, 'src'), out, { recursive: true });
  if (variant === 'chromium') rmSync(path.join(out, 'handler.html')), rmSync(path.join(out, 'handler.js'));
  writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(m, null, 2)}\n`);
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(write('chromium', manifest));
  console.log(write('firefox', firefoxManifest(manifest)));
}
