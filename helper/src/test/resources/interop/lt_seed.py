#!/usr/bin/python3
"""Seed one torrent with libtorrent on 127.0.0.1 for interop tests.

Usage: /usr/bin/python3 lt_seed.py TORRENT SAVE_DIR LISTEN_PORT [UPLOAD_LIMIT [ENCRYPTION]]
  TORRENT       path of the .torrent file
  SAVE_DIR      directory that already holds the torrent's complete data
  LISTEN_PORT   TCP port on 127.0.0.1, or 0 for any free one
  UPLOAD_LIMIT  bytes per second this torrent uploads at most (default: unlimited); lets a test watch a
                download in progress instead of one that finishes within a blink on loopback; 0 = none
  ENCRYPTION    "rc4" or "plaintext": accept only MSE-encrypted connections, with an RC4-encrypted or
                a plain-text stream after the handshake (default: libtorrent's, which accepts plain ones)

Prints "READY <port>" on stdout once the data is verified and the session listens, then keeps seeding
until stdin is closed (so the parent test controls its lifetime), and exits 0. A line "unlimited" on stdin
lifts UPLOAD_LIMIT, so a test that needed a slow download only for its first part can finish fast. Exits 2 with a message on
stderr if the data does not verify or the session cannot listen within 60 s (LT_SEED_READY_SECONDS overrides it:
a benchmark checking a GiB on a loaded machine needs longer).

Settings follow /work/shared/TESTING.md: loopback only, no DHT/LSD/UPnP/NAT-PMP, TCP only (uTP crawls
on loopback), several connections per IP allowed (all test peers share 127.0.0.1).
"""
import os
import sys
import threading
import time

import libtorrent as lt

import lt_loopback


ENCRYPTION = {
    'rc4': {'in_enc_policy': int(lt.enc_policy.forced), 'allowed_enc_level': int(lt.enc_level.rc4)},
    'plaintext': {'in_enc_policy': int(lt.enc_policy.forced), 'allowed_enc_level': int(lt.enc_level.plaintext)},
}


def main():
    if len(sys.argv) not in (4, 5, 6) or (len(sys.argv) == 6 and sys.argv[5] not in ENCRYPTION):
        sys.stderr.write(__doc__)
        return 64
    torrent_path, save_dir, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    upload_limit = int(sys.argv[4]) if len(sys.argv) >= 5 else 0
    session = lt_loopback.session(port, **(ENCRYPTION[sys.argv[5]] if len(sys.argv) == 6 else {}))
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent_path)
    params.save_path = save_dir
    handle = session.add_torrent(params)
    if upload_limit > 0:
        # A per-torrent limit: the session-wide one would not apply, since libtorrent puts peers on the
        # local network (127.0.0.1 here) in an unlimited peer class.
        handle.set_upload_limit(upload_limit)

    deadline = time.monotonic() + float(os.environ.get('LT_SEED_READY_SECONDS', '60'))
    while True:
        status = handle.status()
        if status.is_seeding and session.is_listening() and session.listen_port() != 0:
            break
        if status.errc.value() != 0:
            sys.stderr.write('torrent error: %s\n' % status.errc.message())
            return 2
        if status.state == lt.torrent_status.downloading or time.monotonic() > deadline:
            sys.stderr.write('data did not verify or session did not listen (state %s)\n' % status.state)
            return 2
        time.sleep(0.05)  # polling libtorrent's status; there is no blocking call for "seeding"
    print('READY %d' % session.listen_port(), flush=True)

    done = threading.Event()

    def follow_stdin():
        for line in sys.stdin:
            if line.strip() == 'unlimited':
                handle.set_upload_limit(-1)
        done.set()

    threading.Thread(target=follow_stdin, daemon=True).start()
    done.wait()
    return 0


if __name__ == '__main__':
    sys.exit(main())
