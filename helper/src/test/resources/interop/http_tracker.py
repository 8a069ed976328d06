#!/usr/bin/python3
"""A minimal HTTP BitTorrent tracker (BEP 3, compact answers of BEP 23) for tests that run it inside a
network namespace, where the test's own JVM cannot listen.

Usage: /usr/bin/python3 http_tracker.py BIND_ADDRESS
Prints "READY <port>" once it listens, then one line per announce it hears:
"ANNOUNCE <source ip> <port=> <left=> <event or ->" — what a tracker learns about a peer, including a
NAT's public address as the source and the port the peer asked to be dialled at. Each answer lists every
other peer that announced (the address it came from, the port it named), and "interval" 1800. Runs
until stdin is closed.
"""
import socket
import struct
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PEERS = {}  # (info_hash, ip, port) -> left
LOCK = threading.Lock()


def bencode_answer(peers):
    compact = b''.join(socket.inet_aton(ip) + struct.pack('>H', port) for ip, port in peers)
    return b'd8:intervali1800e5:peers' + str(len(compact)).encode() + b':' + compact + b'e'


class Announce(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True, encoding='latin-1')
        if url.path != '/announce' or 'info_hash' not in query or 'port' not in query:
            self.send_error(400, 'not an announce')
            return
        info_hash = query['info_hash'][0]
        ip = self.client_address[0]
        port = int(query['port'][0])
        left = query.get('left', ['0'])[0]
        event = query.get('event', ['-'])[0] or '-'
        print('ANNOUNCE %s %d %s %s' % (ip, port, left, event), flush=True)
        with LOCK:
            if event == 'stopped':
                PEERS.pop((info_hash, ip, port), None)
            else:
                PEERS[(info_hash, ip, port)] = left
            others = [(i, p) for (h, i, p) in PEERS if h == info_hash and (i, p) != (ip, port)]
        body = bencode_answer(others)
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass  # stdout carries the ANNOUNCE lines the test reads


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 64
    server = ThreadingHTTPServer((sys.argv[1], 0), Announce)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print('READY %d' % server.server_address[1], flush=True)
    sys.stdin.read()
    server.shutdown()
    return 0


if __name__ == '__main__':
    sys.exit(main())
