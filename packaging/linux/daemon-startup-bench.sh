#!/usr/bin/env bash
# The installed daemon's start-up beside the jar's (a benchmark: prints figures, asserts nothing). Root: the .deb is
# installed in a throwaway overlay namespace, as in deb-e2e.sh (its postinst makes the daemon's class archive), then
# bench/api --startup-only alternates, round by round, the daemon `java -jar magnetar.jar native-host` starts (A: system
# Java, the per-user archive its training makes) with the one the installed /opt/magnetar/bin/magnetar-native-host starts
# (B: the jlink runtime, the archive postinst made). Needs the jar and the .deb (mvn -B -Prelease -DskipTests package).
# DEB=other.deb measures another build's package against this jar. Usage: packaging/linux/daemon-startup-bench.sh [bench/api options, e.g. --startup-rounds 8 --rt-priority]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
jar=$repo/helper/target/magnetar.jar
deb=$(realpath "${DEB:-$(ls -t packaging/target/release/magnetar_*.deb | head -1)}")
scratch=$(mktemp -d /tmp/magnetar-daemon-startup.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
unshare --mount --propagation private -- bash -c '
  repo=$1
  source "$repo/packaging/linux/overlay-root.sh"; overlay_root "$2/overlay"
  umount /usr/lib/jvm   # the jar side (A) runs on the system Java; the installed side only ever runs its own runtime
  dpkg -i "$3" >/dev/null
  ls -l /opt/magnetar/lib/app/daemon.jsa
  shift 3
  MAGNETAR_PEER_BIND=127.0.0.1 "$repo/bench/api" --jar "$repo/helper/target/magnetar.jar" --startup-only --vs-host /opt/magnetar/bin/magnetar-native-host "$@"
' _ "$repo" "$scratch" "$deb" "$@"
