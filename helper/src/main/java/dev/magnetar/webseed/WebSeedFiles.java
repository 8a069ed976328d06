package dev.magnetar.webseed;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeException;
import dev.magnetar.metainfo.TorrentFile;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.FileSegment;
import dev.magnetar.storage.PieceLayout;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a web seed keeps each file of a torrent, and which HTTP ranges hold a run of the torrent's
 * bytes. BEP 19: for a single-file torrent the URL is the file itself, or — when it ends in '/' — the
 * folder holding a file named after the torrent; for a multi-file torrent it is a folder, and a file is
 * at {@code url/<name>/<path…>} (libtorrent adds the '/' when it is missing). A run of bytes that
 * crosses files becomes one range per file.
 *
 * <p>The URL path uses the names exactly as the info dictionary spells them (its raw bytes,
 * percent-encoded as RFC 3986 asks), not the names sanitised for the local disk: the server's files
 * are named as the publisher named them.
 */
public final class WebSeedFiles {

    private final PieceLayout layout;
    /** Per file of {@code TorrentInfo.files()}: its URL, or null for a pad file. */
    private final URI[] urls;

    public WebSeedFiles(TorrentInfo info, URI seed) {
        this.layout = new PieceLayout(info);
        List<TorrentFile> files = info.files();
        List<List<byte[]>> raw = rawPaths(info);
        this.urls = new URI[files.size()];
        boolean multiFile = raw.size() != 1 || files.get(0).path().size() > 1;
        String base = seed.toString();
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).padding()) {
                continue;
            }
            List<byte[]> path = raw.size() == files.size() ? raw.get(i) : utf8(files.get(i).path());
            StringBuilder url = new StringBuilder(base);
            if (multiFile) {
                if (!base.endsWith("/")) {
                    url.append('/');
                }
                appendPath(url, path);
            } else if (base.endsWith("/")) {
                appendPath(url, path);
            }
            urls[i] = URI.create(url.toString());
        }
    }

    /** The file ranges holding {@code length} bytes at {@code begin} of piece {@code piece}, in order. */
    public List<FileRange> ranges(int piece, int begin, int length) {
        List<FileRange> out = new ArrayList<>(2);
        for (FileSegment s : layout.segments(piece, begin, length)) {
            out.add(new FileRange(s.padding() ? null : urls[s.fileIndex()], s.fileOffset(), s.length(), s.padding()));
        }
        return out;
    }

    /** The URL of file {@code fileIndex}; null for a pad file. */
    public URI url(int fileIndex) {
        return urls[fileIndex];
    }

    private static void appendPath(StringBuilder url, List<byte[]> components) {
        for (int c = 0; c < components.size(); c++) {
            if (c > 0) {
                url.append('/');
            }
            percentEncode(url, components.get(c));
        }
    }

    /** RFC 3986 §2.3: only the unreserved characters stay as they are; every other byte is %XX. */
    static void percentEncode(StringBuilder out, byte[] bytes) {
        for (byte b : bytes) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
    }

    /**
     * Per file, name first, the path as the info dictionary has it (the ".utf-8" forms win, as in the
     * metainfo parser); empty if the dictionary cannot be read, and the sanitised names are used.
     */
    private static List<List<byte[]>> rawPaths(TorrentInfo info) {
        try {
            if (!(BencodeDecoder.decode(info.infoBytes()) instanceof BDictionary dict)) {
                return List.of();
            }
            BString name = dict.get("name.utf-8") instanceof BString u ? u
                    : dict.get("name") instanceof BString n ? n : null;
            if (name == null) {
                return List.of();
            }
            if (!(dict.get("files") instanceof BList files)) {
                return List.of(List.of(name.bytes()));
            }
            List<List<byte[]>> out = new ArrayList<>(files.size());
            for (int i = 0; i < files.size(); i++) {
                List<byte[]> path = new ArrayList<>();
                path.add(name.bytes());
                if (files.get(i) instanceof BDictionary entry) {
                    BValue p = entry.get("path.utf-8") instanceof BList u ? u : entry.get("path");
                    if (p instanceof BList list) {
                        for (int c = 0; c < list.size(); c++) {
                            if (list.get(c) instanceof BString s) {
                                path.add(s.bytes());
                            }
                        }
                    }
                }
                out.add(path);
            }
            return out;
        } catch (BencodeException e) {
            return List.of();
        }
    }

    private static List<byte[]> utf8(List<String> path) {
        return path.stream().map(s -> s.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toList();
    }
}
