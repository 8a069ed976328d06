package dev.magnetar.metainfo;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeException;
import dev.magnetar.bencode.BencodeLimits;
import dev.magnetar.bencode.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads .torrent files (BEP 3) and info dictionaries fetched from peers (BEP 9). Handles single- and
 * multi-file v1 torrents, BEP 12 announce-list, BEP 19 url-list, BEP 27 private, BEP 47 pad files and
 * attributes, and BEP 52 v2 and hybrid torrents (with their piece layers checked against each file's
 * pieces root). File names are sanitised by {@link PathSanitizer}.
 *
 * <p>Every problem, whatever the input, is an {@link InvalidTorrentException} saying what is wrong.
 */
public final class MetainfoParser {

    private MetainfoParser() {}

    /** Parses a whole .torrent file. */
    public static Metainfo parse(byte[] torrentFile) throws InvalidTorrentException {
        // libtorrent ignores bytes after the top-level dictionary (corpus: large_piece_size.torrent and
        // v2_invalid_filename2.torrent end in a stray 'e'); they are outside the info-hash, so we do too.
        BValue root = decode(torrentFile, "the file is not a torrent", BencodeLimits.DEFAULT.withTrailingData());
        if (!(root instanceof BDictionary torrent)) {
            throw new InvalidTorrentException("the file is not a torrent: it holds a bencoded " + root.kind()
                    + " where a torrent holds a dictionary");
        }
        BValue infoValue = torrent.get("info");
        if (infoValue == null) {
            throw new InvalidTorrentException("the torrent has no info dictionary (\"info\" is missing); it may be a"
                    + " different kind of bencoded file, or damaged");
        }
        BDictionary info = TorrentFields.asDictionary(infoValue, "info");
        Span span = torrent.spanOf("info");
        // BEP 3: the info-hash is over the info value exactly as it appears in the file.
        byte[] infoBytes = Arrays.copyOfRange(torrentFile, span.start(), span.end());
        InfoParser.Parsed parsed = InfoParser.parse(info, infoBytes);
        if (parsed.info().metaVersion().hasV2() && torrent.containsKey("piece layers")) {
            addPieceLayers(TorrentFields.requireDictionary(torrent, "", "piece layers"), parsed.info());
        }
        return new Metainfo(
                parsed.info(),
                announceTiers(torrent),
                webSeeds(torrent),
                text(torrent, "comment"),
                text(torrent, "created by"),
                TorrentFields.optionalInteger(torrent, "creation date"));
    }

    /** Parses an info dictionary on its own, e.g. metadata fetched from peers with BEP 9. */
    public static TorrentInfo parseInfo(byte[] infoDictBytes) throws InvalidTorrentException {
        // No trailing bytes here: the info-hash is over the whole input.
        BValue root = decode(infoDictBytes, "the metadata is not a valid info dictionary", BencodeLimits.DEFAULT);
        BDictionary info = TorrentFields.asDictionary(root, "the metadata");
        return InfoParser.parse(info, infoDictBytes).info();
    }

    private static BValue decode(byte[] bytes, String what, BencodeLimits limits) throws InvalidTorrentException {
        if (bytes.length == 0) {
            throw new InvalidTorrentException(what + ": it is empty");
        }
        try {
            return BencodeDecoder.decode(bytes, limits);
        } catch (BencodeException e) {
            throw new InvalidTorrentException(what + ": bencode error at byte " + e.offset() + ": " + problem(e)
                    + ". The file may be truncated or damaged; download it again", e);
        }
    }

    private static String problem(BencodeException e) {
        String m = e.getMessage();
        String suffix = " at byte " + e.offset();
        return m.endsWith(suffix) ? m.substring(0, m.length() - suffix.length()) : m;
    }

    /**
     * BEP 52 "piece layers": for each file larger than a piece, the hashes of its pieces, keyed by its
     * pieces root. Layers may be missing (peers can send them, and libtorrent loads such torrents), but
     * one that is present must belong to a file and hash up to that file's root — like libtorrent, a
     * wrong one rejects the torrent.
     */
    private static void addPieceLayers(BDictionary layers, TorrentInfo info) throws InvalidTorrentException {
        for (Map.Entry<BString, BValue> e : layers.entries().entrySet()) {
            info.pieceLayers().addLayer(e.getKey().bytes(), TorrentFields.asString(e.getValue(), "a piece layer").bytes());
        }
    }

    /** BEP 12 tiers; without announce-list, the lone "announce" URL is one tier. Blank URLs are dropped. */
    private static List<List<String>> announceTiers(BDictionary torrent) {
        List<List<String>> tiers = new ArrayList<>();
        if (torrent.get("announce-list") instanceof BList list) {
            for (BValue tierValue : list.items()) {
                if (tierValue instanceof BList tier) {
                    Set<String> urls = new LinkedHashSet<>();
                    for (BValue url : tier.items()) {
                        if (url instanceof BString s && !s.utf8().isBlank()) {
                            urls.add(s.utf8().strip());
                        }
                    }
                    if (!urls.isEmpty()) {
                        tiers.add(List.copyOf(urls));
                    }
                }
            }
        }
        if (tiers.isEmpty() && torrent.get("announce") instanceof BString announce && !announce.utf8().isBlank()) {
            tiers.add(List.of(announce.utf8().strip()));
        }
        return tiers;
    }

    /** BEP 19 url-list: one URL or a list of them. */
    private static List<String> webSeeds(BDictionary torrent) {
        Set<String> seeds = new LinkedHashSet<>();
        BValue v = torrent.get("url-list");
        if (v instanceof BString s) {
            addUrl(seeds, s);
        } else if (v instanceof BList l) {
            for (BValue item : l.items()) {
                if (item instanceof BString s) {
                    addUrl(seeds, s);
                }
            }
        }
        return List.copyOf(seeds);
    }

    private static void addUrl(Set<String> urls, BString s) {
        String url = s.utf8().strip();
        if (!url.isEmpty()) {
            urls.add(url);
        }
    }

    private static String text(BDictionary torrent, String key) {
        BValue utf8 = torrent.get(key + ".utf-8");
        if (utf8 instanceof BString s) {
            return s.utf8();
        }
        BString s = TorrentFields.optionalString(torrent, key);
        return s == null ? null : s.utf8();
    }
}
