"""bench/stream's oracle: a loopback HTTP range server that holds the whole file and sends it at the seeder's cap.

Whatever it measures is Chromium and the cap alone: no swarm, no pieces, no verification, every byte on disk from the
start. Its Play → `playing` and seek → `playing` are therefore the floor for any server limited to that rate with this
media — Magnetar's and libtorrent's figures can approach it, not beat it.

Two shapes of the same cap, shared by all of the server's connections as the seeder's per-torrent limit is:
- smooth: a token bucket refilled continuously, at most 64 KiB (33 ms at 2 MB/s) ahead, sent 16 KiB at a time;
- burst: libtorrent's shape — the whole quota of a 500 ms tick (rate × 0.5 s) handed out at the tick, nothing in between
  (bandwidth_manager's quota per tick, session 17's trace: one burst every 500 ms). Ticks run from the server's start,
  whatever the requests do, so where a seek falls between two ticks is left to chance, as with the seeder.

HTTP as the helper's stream URL answers it (RFC 9110): GET and HEAD, `Accept-Ranges: bytes`, a single `bytes=` range
(a-b, a-, -suffix) → 206 with Content-Range, none → 200, an unsatisfiable one → 416 with `Content-Range: bytes */size`,
`Cache-Control: no-store` as the helper sends. No ETag, so Chromium sends no If-Range.
"""
import http.server
import os
import re
import threading
import time

CHUNK = 16 * 1024
BUCKET = 4 * CHUNK  # smooth: 33 ms at 2 MB/s; a fuller bucket than one chunk so a slow write does not lose tokens
TICK_SECONDS = 0.5
CONTENT_TYPES = {'.webm': 'video/webm', '.mp4': 'video/mp4'}


class Cap:
    """Bytes per second shared by every connection: take(n) blocks until some bytes may be sent and returns how many."""

    def __init__(self, rate, shape):
        if shape not in ('smooth', 'burst'):
            raise ValueError('shape is smooth or burst, not %r' % shape)
        self.rate, self.shape = rate, shape
        self.cond = threading.Condition()
        self.start = time.monotonic()
        self.tick = -1
        self.last = self.start
        self.available = 0.0

    def _refill(self, now):
        if self.shape == 'smooth':
            self.available = min(BUCKET, self.available + (now - self.last) * self.rate)
            self.last = now
        else:
            tick = int((now - self.start) / TICK_SECONDS)
            if tick > self.tick:  # a tick's unused quota is not carried over
                self.tick = tick
                self.available = self.rate * TICK_SECONDS

    def _wait_for_more(self, now, want):
        if self.shape == 'smooth':
            return (min(want, CHUNK) - self.available) / self.rate
        return self.start + (self.tick + 1) * TICK_SECONDS - now

    def take(self, want):
        with self.cond:
            while True:
                now = time.monotonic()
                self._refill(now)
                if self.available >= min(want, CHUNK) or (self.shape == 'burst' and self.available >= 1):
                    n = int(min(want, self.available))
                    self.available -= n
                    return n
                self.cond.wait(max(0.0005, self._wait_for_more(now, want)))


def parse_range(header, size):
    """(start, end inclusive) of a single `bytes=` range, None for no (or an unsupported) Range, 'unsatisfiable'."""
    if header is None:
        return None
    m = re.fullmatch(r'\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*', header)
    if not m or (m.group(1) == '' and m.group(2) == ''):
        return None  # RFC 9110 §14.2: a Range the server does not understand is ignored
    if m.group(1) == '':
        suffix = int(m.group(2))
        return (max(0, size - suffix), size - 1) if suffix > 0 and size > 0 else 'unsatisfiable'
    start = int(m.group(1))
    end = min(int(m.group(2)), size - 1) if m.group(2) else size - 1
    if start >= size or end < start:
        return 'unsatisfiable'
    return start, end


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.answer(body=False)

    def do_GET(self):
        self.answer(body=True)

    def answer(self, body):
        path, cap = self.server.path, self.server.cap
        size = os.path.getsize(path)
        r = parse_range(self.headers.get('Range'), size)
        if r == 'unsatisfiable':
            self.send_response(416)
            self.send_header('Content-Range', 'bytes */%d' % size)
            self.send_header('Content-Length', '0')
            self.end_headers()
            return
        start, end = r if r else (0, size - 1)
        self.send_response(206 if r else 200)
        self.send_header('Accept-Ranges', 'bytes')
        self.send_header('Cache-Control', 'no-store')
        self.send_header('Content-Type', CONTENT_TYPES.get(os.path.splitext(path)[1], 'application/octet-stream'))
        if r:
            self.send_header('Content-Range', 'bytes %d-%d/%d' % (start, end, size))
        self.send_header('Content-Length', str(end - start + 1))
        self.end_headers()
        if not body:
            return
        try:
            with open(path, 'rb') as f:
                f.seek(start)
                left = end - start + 1
                while left > 0:
                    n = cap.take(min(left, 4 * CHUNK))
                    data = f.read(n)
                    if not data:
                        raise OSError('%s ended early' % path)
                    self.wfile.write(data)
                    left -= len(data)
        except (BrokenPipeError, ConnectionResetError):
            # Chromium dropped the request (a seek): what it had not read is lost, as with any server
            self.close_connection = True


class Oracle:
    """One file served at http://127.0.0.1:PORT/NAME at `rate` bytes/s in `shape`; stop() ends it."""

    def __init__(self, path, rate, shape):
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self.server.path = path
        self.server.cap = Cap(rate, shape)
        self.url = 'http://127.0.0.1:%d/%s' % (self.server.server_address[1], os.path.basename(path))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
