# Sourced inside a private mount namespace (unshare --mount --propagation private): makes /etc, /opt,
# /usr and /var copy-on-write overlays of the real ones, so that dpkg and apt run for real without
# changing the machine, and hides /usr/lib/jvm so that no system Java is reachable.
#   $scratch/before/D  the machine's D as it was (read-only)
#   $scratch/upper/D   everything written to D since
overlay_root() {
  local scratch=$1 d
  for d in etc opt usr var; do
    mkdir -p "$scratch/before/$d" "$scratch/upper/$d" "$scratch/work/$d"
    mount --bind "/$d" "$scratch/before/$d"
    mount -o remount,bind,ro "$scratch/before/$d"
    mount -t overlay overlay -o "lowerdir=$scratch/before/$d,upperdir=$scratch/upper/$d,workdir=$scratch/work/$d" "/$d"
  done
  mount -t tmpfs -o ro,mode=755 none /usr/lib/jvm
  unset JAVA_HOME
}
