#!/usr/bin/python3
"""Make a BitTorrent v2-only or hybrid .torrent (BEP 52) of a file or directory with libtorrent.

Usage: /usr/bin/python3 lt_make_v2_torrent.py PATH OUT PIECE_LENGTH v2|hybrid
  PATH          file or directory to describe
  OUT           where to write the .torrent (with its "piece layers")
  PIECE_LENGTH  bytes per piece (power of two, >= 16384)

Prints three lines: the v2 info-hash (64 hex digits, the full SHA-256), the v1 info-hash (40 hex digits,
or "-" for a v2-only torrent), and "<total size> <pieces>" of libtorrent's layout (pad files included).
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
    with open(out, 'wb') as f:
        f.write(lt.bencode(creator.generate()))
    info = lt.torrent_info(out)
    hashes = info.info_hashes()
    print(str(hashes.v2))
    print(str(hashes.v1) if hashes.has_v1() else '-')
    print('%d %d' % (info.total_size(), info.num_pieces()))
    return 0


if __name__ == '__main__':
    sys.exit(main())
