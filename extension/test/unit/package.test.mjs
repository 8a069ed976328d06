import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chromiumManifest, manifestVersion, productVersion, POM } from '../../scripts/build.mjs';
import { packageAll, packageNames } from '../../scripts/package.mjs';

const source = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

/** The manifest inside a .zip/.xpi, read with Python's zipfile (Debian's python3 is on every test machine). */
function manifestIn(archive) {
  const py = 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("manifest.json").decode())';
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, archive], { encoding: 'utf8' }));
}

test('the version comes from the root pom.xml, the source the helper reads too', () => {
  const pom = readFileSync(POM, 'utf8');
  assert.match(pom, new RegExp(`<artifactId>magnetar-parent</artifactId>\\s*<version>${productVersion().replaceAll('.', '\\.')}</version>`));
  assert.equal(source.version, undefined, 'manifest.json carries no second copy');
  assert.equal(chromiumManifest(source, '2.3.4-SNAPSHOT').version, '2.3.4');
});

test('a Maven qualifier is dropped for the browsers; a version that is not three numbers is refused', () => {
  assert.equal(manifestVersion('0.1.0-SNAPSHOT'), '0.1.0');
  assert.equal(manifestVersion('1.10.0'), '1.10.0');
  assert.throws(() => manifestVersion('1.2'), /MAJOR\.MINOR\.PATCH/);
  assert.throws(() => productVersion('<project><artifactId>other</artifactId><version>1.0.0</version></project>'), /names no version/);
  assert.throws(() => chromiumManifest({ ...source, version: '9.9.9' }, '0.1.0'), /must not carry a version/);
});

test('npm run package writes the Chromium .zip with its key and the Firefox .xpi with its gecko id, both at the pom version', async () => {
  const out = await packageAll();
  const version = manifestVersion(productVersion());
  assert.ok(out.chromium.endsWith(packageNames().chromium) && out.firefox.endsWith(packageNames().firefox));
  const chromium = manifestIn(out.chromium);
  const firefox = manifestIn(out.firefox);
  assert.equal(chromium.version, version);
  assert.equal(firefox.version, version);
  assert.equal(chromium.key, source.key, 'the key fixes the Chromium id ighcbjpaekabdiphmkfgookimbgnoogf (IDENTITY.md)');
  assert.equal(chromium.background.service_worker, 'background.js');
  assert.equal(firefox.key, undefined);
  assert.equal(firefox.browser_specific_settings.gecko.id, 'magnetar@magnetar.dev');
  assert.deepEqual(firefox.background.scripts, ['background.js']);
});
