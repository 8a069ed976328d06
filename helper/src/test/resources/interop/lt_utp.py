#!/usr/bin/python3
"""libtorrent speaking uTP (BEP 29) on 127.0.0.1, for the uTP interop tests.

Usage: /usr/bin/python3 lt_utp.py seed TORRENT DATA_DIR TRANSPORT
       /usr/bin/python3 lt_utp.py download TORRENT SAVE_DIR TRANSPORT HOST:PORT
  TRANSPORT  "utp-only": TCP off in both directions, so every byte crosses uTP;
             "default": libtorrent's own choice (it dials uTP first and falls back to TCP)

seed: prints "READY <port>" once the data is verified and the session listens, then seeds until
stdin is closed. download: connects to HOST:PORT, prints "DONE" when the torrent is complete, and exits 0 (2 on a torrent error, 3
after 300 s). Loopback only, no DHT/LSD/UPnP/NAT-PMP (shared/TESTING.md).
"""
import sys
import time

import libtorrent as lt

import lt_loopback


def transport_settings(name):
    if name == 'utp-only':
        return {'enable_outgoing_utp': True, 'enable_incoming_utp': True,
                'enable_outgoing_tcp': False, 'enable_incoming_tcp': False}
    if name == 'default':
        return {'enable_outgoing_utp': True, 'enable_incoming_utp': True,
                'enable_outgoing_tcp': True, 'enable_incoming_tcp': True}
    raise SystemExit('unknown transport %r' % name)


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ('seed', 'download'):
        sys.stderr.write(__doc__)
        return 64
    mode, torrent_path, save_dir, transport = sys.argv[1:5]
    session = lt_loopback.session(0, **transport_settings(transport))
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent_path)
    params.save_path = save_dir
    handle = session.add_torrent(params)
    deadline = time.monotonic() + 300
    if mode == 'seed':
        while not (handle.status().is_seeding and session.is_listening() and session.listen_port() != 0):
            if time.monotonic() > deadline:
                sys.stderr.write('data did not verify or session did not listen\n')
                return 2
            time.sleep(0.05)
        print('READY %d' % session.listen_port(), flush=True)
        sys.stdin.read()
        return 0
    host, port = sys.argv[5].rsplit(':', 1)
    handle.connect_peer((host, int(port)))
    while True:
        status = handle.status()
        if status.errc.value() != 0:
            sys.stderr.write('torrent error: %s\n' % status.errc.message())
            return 2
        if status.is_seeding:
            print('DONE', flush=True)
            return 0
        if time.monotonic() > deadline:
            sys.stderr.write('timed out at %.1f %%\n' % (status.progress * 100))
            return 3
        time.sleep(0.05)


if __name__ == '__main__':
    sys.exit(main())
