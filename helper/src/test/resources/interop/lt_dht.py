#!/usr/bin/python3
"""Runs libtorrent DHT sessions on 127.0.0.1 (or ::1) for interop tests, driven over stdin/stdout.

Usage: lt_dht.py PORTS [BOOTSTRAP] [MAX_SECONDS] [HOST]
  PORTS      comma-separated UDP/TCP ports, one session each (0 = any free port)
  BOOTSTRAP  comma-separated HOST:PORT DHT nodes every session adds (optional, "-" for none);
             an IPv6 one is written [::1]:PORT
  MAX_SECONDS the process exits by itself after this long (default 300): never outlives a test
  HOST       the loopback address the sessions listen on: 127.0.0.1 (default) or ::1 (the IPv6 DHT, BEP 32)

Prints "READY p1,p2,..." once all sessions listen. Commands, one per line on stdin:
  announce <infohash-hex> [session]          one session (default 0) announces the info-hash on its
                                             listen port; prints "ANNOUNCING <ih> <port>"
  get_peers <infohash-hex> [session]         dht_get_peers; replies print "PEERS <ih> <session> ip:port,..."
  seed <torrent-file> <save-dir> [session]   one session seeds the torrent (data already in save-dir);
                                             prints "SEEDING <ih> <port>" once verified, then announces
                                             it into the DHT (libtorrent does so by itself as well)
  add_node <host:port>                       add_dht_node on every session
  nodes                                      prints "NODES n0,n1,..." (routing-table sizes)
  quit
Also prints "INCOMING_ANNOUNCE <session> <ih> <ip> <port>" when a node announces to one of ours.
The private-DHT settings follow TESTING.md: libtorrent's one-IP anti-abuse rules are off so that many
nodes on 127.0.0.1 can know each other; nothing is ever bootstrapped from a public router.
"""
import queue
import shutil
import sys
import tempfile
import threading
import time

import libtorrent as lt


def out(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


HOST = "127.0.0.1"


def check_loopback(node):
    host, _, port = node.rpartition(":")
    host = host.strip("[]")
    if host not in ("127.0.0.1", "::1") or not port.isdigit():
        raise SystemExit("only 127.0.0.1:PORT or [::1]:PORT nodes are allowed, got " + node)
    return host, int(port)


def make_session(port, bootstrap):
    settings = {
        "listen_interfaces": ("[::1]:%d" if HOST == "::1" else "127.0.0.1:%d") % port,
        "enable_dht": True,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_enforce_node_id": False,
        "dht_prefer_verified_node_ids": False,
        # Every node of the test network shares 127.0.0.1: libtorrent's per-IP flood guard (5 packets/s,
        # then a 5-minute block) and its 8 KB/s DHT upload cap would throttle the whole network.
        "dht_block_ratelimit": 100000,
        "dht_upload_rate_limit": 10000000,
        "dht_bootstrap_nodes": ",".join(bootstrap),
        # Peers (our engine included) share 127.0.0.1; TCP only, as uTP crawls on loopback (TESTING.md).
        "allow_multiple_connections_per_ip": True,
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
        "alert_mask": lt.alert_category.dht | lt.alert_category.dht_operation
        | lt.alert_category.error | lt.alert_category.status,
    }
    return lt.session(settings)


def main():
    ports = [int(p) for p in sys.argv[1].split(",")]
    bootstrap = []
    if len(sys.argv) > 2 and sys.argv[2] not in ("", "-"):
        bootstrap = sys.argv[2].split(",")
    for node in bootstrap:
        check_loopback(node)
    max_seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 300.0
    global HOST
    HOST = sys.argv[4] if len(sys.argv) > 4 else "127.0.0.1"
    if HOST not in ("127.0.0.1", "::1"):
        raise SystemExit("HOST must be 127.0.0.1 or ::1, got " + HOST)
    deadline = time.monotonic() + max_seconds

    save_dir = tempfile.mkdtemp(prefix="lt_dht_")
    sessions = [make_session(p, bootstrap) for p in ports]
    while any(s.listen_port() == 0 for s in sessions):
        if time.monotonic() > deadline:
            raise SystemExit("sessions did not start listening")
        time.sleep(0.05)
    actual = [s.listen_port() for s in sessions]
    for s in sessions:
        for node in bootstrap:
            s.add_dht_node(check_loopback(node))
        for p in actual:
            if p != s.listen_port():
                s.add_dht_node((HOST, p))

    commands = queue.Queue()

    def read_stdin():
        for line in sys.stdin:
            commands.put(line.strip())
        commands.put("quit")  # the test process went away: do not linger

    threading.Thread(target=read_stdin, daemon=True).start()
    out("READY " + ",".join(str(p) for p in actual))

    pending_stats = False
    seeding = []  # (session index, handle) waiting to be verified
    while time.monotonic() < deadline:
        try:
            cmd = commands.get(timeout=0.05)
        except queue.Empty:
            cmd = None
        if cmd:
            parts = cmd.split()
            if parts[0] == "quit":
                break
            elif parts[0] == "announce":
                # session.dht_announce's flags type is not exposed by the 2.0.8 Python bindings, so the
                # session announces the way it does for any torrent: add it by info-hash and force a
                # DHT announce. libtorrent announces its listen port.
                idx = int(parts[2]) if len(parts) > 2 else 0
                atp = lt.add_torrent_params()
                atp.info_hashes = lt.info_hash_t(lt.sha1_hash(bytes.fromhex(parts[1])))
                atp.save_path = save_dir
                handle = sessions[idx].add_torrent(atp)
                handle.force_dht_announce()
                out("ANNOUNCING %s %d" % (parts[1], sessions[idx].listen_port()))
            elif parts[0] == "get_peers":
                idx = int(parts[2]) if len(parts) > 2 else 0
                sessions[idx].dht_get_peers(lt.sha1_hash(bytes.fromhex(parts[1])))
            elif parts[0] == "seed":
                idx = int(parts[3]) if len(parts) > 3 else 0
                atp = lt.add_torrent_params()
                atp.ti = lt.torrent_info(parts[1])
                atp.save_path = parts[2]
                seeding.append((idx, sessions[idx].add_torrent(atp)))
            elif parts[0] == "add_node":
                host, port = check_loopback(parts[1])
                for s in sessions:
                    s.add_dht_node((host, port))
                out("ADDED " + parts[1])
            elif parts[0] == "nodes":
                for s in sessions:
                    s.post_dht_stats()
                pending_stats = [None] * len(sessions)
            else:
                out("UNKNOWN " + cmd)
        for entry in list(seeding):
            idx, handle = entry
            if handle.status().is_seeding:
                seeding.remove(entry)
                handle.force_dht_announce()
                out("SEEDING %s %d" % (str(handle.info_hash()), sessions[idx].listen_port()))
        for idx, s in enumerate(sessions):
            for a in s.pop_alerts():
                if isinstance(a, lt.dht_get_peers_reply_alert):
                    peers = ",".join("%s:%d" % (ip, port) for ip, port in a.peers())
                    out("PEERS %s %d %s" % (str(a.info_hash), idx, peers))
                elif isinstance(a, lt.dht_announce_alert):
                    out("INCOMING_ANNOUNCE %d %s %s %d" % (idx, str(a.info_hash), a.ip, a.port))
                elif isinstance(a, lt.dht_stats_alert) and pending_stats:
                    pending_stats[idx] = sum(b["num_nodes"] for b in a.routing_table)
                    if all(n is not None for n in pending_stats):
                        out("NODES " + ",".join(str(n) for n in pending_stats))
                        pending_stats = False
    out("BYE")
    shutil.rmtree(save_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
