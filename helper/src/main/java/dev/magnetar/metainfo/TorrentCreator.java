package dev.magnetar.metainfo;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Makes a .torrent from a file or a directory: BitTorrent v1 (BEP 3), v2-only or hybrid (BEP 52).
 * Directory contents are listed in a fixed order (path components compared as Unicode text for v1; as
 * UTF-8 bytes for v2 and hybrids: the order of the v2 file tree, which a hybrid's v1 list must follow),
 * so the same folder always gives the same info-hash; symbolic links are not followed and empty folders
 * are left out. Every file is read once, sequentially, through a small buffer.
 *
 * <p>v2 and hybrid torrents carry each file's pieces root in the "file tree" and, for files over one
 * piece, its piece layer in "piece layers". A hybrid's v1 "files" list puts a BEP 47 pad file (attr "p")
 * after every file that does not end on a piece boundary, so that each file starts on one as BEP 52
 * requires — like libtorrent, after the last file too; a single-file hybrid keeps the v1 "length" form.
 */
public final class TorrentCreator {

    /** Bytes read per call; big enough for sequential throughput, small enough to stay out of the heap's way. */
    private static final int READ_BUFFER = 256 * 1024;

    /**
     * What to put in the torrent besides the files.
     *
     * @param trackerTiers BEP 12 tiers of announce URLs (may be empty: a trackerless torrent)
     * @param pieceLength bytes per piece, or null to choose one from the size ({@link PieceLengths})
     * @param isPrivate BEP 27 private flag
     * @param comment free text, or null
     * @param createdBy e.g. "Magnetar/0.1.0"
     * @param creationDate seconds since the epoch, or null to leave it out (reproducible output)
     * @param version v1, v2-only or hybrid
     */
    public record Options(List<List<String>> trackerTiers, Integer pieceLength, boolean isPrivate, String comment,
            String createdBy, Long creationDate, MetaVersion version) {

        public Options {
            trackerTiers = trackerTiers.stream().map(List::copyOf).toList();
            Objects.requireNonNull(version, "version");
        }

        /** A v1 torrent. */
        public Options(List<List<String>> trackerTiers, Integer pieceLength, boolean isPrivate, String comment,
                String createdBy, Long creationDate) {
            this(trackerTiers, pieceLength, isPrivate, comment, createdBy, creationDate, MetaVersion.V1);
        }

        /** No trackers, automatic piece length, public, no comment or date, v1. */
        public static Options defaults(String createdBy) {
            return new Options(List.of(), null, false, null, createdBy, null);
        }

        /** The same options for a torrent of {@code other} version. */
        public Options withVersion(MetaVersion other) {
            return new Options(trackerTiers, pieceLength, isPrivate, comment, createdBy, creationDate, other);
        }
    }

    private record SourceFile(Path file, List<String> path, long length) {}

    private TorrentCreator() {}

    /** Builds the .torrent bytes for {@code source}; {@code bytesHashed} hears the running total. */
    public static byte[] create(Path source, Options options, LongConsumer bytesHashed) throws TorrentCreationException {
        Objects.requireNonNull(bytesHashed);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new TorrentCreationException(source + " does not exist");
        }
        Path absolute = source.toAbsolutePath().normalize();
        if (absolute.getFileName() == null) {
            throw new TorrentCreationException("cannot make a torrent of the file-system root; pick a folder or file inside it");
        }
        String name = absolute.getFileName().toString();
        boolean directory = Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS);
        List<SourceFile> files = directory ? listDirectory(absolute, options.version()) : List.of(single(absolute, name));
        long total = files.stream().mapToLong(SourceFile::length).sum();
        if (total == 0) {
            throw new TorrentCreationException(source + (directory ? " holds no data (only empty files or none)" : " is empty")
                    + "; a torrent needs at least one byte");
        }
        int pieceLength;
        if (options.pieceLength() == null) {
            pieceLength = PieceLengths.forTotalLength(total);
        } else if (PieceLengths.isValid(options.pieceLength())) {
            pieceLength = options.pieceLength();
        } else {
            throw new TorrentCreationException("piece size " + options.pieceLength() + " is not a power of two from "
                    + PieceLengths.MIN + " (16 KiB) to " + PieceLengths.MAX + " (16 MiB)");
        }
        BDictionary.Builder torrent = BDictionary.builder();
        BDictionary.Builder info = options.version() == MetaVersion.V1
                ? v1Info(files, pieceLength, directory, total, bytesHashed)
                : v2Info(files, pieceLength, directory, options.version() == MetaVersion.HYBRID, name, torrent, bytesHashed);
        info.put("name", name).put("piece length", pieceLength);
        if (options.isPrivate()) {
            info.put("private", 1);
        }
        torrent.put("info", info.build());
        List<List<String>> tiers = options.trackerTiers().stream().filter(t -> !t.isEmpty()).toList();
        if (!tiers.isEmpty()) {
            torrent.put("announce", tiers.get(0).get(0));
            if (tiers.size() > 1 || tiers.get(0).size() > 1) {
                List<BValue> tierList = new ArrayList<>();
                for (List<String> tier : tiers) {
                    tierList.add(new BList(tier.stream().map(u -> (BValue) BString.of(u)).toList()));
                }
                torrent.put("announce-list", new BList(tierList));
            }
        }
        if (options.comment() != null && !options.comment().isBlank()) {
            torrent.put("comment", options.comment());
        }
        if (options.createdBy() != null) {
            torrent.put("created by", options.createdBy());
        }
        if (options.creationDate() != null) {
            torrent.put("creation date", options.creationDate());
        }
        return BencodeEncoder.encode(torrent.build());
    }

    private static BDictionary.Builder v1Info(List<SourceFile> files, int pieceLength, boolean directory, long total,
            LongConsumer bytesHashed) throws TorrentCreationException {
        BDictionary.Builder info = BDictionary.builder().put("pieces", hashPieces(files, pieceLength, bytesHashed));
        if (directory) {
            info.put("files", new BList(v1Entries(files, pieceLength, false)));
        } else {
            info.put("length", total);
        }
        return info;
    }

    /**
     * BEP 52: "meta version" 2 and the "file tree" (each file's length and pieces root) in the info
     * dictionary, "piece layers" into {@code torrent}; for a hybrid also the v1 "pieces" and "files" (with
     * pad files) or "length".
     */
    private static BDictionary.Builder v2Info(List<SourceFile> files, int pieceLength, boolean directory, boolean hybrid,
            String name, BDictionary.Builder torrent, LongConsumer bytesHashed) throws TorrentCreationException {
        Map<BString, BValue> layers = new TreeMap<>();
        Map<List<String>, BDictionary> leaves = new LinkedHashMap<>();
        ByteArrayOutputStream sha1Pieces = new ByteArrayOutputStream();
        long hashed = 0;
        for (SourceFile f : files) {
            BDictionary.Builder entry = BDictionary.builder().put("length", f.length());
            if (f.length() > 0) {
                FileTreeHasher.Hashed h = FileTreeHasher.hash(f.file(), f.length(), pieceLength, hybrid, directory, hashed,
                        bytesHashed);
                hashed += f.length();
                entry.put("pieces root", h.piecesRoot());
                if (h.pieceLayer() != null) {
                    layers.put(BString.of(h.piecesRoot()), BString.of(h.pieceLayer()));
                }
                sha1Pieces.writeBytes(h.sha1Pieces());
            }
            leaves.put(directory ? f.path() : List.of(name), BDictionary.builder().put("", entry.build()).build());
        }
        torrent.put("piece layers", BDictionary.of(layers));
        BDictionary.Builder info = BDictionary.builder().put("meta version", 2).put("file tree", fileTree(leaves, 0));
        if (hybrid) {
            info.put("pieces", sha1Pieces.toByteArray());
            if (directory) {
                info.put("files", new BList(v1Entries(files, pieceLength, true)));
            } else {
                info.put("length", files.get(0).length());
            }
        }
        return info;
    }

    /** BEP 3 "files" entries; with {@code aligned}, a BEP 47 pad file after each file not ending on a piece boundary. */
    private static List<BValue> v1Entries(List<SourceFile> files, int pieceLength, boolean aligned) {
        List<BValue> list = new ArrayList<>();
        for (SourceFile f : files) {
            List<BValue> path = new ArrayList<>();
            f.path().forEach(c -> path.add(BString.of(c)));
            list.add(BDictionary.builder().put("length", f.length()).put("path", new BList(path)).build());
            long tail = f.length() % pieceLength;
            if (aligned && tail != 0) {
                long pad = pieceLength - tail;
                list.add(BDictionary.builder().put("attr", "p").put("length", pad)
                        .put("path", new BList(List.of(BString.of(".pad"), BString.of(Long.toString(pad))))).build());
            }
        }
        return list;
    }

    /** The nested dictionaries of a BEP 52 file tree over {@code leaves} (path to file entry), from path element {@code depth}. */
    private static BDictionary fileTree(Map<List<String>, BDictionary> leaves, int depth) {
        Map<String, Map<List<String>, BDictionary>> children = new LinkedHashMap<>();
        Map<BString, BValue> node = new TreeMap<>();
        for (Map.Entry<List<String>, BDictionary> e : leaves.entrySet()) {
            List<String> path = e.getKey();
            if (path.size() == depth + 1) {
                node.put(BString.of(path.get(depth)), e.getValue());
            } else {
                children.computeIfAbsent(path.get(depth), k -> new LinkedHashMap<>()).put(path, e.getValue());
            }
        }
        for (Map.Entry<String, Map<List<String>, BDictionary>> c : children.entrySet()) {
            node.put(BString.of(c.getKey()), fileTree(c.getValue(), depth + 1));
        }
        return BDictionary.of(node);
    }

    private static SourceFile single(Path file, String name) throws TorrentCreationException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new TorrentCreationException(file + " is neither a regular file nor a folder");
        }
        return new SourceFile(file, List.of(name), size(file));
    }

    private static List<SourceFile> listDirectory(Path dir, MetaVersion version) throws TorrentCreationException {
        List<SourceFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    List<String> path = new ArrayList<>();
                    dir.relativize(p).forEach(c -> path.add(c.toString()));
                    files.add(new SourceFile(p, List.copyOf(path), size(p)));
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new TorrentCreationException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparing(SourceFile::path, version == MetaVersion.V1 ? TorrentCreator::comparePaths
                : TorrentCreator::compareUtf8Paths));
        return files;
    }

    private static int comparePaths(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    /** BEP 52 file trees are dictionaries, ordered by the raw bytes of their keys. */
    private static int compareUtf8Paths(List<String> a, List<String> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = BString.of(a.get(i)).compareTo(BString.of(b.get(i)));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static long size(Path file) throws TorrentCreationException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new TorrentCreationException("cannot read the size of " + file + ": " + e.getMessage(), e);
        }
    }

    /** SHA-1 of each piece across file boundaries (BEP 3), reading every file once, front to back. */
    private static byte[] hashPieces(List<SourceFile> files, int pieceLength, LongConsumer bytesHashed)
            throws TorrentCreationException {
        MessageDigest sha1 = MerkleTree.sha1();
        ByteArrayOutputStream pieces = new ByteArrayOutputStream();
        byte[] buffer = new byte[READ_BUFFER];
        long inPiece = 0;
        long hashed = 0;
        for (SourceFile f : files) {
            long read = 0;
            try (InputStream in = Files.newInputStream(f.file())) {
                while (read < f.length()) {
                    int want = (int) Math.min(buffer.length, Math.min(f.length() - read, pieceLength - inPiece));
                    int n = in.read(buffer, 0, want);
                    if (n < 0) {
                        break;
                    }
                    sha1.update(buffer, 0, n);
                    read += n;
                    inPiece += n;
                    hashed += n;
                    if (inPiece == pieceLength) {
                        pieces.writeBytes(sha1.digest());
                        inPiece = 0;
                    }
                    bytesHashed.accept(hashed);
                }
            } catch (IOException e) {
                throw new TorrentCreationException("cannot read " + f.file() + ": " + e.getMessage(), e);
            }
            if (read != f.length()) {
                throw new TorrentCreationException(f.file() + " changed size while it was being hashed; try again when"
                        + " nothing is writing to it");
            }
        }
        if (inPiece > 0) {
            pieces.writeBytes(sha1.digest());
        }
        return pieces.toByteArray();
    }
}
