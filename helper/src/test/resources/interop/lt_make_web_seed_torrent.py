#!/usr/bin/python3
"""Make a .torrent with BEP 19 web seeds (url-list) with libtorrent, for web seed tests.

Usage: /usr/bin/python3 lt_make_web_seed_torrent.py PATH OUT PIECE_LENGTH URL...
  PATH          file or directory to describe
  OUT           where to write the .torrent
  PIECE_LENGTH  bytes per piece (power of two, >= 16384)
  URL           one or more url-list entries (create_torrent.add_url_seed), in order

libtorrent 2.0 makes hybrid v1+v2 torrents by default, so a multi-file torrent gets BEP 47 pad files
between its files. Prints the v1 info-hash on stdout.
"""
import os
import sys

import libtorrent as lt


def main():
    if len(sys.argv) < 5:
        sys.stderr.write(__doc__)
        return 64
    path, out, piece_length = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    files = lt.file_storage()
    lt.add_files(files, path)
    creator = lt.create_torrent(files, piece_length)
    for url in sys.argv[4:]:
        creator.add_url_seed(url)
    lt.set_piece_hashes(creator, os.path.dirname(path))
    with open(out, 'wb') as f:
        f.write(lt.bencode(creator.generate()))
    print(str(lt.torrent_info(out).info_hashes().v1))
    return 0


if __name__ == '__main__':
    sys.exit(main())
