#!/usr/bin/env bash
# The inside of deb-e2e.sh, run in its private mount namespace. $1: the scratch folder.
set -euo pipefail
scratch=$1
source "$(dirname "$0")/overlay-root.sh"
overlay_root "$scratch"   # from here on: a copy-on-write /etc, /opt, /usr, /var and no system Java

export DEBIAN_FRONTEND=noninteractive
dpkg -i "$MAGNETAR_DEB"

mkdir -p "$MAGNETAR_DEB_E2E_ROOT"
status=0
(cd "$REPO/extension" && MAGNETAR_DEB_INSTALLED=1 MAGNETAR_PEER_BIND=127.0.0.1 node --test --test-concurrency=1 test/package/) || status=$?

apt-get remove -y -q magnetar
if dpkg-query -W magnetar >/dev/null 2>&1; then
  echo "deb-e2e: FAIL: dpkg still knows magnetar after apt-get remove ($(dpkg-query -W -f='${Status}' magnetar))" >&2
  status=1
fi

# What install + remove left behind is what the overlays' upper layers hold, apart from the package
# manager's own records, caches and logs. A whiteout (a deletion) is fine only for a folder that was
# empty before: dpkg removes an empty folder the package listed when no other package lists it.
problems=$(cd "$scratch/upper" && find . -mindepth 1 \
    \( -path ./var/lib/dpkg -o -path ./var/lib/apt -o -path ./var/log -o -path ./var/cache \) -prune -o -print |
  while read -r entry; do
    p=${entry#.}
    before="$scratch/before$p"
    if [ -c "$scratch/upper$p" ]; then
      if [ -d "$before" ] && [ -z "$(ls -A "$before")" ]; then echo "note: dpkg removed the empty folder $p" >&2; else echo "deleted $p"; fi
    elif [ -d "$scratch/upper$p" ]; then
      [ -d "$before" ] || echo "left folder $p"
    else
      echo "left $p"
    fi
  done)
# In each browser user's home: nothing of ours outside the data folder (the browsers' profiles are elsewhere).
strays=""
for home in "$MAGNETAR_DEB_E2E_ROOT/home" "$MAGNETAR_DEB_E2E_ROOT/firefox/firefox-home"; do
  [ -d "$home" ] && strays+=$(cd "$home" && find . -path ./.local/share/magnetar -prune -o -iname '*magnetar*' -print | sed "s|^\.|$home|")
  [ -f "$home/.local/share/magnetar/settings.json" ] || { echo "deb-e2e: FAIL: the user's data folder in $home is gone" >&2; status=1; }
done
if [ -n "$problems$strays" ]; then
  echo "deb-e2e: FAIL: after apt-get remove these remain or were removed:" >&2
  printf '%s\n' "$problems" "$strays" | sed '/^$/d' >&2
  status=1
fi
if ! sha256sum --quiet -c "$MAGNETAR_DEB_E2E_ROOT/keystore.sha256"; then
  echo "deb-e2e: FAIL: the wallet keystore did not survive apt-get remove unchanged" >&2; status=1
fi
[ "$status" = 0 ] && echo "deb-e2e: OK: installed, downloaded to 100 % without system Java, removed without a trace; the wallet stayed"
exit "$status"
