#!/usr/bin/python3
"""Make a BitTorrent v2 (BEP 52) .torrent with libtorrent, for interop tests.

Usage: /usr/bin/python3 lt_make_v2_torrent.py PATH OUT PIECE_LENGTH KIND
  PATH          file or directory to describe
  OUT           where to write the .torrent
  PIECE_LENGTH  bytes per piece (power of two, >= 16384)
  KIND          "v2" for a v2-only torrent, "hybrid" for v1 + v2 (libtorrent 2.0's default)

Prints the v1 info-hash (40 hex digits, or "-" for a v2-only torrent) and the full v2 info-hash (64
hex digits, the SHA-256 a btmh magnet carries), separated by a space. No trackers.
"""
import os
import sys

import libtorrent as lt


def main():
    if len(sys.argv) != 5 or sys.argv[4] not in ('v2', 'hybrid'):
        sys.stderr.write(__doc__)
        return 64
    path, out, piece_length, kind = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
    files = lt.file_storage()
    lt.add_files(files, path)
    flags = lt.create_torrent.v2_only if kind == 'v2' else 0
    creator = lt.create_torrent(files, piece_length, flags=flags)
    lt.set_piece_hashes(creator, os.path.dirname(path))
    data = lt.bencode(creator.generate())
    with open(out, 'wb') as f:
        f.write(data)
    hashes = lt.torrent_info(out).info_hashes()
    v1 = str(hashes.v1) if hashes.has_v1() else '-'
    print('%s %s' % (v1, hashes.v2.to_bytes().hex()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
