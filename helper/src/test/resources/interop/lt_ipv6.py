#!/usr/bin/python3
"""Seed to or download from one peer with libtorrent over IPv6 loopback (::1), for interop tests.

Usage: /usr/bin/python3 lt_ipv6.py seed TORRENT SAVE_DIR
       /usr/bin/python3 lt_ipv6.py download TORRENT SAVE_DIR [::1]:PORT
  seed      SAVE_DIR already holds the complete data; listens on [::1]:any and prints "READY <port>"
            once the data is verified, then seeds until stdin is closed
  download  dials the given peer (the only one) and downloads into SAVE_DIR; prints "DONE" once every
            piece is verified and the files are closed

Both print "PEER <ip>" once for the first peer whose handshake is through: the address libtorrent saw,
so a test can tell that the bytes went over IPv6. Exit 0 on success, 2 (message on stderr) on a torrent
error or after 300 s.

Settings as lt_loopback.py (no DHT, LSD, UPnP, NAT-PMP; TCP only), but listening on [::1] only.
"""
import sys
import threading
import time

import libtorrent as lt

import lt_loopback


def report_peer(handle):
    for peer in handle.get_peer_info():
        if not peer.flags & (lt.peer_info.handshake | lt.peer_info.connecting):
            print('PEER %s' % peer.ip[0], flush=True)
            return True
    return False


def seed(session, handle):
    deadline = time.monotonic() + 60
    while not (handle.status().is_seeding and session.is_listening() and session.listen_port() != 0):
        if handle.status().errc.value() != 0 or time.monotonic() > deadline:
            sys.stderr.write('data did not verify or session did not listen\n')
            return 2
        time.sleep(0.05)  # polling libtorrent's status; there is no blocking call for "seeding"
    print('READY %d' % session.listen_port(), flush=True)
    done = threading.Event()

    def wait_for_stdin_eof():
        sys.stdin.read()
        done.set()

    threading.Thread(target=wait_for_stdin_eof, daemon=True).start()
    reported = False
    while not done.wait(0.05):
        if not reported:
            reported = report_peer(handle)
    return 0


def download(session, handle, peer):
    host, port = peer.rsplit(':', 1)
    endpoint = (host.strip('[]'), int(port))
    handle.connect_peer(endpoint)
    reported = False
    deadline = time.monotonic() + 300
    last_connect = time.monotonic()
    while not handle.status().is_seeding:
        status = handle.status()
        if status.errc.value() != 0 or time.monotonic() > deadline:
            sys.stderr.write('failed or not finished after 300 s (%.1f %%)\n' % (status.progress * 100))
            return 2
        if status.num_peers == 0 and time.monotonic() - last_connect > 2:
            handle.connect_peer(endpoint)  # the first attempt may race the seeder's start
            last_connect = time.monotonic()
        if not reported:
            reported = report_peer(handle)
        time.sleep(0.02)  # polling libtorrent's status; there is no blocking call for "finished"
    if not reported:
        reported = report_peer(handle)
    session.remove_torrent(handle)
    removed_by = time.monotonic() + 30
    while time.monotonic() < removed_by:
        if any(isinstance(a, lt.torrent_removed_alert) for a in session.pop_alerts()):
            break
        session.wait_for_alert(500)
    print('DONE', flush=True)
    return 0


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ('seed', 'download') or (sys.argv[1] == 'download') != (len(sys.argv) == 5):
        sys.stderr.write(__doc__)
        return 64
    session = lt_loopback.session(0, listen_interfaces='[::1]:0')
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(sys.argv[2])
    params.save_path = sys.argv[3]
    handle = session.add_torrent(params)
    return seed(session, handle) if sys.argv[1] == 'seed' else download(session, handle, sys.argv[4])


if __name__ == '__main__':
    sys.exit(main())
