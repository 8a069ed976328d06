#!/usr/bin/env bash
# Start-up of the packaged helper beside the jar (a benchmark: prints figures, asserts nothing). Root:
# the .deb is installed in a throwaway overlay namespace, as in deb-e2e.sh. Needs the jar and the .deb
# (mvn -B -Prelease -DskipTests package). ROUNDS=N (default 5).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
rounds=${ROUNDS:-5}
jar=$repo/helper/target/magnetar.jar
deb=$(realpath "$(ls -t packaging/target/release/magnetar_*.deb | head -1)")
scratch=$(mktemp -d /tmp/magnetar-startup.XXXXXX)
trap 'rm -rf "$scratch"' EXIT

echo "== the jar as the per-user installer runs it (system Java $(java -version 2>&1 | head -1 | cut -d'"' -f2), launcher + host class archive)"
java -jar "$jar" install --home "$scratch/home" --prefix "$scratch/app" --browser chromium >/dev/null
packaging/linux/startup-bench.py "$rounds" "$scratch/app/bin/magnetar-native-host" -- java -jar "$jar"

echo "== the .deb (bundled jlink runtime, host class archive from postinst; no system Java)"
unshare --mount --propagation private -- bash -c '
  source "$1/packaging/linux/overlay-root.sh"; overlay_root "$2/overlay"
  dpkg -i "$3" >/dev/null
  "$1/packaging/linux/startup-bench.py" "$4" /opt/magnetar/bin/magnetar-native-host -- /usr/bin/magnetar' _ "$repo" "$scratch" "$deb" "$rounds"
