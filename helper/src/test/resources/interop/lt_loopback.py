"""The libtorrent session every interop script uses, configured as shared/TESTING.md says.

Loopback only; no DHT, LSD, UPnP or NAT-PMP; TCP only (uTP's delay-based congestion control crawls
on loopback); several connections per IP (every test peer is 127.0.0.1). Scripts import this module
from their own folder, which Python puts first on sys.path.
"""
import time

import libtorrent as lt


def session(listen_port=0, **extra_settings):
    """A session listening on 127.0.0.1:listen_port (0 = any free port); extra settings override."""
    settings = {
        'listen_interfaces': '127.0.0.1:%d' % listen_port,
        'enable_dht': False,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'enable_outgoing_utp': False,
        'enable_incoming_utp': False,
        'allow_multiple_connections_per_ip': True,
        'alert_mask': lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
    }
    settings.update(extra_settings)
    return lt.session(settings)


def close_torrent(session, handle, seen=lambda alerts: None):
    """Writes out and closes a finished torrent's files, then removes it: a test that reads the files
    afterwards reads all that libtorrent verified. libtorrent 2.0 hashes a piece from memory and may
    write it after the torrent already reports seeding, and torrent_removed_alert comes before its disk
    jobs are done (a saved file once differed at a piece boundary after it); flush_cache's
    cache_flushed_alert comes once they are. Each step waits at most 30 s. `seen` gets every alert."""
    mask = session.get_settings()['alert_mask']
    session.apply_settings({'alert_mask': mask | lt.alert.category_t.storage_notification})
    steps = ((handle.flush_cache, lt.cache_flushed_alert),
             (lambda: session.remove_torrent(handle), lt.torrent_removed_alert))
    for ask, done in steps:
        ask()
        by = time.monotonic() + 30
        while time.monotonic() < by:
            alerts = session.pop_alerts()
            seen(alerts)
            if any(isinstance(a, done) for a in alerts):
                break
            session.wait_for_alert(500)
