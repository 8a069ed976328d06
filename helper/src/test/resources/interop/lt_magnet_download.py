#!/usr/bin/python3
"""Download a torrent by magnet link with libtorrent from one given peer on 127.0.0.1, for interop tests.

Usage: /usr/bin/python3 lt_magnet_download.py MAGNET_URI SAVE_DIR PEER_HOST:PEER_PORT
  MAGNET_URI  magnet:?xt=urn:btih:... or xt=urn:btmh:1220... (BEP 52), no trackers needed
  SAVE_DIR    directory to download into
  PEER        the only peer to connect to (no tracker, DHT, LSD, UPnP or NAT-PMP)

The metadata comes by BEP 9; for a v2 torrent libtorrent then asks the peer for the piece layers with
BEP 52 hash requests. Prints "METADATA" once the metadata is in, "DONE" once every piece is verified,
then exits 0. Exits 2 with a message on stderr on a torrent error or after 300 s.

Settings follow /work/shared/TESTING.md: loopback only, TCP only.
"""
import sys
import time

import libtorrent as lt

import lt_loopback


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 64
    uri, save_dir, peer = sys.argv[1], sys.argv[2], sys.argv[3]
    host, port = peer.rsplit(':', 1)
    session = lt_loopback.session(0)
    params = lt.parse_magnet_uri(uri)
    params.save_path = save_dir
    handle = session.add_torrent(params)
    handle.connect_peer((host, int(port)))

    said_metadata = False
    deadline = time.monotonic() + 300
    last_connect = time.monotonic()
    while True:
        status = handle.status()
        if status.errc.value() != 0:
            sys.stderr.write('torrent error: %s\n' % status.errc.message())
            return 2
        if status.has_metadata and not said_metadata:
            print('METADATA', flush=True)
            said_metadata = True
        if status.is_seeding:
            break
        if time.monotonic() > deadline:
            sys.stderr.write('not finished after 300 s (%.1f %%, state %s)\n' % (status.progress * 100, status.state))
            return 2
        if status.num_peers == 0 and time.monotonic() - last_connect > 2:
            handle.connect_peer((host, int(port)))  # the first attempt may race the seeder's start
            last_connect = time.monotonic()
        time.sleep(0.1)  # polling libtorrent's status; there is no blocking call for "finished"
    session.remove_torrent(handle)  # closes the files
    print('DONE', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
