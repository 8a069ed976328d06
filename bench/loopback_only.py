"""Runs a benchmark inside a network namespace that has only a loopback interface.

Benchmarks talk to 127.0.0.1 only. The daemon they start is the product as a user runs it, DHT
included, and its DHT would otherwise query public bootstrap nodes (and libtorrent sessions their own
defaults). Rather than trusting every script to switch each of those off, `enter()` re-executes the
calling script under `unshare --net` (util-linux; `--map-root-user` when not root, which needs
unprivileged user namespaces) and brings `lo` up there, so nothing can leave the machine.
"""
import fcntl
import os
import socket
import struct
import sys

_MARKER = 'MAGNETAR_BENCH_LOOPBACK_ONLY'
_SIOCGIFFLAGS = 0x8913  # linux/sockios.h
_SIOCSIFFLAGS = 0x8914
_IFF_UP = 0x1           # linux/if.h


def enter():
    """Re-executes this script in a loopback-only network namespace; returns once inside one."""
    if os.environ.get(_MARKER) == '1':
        _bring_loopback_up()
        return
    command = ['unshare', '--net']
    if os.geteuid() != 0:
        command.append('--map-root-user')
    command += ['--', sys.executable, os.path.abspath(sys.argv[0])] + sys.argv[1:]
    env = dict(os.environ, **{_MARKER: '1'})
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execvpe('unshare', command, env)
    except OSError as e:
        sys.exit(f'cannot start a loopback-only network namespace ({e}); benchmarks never talk to '
                 'a public address: run as root, or enable unprivileged user namespaces '
                 '(sysctl kernel.unprivileged_userns_clone=1)')


def _bring_loopback_up():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        request = struct.pack('16sH', b'lo', 0)
        flags = struct.unpack('16sH', fcntl.ioctl(s, _SIOCGIFFLAGS, request)[:18])[1]
        if not flags & _IFF_UP:
            fcntl.ioctl(s, _SIOCSIFFLAGS, struct.pack('16sH', b'lo', flags | _IFF_UP))
