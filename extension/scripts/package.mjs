// `npm run package`: the two store-style archives, built from dist/ by web-ext (Mozilla's own
// packager, already a dev dependency):
//   dist/packages/magnetar-chromium-VERSION.zip  the Chromium build with its "key" (fixed id, IDENTITY.md)
//   dist/packages/magnetar-firefox-VERSION.xpi   the Firefox build with its gecko id
// VERSION is the manifest version, which comes from the root pom.xml (scripts/build.mjs).
import { cmd } from 'web-ext';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { buildAll, manifestVersion, productVersion } from './build.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const PACKAGES_DIR = path.join(root, 'dist', 'packages');

export function packageNames(version = manifestVersion(productVersion())) {
  return { chromium: `magnetar-chromium-${version}.zip`, firefox: `magnetar-firefox-${version}.xpi` };
}

export async function packageAll() {
  const dirs = buildAll();
  const names = packageNames();
  const out = {};
  for (const variant of ['chromium', 'firefox']) {
    const result = await cmd.build(
      { sourceDir: dirs[variant], artifactsDir: PACKAGES_DIR, filename: names[variant], overwriteDest: true },
      { showReadyMessage: false },
    );
    out[variant] = result.extensionPath;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await packageAll();
  console.log(out.chromium);
  console.log(out.firefox);
}
