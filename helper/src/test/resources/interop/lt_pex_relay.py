#!/usr/bin/python3
"""Two libtorrent sessions on 127.0.0.1 for the BEP 11 PEX flags test: B seeds and accepts uTP only;
A dials B over uTP and downloads everything, and both keep that connection although both now seed
(close_redundant_connections off), so A's ut_pex messages list B as a seed reached over uTP. The test's
peer then connects to A over TCP and reads A's PEX. (libtorrent exempts local peers from rate limits,
so A cannot be held back as a downloader.)

Usage: /usr/bin/python3 lt_pex_relay.py TORRENT SEED_DIR EMPTY_DIR
Prints "READY <A's port> <B's port>" once A has the data and is still connected to B, then runs until
stdin is closed. Exits 2 if that does not happen within 300 s. No DHT, LSD, UPnP or NAT-PMP.
"""
import sys
import time

import libtorrent as lt

import lt_loopback


def add(session, torrent_path, save_dir):
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent_path)
    params.save_path = save_dir
    return session.add_torrent(params)


def main():
    if len(sys.argv) != 4:
        sys.stderr.write(__doc__)
        return 64
    torrent_path, seed_dir, empty_dir = sys.argv[1:4]
    b = lt_loopback.session(0, enable_incoming_utp=True, enable_incoming_tcp=False, close_redundant_connections=False)
    a = lt_loopback.session(0, enable_outgoing_utp=True, enable_outgoing_tcp=False, enable_incoming_tcp=True,
                            close_redundant_connections=False)
    seed = add(b, torrent_path, seed_dir)
    downloader = add(a, torrent_path, empty_dir)
    deadline = time.monotonic() + 300
    while not (seed.status().is_seeding and b.is_listening() and b.listen_port() != 0 and a.listen_port() != 0):
        if time.monotonic() > deadline:
            sys.stderr.write('the seed did not verify its data or a session did not listen\n')
            return 2
        time.sleep(0.05)
    downloader.connect_peer(('127.0.0.1', b.listen_port()))
    while not (downloader.status().is_seeding and any(
            p.flags & lt.peer_info.seed and not p.flags & (lt.peer_info.handshake | lt.peer_info.connecting)
            for p in downloader.get_peer_info())):
        if time.monotonic() > deadline:
            sys.stderr.write('A did not download from the seed B, or lost its connection to it\n')
            return 2
        time.sleep(0.05)
    print('READY %d %d' % (a.listen_port(), b.listen_port()), flush=True)
    sys.stdin.read()
    return 0


if __name__ == '__main__':
    sys.exit(main())
