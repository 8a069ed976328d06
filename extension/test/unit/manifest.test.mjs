import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { firefoxManifest } from '../../scripts/build.mjs';

const chromium = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

test('least permissions: native messaging, menu, notifications, storage; loopback hosts only', () => {
  assert.deepEqual(chromium.permissions, ['nativeMessaging', 'contextMenus', 'notifications', 'storage']);
  assert.deepEqual(chromium.host_permissions, ['http://127.0.0.1/*', 'http://localhost/*']);
  assert.equal(chromium.content_security_policy, undefined, 'the default MV3 CSP: no remote code');
  assert.equal(chromium.manifest_version, 3);
});

test('the identity stays fixed: Chromium key and gecko id', () => {
  assert.match(chromium.key, /^MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAimOAba0/);
  assert.equal(chromium.browser_specific_settings.gecko.id, 'magnetar@magnetar.dev');
});

test('the Firefox variant uses background scripts and the magnet protocol handler, without the key', () => {
  const ff = firefoxManifest(chromium);
  assert.deepEqual(ff.background, { scripts: ['background.js'], type: 'module' });
  assert.equal(ff.key, undefined);
  assert.deepEqual(ff.protocol_handlers, [{ protocol: 'magnet', name: 'Magnetar', uriTemplate: '/handler.html#%s' }]);
  assert.equal(ff.browser_specific_settings.gecko.id, 'magnetar@magnetar.dev');
  assert.deepEqual(ff.permissions, chromium.permissions);
  assert.equal(chromium.background.service_worker, 'background.js', 'the Chromium source manifest is untouched');
});

test('the Firefox variant states its extension-page CSP: no remote code, and no upgrade of the loopback http/ws', () => {
  const csp = firefoxManifest(chromium).content_security_policy.extension_pages;
  assert.equal(csp, "script-src 'self'; object-src 'self'");
  assert.doesNotMatch(csp, /upgrade-insecure-requests/);
});

test('the extension-page CSP leaves media alone: the player streams from the helper at http://127.0.0.1', () => {
  // No default-src or media-src: a <video> on an extension page may read the loopback capability URL in
  // both builds (Chromium's MV3 default restricts scripts and objects only, and so does Firefox's, as written).
  assert.doesNotMatch(firefoxManifest(chromium).content_security_policy.extension_pages, /default-src|media-src|connect-src/);
  assert.equal(chromium.content_security_policy, undefined);
  assert.ok(chromium.host_permissions.includes('http://127.0.0.1/*'), 'the player\'s HEAD probe of its stream URL needs the loopback host');
});
