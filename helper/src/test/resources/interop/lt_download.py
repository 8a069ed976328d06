#!/usr/bin/python3
"""Download one torrent with libtorrent from one given peer on 127.0.0.1, for interop tests.

Usage: /usr/bin/python3 lt_download.py TORRENT SAVE_DIR PEER_HOST:PEER_PORT [ENCRYPTION]
  TORRENT     path of the .torrent file
  SAVE_DIR    directory to download into
  PEER        the seeder to connect to (the only peer: no tracker, DHT, LSD, UPnP or NAT-PMP)
  ENCRYPTION  libtorrent's default (MSE offered, plain text allowed) if absent; "rc4" or "plaintext":
              MSE handshake forced, with an RC4-encrypted or a plain-text stream after it

Prints "PROGRESS <percent> <bytes/s>" lines on stdout about twice a second, "ENCRYPTION <rc4|plaintext|
none>" for the connection's stream once its handshake is through, and "DONE" once every piece is verified and
the files are closed; then exits 0. Exits 2 with a message on stderr on a
torrent error or after 300 s without finishing.

Settings follow /work/shared/TESTING.md: loopback only, TCP only (uTP crawls on loopback).
"""
import sys
import time

import libtorrent as lt

import lt_loopback


ENCRYPTION = {
    'rc4': {'out_enc_policy': int(lt.enc_policy.forced), 'allowed_enc_level': int(lt.enc_level.rc4)},
    'plaintext': {'out_enc_policy': int(lt.enc_policy.forced), 'allowed_enc_level': int(lt.enc_level.plaintext)},
}


def report_encryption(handle):
    """Prints how the seeder's connection is encrypted once its handshake is through; whether it did."""
    for peer in handle.get_peer_info():
        if not peer.flags & (lt.peer_info.handshake | lt.peer_info.connecting):
            if peer.flags & lt.peer_info.rc4_encrypted:
                kind = 'rc4'
            elif peer.flags & lt.peer_info.plaintext_encrypted:
                kind = 'plaintext'
            else:
                kind = 'none'
            print('ENCRYPTION %s' % kind, flush=True)
            return True
    return False


def main():
    if len(sys.argv) not in (4, 5) or (len(sys.argv) == 5 and sys.argv[4] not in ENCRYPTION):
        sys.stderr.write(__doc__)
        return 64
    torrent_path, save_dir, peer = sys.argv[1], sys.argv[2], sys.argv[3]
    host, port = peer.rsplit(':', 1)
    session = lt_loopback.session(0, **(ENCRYPTION[sys.argv[4]] if len(sys.argv) == 5 else {}))
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent_path)
    params.save_path = save_dir
    handle = session.add_torrent(params)
    handle.connect_peer((host, int(port)))

    reported = False
    deadline = time.monotonic() + 300
    last_connect = time.monotonic()
    while True:
        status = handle.status()
        if status.errc.value() != 0:
            sys.stderr.write('torrent error: %s\n' % status.errc.message())
            return 2
        if status.is_seeding:
            break
        if time.monotonic() > deadline:
            sys.stderr.write('not finished after 300 s (%.1f %%)\n' % (status.progress * 100))
            return 2
        if status.num_peers == 0 and time.monotonic() - last_connect > 2:
            handle.connect_peer((host, int(port)))  # the first attempt may race the seeder's start
            last_connect = time.monotonic()
        if not reported:
            reported = report_encryption(handle)
        print('PROGRESS %.1f %d' % (status.progress * 100, status.download_payload_rate), flush=True)
        # Polling libtorrent's status for progress output (there is no blocking call); often until the
        # connection's encryption is known: a loopback download can end within half a second.
        time.sleep(0.5 if reported else 0.02)

    # Close the files before saying DONE, so the test reads what libtorrent wrote.
    lt_loopback.close_torrent(session, handle)
    del session
    print('DONE', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
