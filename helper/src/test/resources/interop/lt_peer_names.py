#!/usr/bin/python3
"""Seed one torrent with libtorrent on 127.0.0.1 and report how libtorrent names each peer that connects.

Usage: /usr/bin/python3 lt_peer_names.py TORRENT SAVE_DIR

Prints "READY <port>" once seeding, then for every new peer, once its BEP 10 handshake named it, one line
  PEER <peer id's first 8 characters>\t<name from the peer id (identify_client)>\t<name libtorrent shows (peer_info.client)>
(peer_info.client prefers the BEP 10 extension handshake's "v" over the peer id). Runs until stdin closes.
"""
import sys
import threading
import time

import libtorrent as lt

import lt_loopback


def main():
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        return 64
    session = lt_loopback.session(0)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(sys.argv[1])
    params.save_path = sys.argv[2]
    handle = session.add_torrent(params)
    deadline = time.monotonic() + 60
    while not (handle.status().is_seeding and session.listen_port() != 0):
        if time.monotonic() > deadline:
            sys.stderr.write('data did not verify or session did not listen\n')
            return 2
        time.sleep(0.05)  # polling libtorrent's status; there is no blocking call for "seeding"
    print('READY %d' % session.listen_port(), flush=True)

    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    reported = set()
    while not done.wait(0.05):  # peer_info has no alert for "extension handshake seen": poll it
        for peer in handle.get_peer_info():
            pid = bytes(peer.pid.to_bytes())
            # The binding hands peer_info.client over as bytes (UTF-8), identify_client as str.
            client = peer.client.decode('utf-8', 'replace') if isinstance(peer.client, bytes) else peer.client
            # Until the extension handshake arrives, peer_info.client is the peer id's name: wait for "v".
            if pid in reported or client == lt.identify_client(peer.pid):
                continue
            reported.add(pid)
            print('PEER %s\t%s\t%s' % (pid[:8].decode('ascii', 'replace'), lt.identify_client(peer.pid), client), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
