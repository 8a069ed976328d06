"""A minimal WebSocket client (RFC 6455) for the daemon's event stream, GET /api/v1/events, standard
library only (Debian's /usr/bin/python3 has no websocket package here): the handshake with the token in an
Authorization header and the `magnetar.v1` subprotocol (protocol-spec/events.md), then unmasked text frames
from the server, one JSON event each. Benchmark-only: no fragmentation across frames, no extensions."""
import base64
import json
import os
import socket
import struct


class EventStream:
    def __init__(self, port, token, timeout=30):
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(('GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n'
                           'Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n'
                           'Sec-WebSocket-Protocol: magnetar.v1\r\nAuthorization: Bearer %s\r\n\r\n'
                           % (port, key, token)).encode())
        self.buf = b''
        while b'\r\n\r\n' not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b'\r\n\r\n', 1)
        if not head.startswith(b'HTTP/1.1 101'):
            raise OSError('event stream refused: %s' % head.split(b'\r\n', 1)[0].decode(errors='replace'))

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise OSError('event stream closed by the daemon')
        self.buf += chunk

    def _take(self, n):
        while len(self.buf) < n:
            self._fill()
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def next_event(self):
        """The next JSON event; control frames are answered (ping) or skipped. A large message (a snapshot of
        many torrents) arrives as a text frame and continuation frames up to the one with FIN set."""
        message = None
        while True:
            b0, b1 = self._take(2)
            fin, opcode, length = b0 & 0x80, b0 & 0x0F, b1 & 0x7F
            if length == 126:
                length = struct.unpack('>H', self._take(2))[0]
            elif length == 127:
                length = struct.unpack('>Q', self._take(8))[0]
            payload = self._take(length)
            if opcode in (0x1, 0x0):
                message = payload if opcode == 0x1 else message + payload
                if fin:
                    return json.loads(message)
                continue
            if opcode == 0x8:
                raise OSError('event stream closed by the daemon')
            if opcode == 0x9:  # ping: answer with a masked pong (clients must mask, RFC 6455 §5.3)
                mask = os.urandom(4)
                self.sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask
                                  + bytes(c ^ mask[i % 4] for i, c in enumerate(payload)))

    def close(self):
        self.sock.close()
