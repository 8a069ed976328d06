#!/usr/bin/env bash
# CI test of the .deb (needs root: dpkg and mount namespaces). Installs the package built by
# `mvn -B -Prelease package` with dpkg -i, runs extension/test/package/ (the packaged extension in
# Chromium, a magnet downloaded to 100 % through the installed helper, no system Java reachable),
# removes it with apt-get remove, and fails if anything of ours is left outside the user's data folder.
#
# Everything happens in a private mount namespace whose /etc, /opt, /usr and /var are overlays of the
# real ones: dpkg, its maintainer scripts and apt run for real, but the machine itself is never
# changed, so the test can run beside other tests (a system-wide host manifest would otherwise be
# seen by every other browser test on the machine), and what the install left behind is exactly what
# the overlays' upper layers hold. /usr/lib/jvm is covered by an empty read-only tmpfs, so no system
# java is reachable. Usage: packaging/linux/deb-e2e.sh [PACKAGE.deb]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

if [ "$(id -u)" != 0 ]; then
  if [ "${CI:-}" = true ]; then echo "deb-e2e: must run as root" >&2; exit 1; fi
  echo "deb-e2e: skipped (needs root for dpkg and mount namespaces)"; exit 0
fi
deb=${1:-$(ls -t packaging/target/release/magnetar_*.deb 2>/dev/null | head -1)}
[ -f "$deb" ] || { echo "deb-e2e: no .deb; build it with: mvn -B -Prelease -DskipTests package" >&2; exit 1; }
deb=$(realpath "$deb")
zip=$(cd extension && node scripts/package.mjs | grep -E '^/.*/magnetar-chromium-[^/]*\.zip$')
mkdir -p /opt   # an overlay needs the folder to exist; /opt is part of every FHS system anyway

scratch=$(mktemp -d /tmp/magnetar-deb-e2e.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
chmod 755 "$scratch"
echo "deb-e2e: $deb in $scratch"
MAGNETAR_DEB="$deb" MAGNETAR_EXTENSION_ZIP="$zip" MAGNETAR_DEB_E2E_ROOT="$scratch/user" REPO="$repo" \
  unshare --mount --propagation private -- bash "$repo/packaging/linux/deb-sandbox.sh" "$scratch"
