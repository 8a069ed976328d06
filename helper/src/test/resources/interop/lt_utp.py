#!/usr/bin/python3
"""libtorrent speaking uTP (BEP 29) on 127.0.0.1, for the uTP interop tests.

Usage: /usr/bin/python3 lt_utp.py seed TORRENT DATA_DIR TRANSPORT
       /usr/bin/python3 lt_utp.py download TORRENT SAVE_DIR TRANSPORT HOST:PORT
  TRANSPORT  "utp-only": TCP off in both directions, so every byte crosses uTP;
             "tcp-only": uTP off in both directions (a peer that never answers a uTP SYN);
             "default": libtorrent's own choice (it dials uTP first and falls back to TCP)

seed: prints "READY <port>" once the data is verified and the session listens, then seeds until
stdin is closed; a line "stats" on stdin prints "STATS name=value ..." (libtorrent's uTP counters
for the whole session: packets out, fast retransmits, resends, timeouts, delay samples above and below
target), which tells how its sending side fared with the downloader. download: connects to HOST:PORT, prints "DONE uTP=<bytes> TCP=<bytes>" (the payload
each transport brought, sampled every 50 ms, so a little short) when the torrent is complete, and
exits 0 (2 on a torrent error, 3 after 300 s); once a second it writes the progress and its peers to
stderr. Loopback only, no DHT/LSD/UPnP/NAT-PMP (shared/TESTING.md).
"""
import sys
import threading
import time

import libtorrent as lt

import lt_loopback


def transport_settings(name):
    if name == 'utp-only':
        return {'enable_outgoing_utp': True, 'enable_incoming_utp': True,
                'enable_outgoing_tcp': False, 'enable_incoming_tcp': False}
    if name == 'tcp-only':
        return {'enable_outgoing_utp': False, 'enable_incoming_utp': False,
                'enable_outgoing_tcp': True, 'enable_incoming_tcp': True}
    if name == 'default':
        return {'enable_outgoing_utp': True, 'enable_incoming_utp': True,
                'enable_outgoing_tcp': True, 'enable_incoming_tcp': True}
    raise SystemExit('unknown transport %r' % name)


# libtorrent's peer_info::utp_socket flag (bit 17), which the Python binding does not name.
UTP_SOCKET = 1 << 17


def transport_of(peer):
    return 'uTP' if peer.flags & UTP_SOCKET else 'TCP'


def count_carried(handle, carried):
    """Payload bytes each connection brought, by transport (a closed connection keeps its last count)."""
    for p in handle.get_peer_info():
        key = (p.ip, p.local_endpoint, transport_of(p))
        carried[key] = max(carried.get(key, 0), p.total_download)


def transport_total(carried, transport):
    return sum(n for (_, _, t), n in carried.items() if t == transport)


def report(handle):
    """One line to stderr per second: the test prints it when the download does not finish."""
    status = handle.status()
    peers = ', '.join('%s:%d %s %d B/s down, %d B/s up' % (p.ip[0], p.ip[1],
                                           transport_of(p),
                                           p.down_speed, p.up_speed)
                      for p in handle.get_peer_info())
    sys.stderr.write('%.1f %% [%s]\n' % (status.progress * 100, peers))
    sys.stderr.flush()


def utp_counters(session):
    """libtorrent's session counters whose name starts with utp. (utp_stream.cpp counts them)."""
    session.post_session_stats()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        session.wait_for_alert(500)
        for alert in session.pop_alerts():
            if isinstance(alert, lt.session_stats_alert):
                return {k[len('utp.'):]: v for k, v in alert.values.items() if k.startswith('utp.utp_')}
    return {}


class RequestSampler:
    """Every 20 ms, whether a connected peer had requests waiting at this seeder: a seeder with none has nothing
    to send, so a download that starves it of requests is limited by its requests, not by uTP."""

    def __init__(self, handle):
        self.samples = self.starved = self.queued = 0
        # Every uTP endpoint this seeder had a connection with: a downloader behind a relay that the seeder
        # also reached directly (its listen port from BEP 10 'p') would be served around the relay.
        self.endpoints = set()
        self.handle = handle
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def stop(self):
        """Before the session goes: a thread still inside libtorrent then would abort the process."""
        self.stopped.set()
        self.thread.join()

    def run(self):
        while not self.stopped.wait(0.02):
            try:
                peers = self.handle.get_peer_info()
            except RuntimeError:
                return  # the session is closing
            for p in peers:
                if p.flags & UTP_SOCKET:
                    self.endpoints.add(tuple(p.ip))
                if p.flags & UTP_SOCKET and p.flags & lt.peer_info.remote_interested:
                    self.samples += 1
                    self.queued += p.upload_queue_length
                    # Nothing asked for and nothing left to send: idle for lack of requests.
                    if p.upload_queue_length == 0 and p.used_send_buffer == 0:
                        self.starved += 1

    def counters(self):
        return {'peer_samples': self.samples, 'peer_no_requests': self.starved, 'peer_requests_queued': self.queued,
                'peer_endpoints': len(self.endpoints)}


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ('seed', 'download'):
        sys.stderr.write(__doc__)
        return 64
    mode, torrent_path, save_dir, transport = sys.argv[1:5]
    session = lt_loopback.session(0, alert_mask=lt.alert.category_t.error_notification
                                   | lt.alert.category_t.peer_notification
                                   | lt.alert.category_t.connect_notification,
                                   **transport_settings(transport))
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
        sampler = RequestSampler(handle)
        for line in sys.stdin:
            if line.strip() == 'stats':
                counters = utp_counters(session)
                counters.update(sampler.counters())
                print('STATS ' + ' '.join('%s=%d' % (k, v) for k, v in sorted(counters.items())), flush=True)
        sampler.stop()
        return 0
    host, port = sys.argv[5].rsplit(':', 1)
    handle.connect_peer((host, int(port)))
    next_report = 0
    carried = {}
    while True:
        for alert in session.pop_alerts():
            sys.stderr.write('alert: %s\n' % alert.message())
        count_carried(handle, carried)
        if time.monotonic() >= next_report:
            next_report = time.monotonic() + 1
            report(handle)
        status = handle.status()
        if status.errc.value() != 0:
            sys.stderr.write('torrent error: %s\n' % status.errc.message())
            return 2
        if status.is_seeding:
            count_carried(handle, carried)
            print('DONE uTP=%d TCP=%d' % (transport_total(carried, 'uTP'), transport_total(carried, 'TCP')), flush=True)
            return 0
        if time.monotonic() > deadline:
            sys.stderr.write('timed out at %.1f %%\n' % (status.progress * 100))
            return 3
        time.sleep(0.05)


if __name__ == '__main__':
    sys.exit(main())
