#!/usr/bin/python3
"""libtorrent downloading one torrent from the peers a tracker names, dialling out over one transport
and accepting nothing: every byte comes over a connection it opened itself. For the port-mapping test,
where it runs outside a NAT and must reach the seeder through the router's mapped port.

Usage: /usr/bin/python3 lt_tracker_download.py TORRENT SAVE_DIR LISTEN_IP TRACKER_URL TRANSPORT
  TRANSPORT  "tcp" or "utp": the one transport libtorrent dials with

Prints "DIAL <ip> <port> <alert text>" for each connection it opens (libtorrent's peer_connect_alert),
then "DONE" when every piece is verified and the files are closed, and exits 0 (2 on a torrent error,
3 after 300 s). No DHT, LSD, UPnP or NAT-PMP.
"""
import sys
import time

import libtorrent as lt

import lt_loopback


def report(session):
    """Prints each dial and logs every alert; returns the alerts."""
    alerts = session.pop_alerts()
    log_alerts(alerts)
    return alerts


def log_alerts(alerts):
    for alert in alerts:
        if isinstance(alert, lt.peer_connect_alert):
            print('DIAL %s %d %s' % (alert.endpoint[0], alert.endpoint[1], alert.message()), flush=True)
        sys.stderr.write('alert: %s\n' % alert.message())


def main():
    if len(sys.argv) != 6 or sys.argv[5] not in ('tcp', 'utp'):
        sys.stderr.write(__doc__)
        return 64
    torrent_path, save_dir, listen_ip, tracker, transport = sys.argv[1:6]
    utp = transport == 'utp'
    session = lt_loopback.session(0, listen_interfaces='%s:0' % listen_ip,
                                  enable_outgoing_utp=utp, enable_outgoing_tcp=not utp,
                                  enable_incoming_utp=False, enable_incoming_tcp=False,
                                  alert_mask=lt.alert.category_t.error_notification
                                  | lt.alert.category_t.tracker_notification
                                  | lt.alert.category_t.connect_notification)
    params = lt.add_torrent_params()
    params.ti = lt.torrent_info(torrent_path)
    params.save_path = save_dir
    params.trackers = [tracker]
    handle = session.add_torrent(params)
    deadline = time.monotonic() + 300
    while True:
        report(session)
        status = handle.status()
        if status.errc.value() != 0:
            sys.stderr.write('torrent error: %s\n' % status.errc.message())
            return 2
        if status.is_seeding:
            break
        if time.monotonic() > deadline:
            sys.stderr.write('timed out at %.1f %%\n' % (status.progress * 100))
            return 3
        session.wait_for_alert(100)
    # Close the files before saying DONE, so the test reads what libtorrent wrote.
    lt_loopback.close_torrent(session, handle, seen=log_alerts)
    print('DONE', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
