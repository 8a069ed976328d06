package dev.magnetar.metainfo;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Reads an info dictionary (BEP 3 v1, BEP 52 v2 or hybrid) into a {@link TorrentInfo}. The caller
 * hands over the exact original bytes of the dictionary too: the info-hashes are taken over those.
 */
final class InfoParser {

    /** libtorrent's {@code file_storage::max_piece_size}: larger pieces are refused. */
    static final long MAX_PIECE_LENGTH = 1L << 29;
    /** libtorrent's default {@code load_torrent_limits::max_pieces}. */
    static final long MAX_PIECES = 1L << 21;
    /** libtorrent's {@code file_storage::max_file_size}. */
    static final long MAX_FILE_LENGTH = (1L << 48) - 1;

    private InfoParser() {}

    /** A parsed info dictionary plus the v2 files, which the piece-layers check needs. */
    record Parsed(TorrentInfo info, List<FileTreeParser.V2File> v2Files) {}

    /** A v1 "files" entry before sanitising. */
    private record V1File(List<BString> rawPath, long length, boolean padding, boolean symlink) {}

    static Parsed parse(BDictionary info, byte[] infoBytes) throws InvalidTorrentException {
        byte[] sha1 = MerkleTree.sha1().digest(infoBytes);
        byte[] sha256 = MerkleTree.sha256().digest(infoBytes);

        Long declaredVersion = TorrentFields.optionalInteger(info, "meta version");
        long version = declaredVersion == null ? 1 : declaredVersion;
        if (version > 2) {
            throw new InvalidTorrentException("info.meta version is " + version + "; Magnetar knows BitTorrent v1 and v2 only."
                    + " A newer program may open this torrent");
        }
        boolean v2 = version == 2;
        if (v2 && !isCanonical(info)) {
            // BEP 52 requires canonical bencode; libtorrent refuses v2 metadata with unsorted keys too.
            throw new InvalidTorrentException("the info dictionary of this v2 torrent is not canonical bencode (keys out of order)");
        }

        long pieceLength = TorrentFields.requireInteger(info, "info", "piece length");
        if (pieceLength <= 0 || pieceLength > MAX_PIECE_LENGTH) {
            throw new InvalidTorrentException("info.piece length must be between 1 and " + MAX_PIECE_LENGTH + " bytes, it is " + pieceLength);
        }
        if (v2 && (pieceLength < MerkleTree.BLOCK_SIZE || Long.bitCount(pieceLength) != 1)) {
            throw new InvalidTorrentException("info.piece length of a v2 torrent must be a power of two of at least 16 KiB (BEP 52), it is " + pieceLength);
        }

        BString rawName = name(info);

        BDictionary fileTree = null;
        if (info.containsKey("file tree")) {
            if (!v2) {
                throw new InvalidTorrentException("info has a v2 \"file tree\" but no \"meta version\" 2");
            }
            fileTree = TorrentFields.requireDictionary(info, "info", "file tree");
        } else if (v2) {
            throw new InvalidTorrentException("info.file tree is missing although info.meta version is 2");
        }
        List<FileTreeParser.V2File> v2Files = fileTree == null ? List.of() : FileTreeParser.parse(fileTree);

        boolean hasV1 = !InfoDictionaryHash.isV2Only(info);
        MetaVersion metaVersion = !v2 ? MetaVersion.V1 : hasV1 ? MetaVersion.HYBRID : MetaVersion.V2;

        boolean multiFile;
        List<V1File> v1Files;
        if (hasV1) {
            multiFile = info.containsKey("files");
            v1Files = multiFile ? v1Files(info) : List.of(singleFile(info, rawName));
        } else {
            multiFile = !(v2Files.size() == 1 && v2Files.get(0).rawPath().size() == 1);
            v1Files = alignedLayout(v2Files, multiFile, rawName, pieceLength);
        }

        long total = 0;
        long layoutPieces = 0;
        try {
            for (V1File f : v1Files) {
                total = Math.addExact(total, f.length());
                layoutPieces += (f.length() + pieceLength - 1) / pieceLength;
            }
        } catch (ArithmeticException e) {
            throw new InvalidTorrentException("the file lengths add up to more than any torrent can hold");
        }
        if (total == 0) {
            throw new InvalidTorrentException("the torrent has no data: every file in it is empty");
        }
        long pieces = hasV1 ? (total + pieceLength - 1) / pieceLength : layoutPieces;
        if (pieces > MAX_PIECES) {
            throw new InvalidTorrentException("the torrent has " + pieces + " pieces, more than the limit of " + MAX_PIECES
                    + " (" + total + " bytes in pieces of " + pieceLength + "); it is likely malformed");
        }

        byte[] pieceHashes = new byte[0];
        if (hasV1) {
            pieceHashes = TorrentFields.requireString(info, "info", "pieces").bytes();
            if (pieceHashes.length % 20 != 0) {
                throw new InvalidTorrentException("info.pieces must hold 20-byte SHA-1 hashes, but its length " + pieceHashes.length
                        + " is not a multiple of 20");
            }
            if (pieceHashes.length / 20 != pieces) {
                throw new InvalidTorrentException("info.pieces has " + pieceHashes.length / 20 + " hashes, but " + total
                        + " bytes in pieces of " + pieceLength + " need " + pieces);
            }
        }
        if (metaVersion == MetaVersion.HYBRID) {
            checkHybridConsistency(v1Files, v2Files, multiFile, rawName, pieceLength);
        }

        InfoHash infoHash = InfoDictionaryHash.of(hasV1, sha1, sha256);
        String name;
        if (PathSanitizer.isBlank(rawName.utf8())) {
            if (!multiFile) {
                throw new InvalidTorrentException("info.name is empty or unusable (\"" + displayable(rawName) + "\"), and a"
                        + " single-file torrent needs it as the file name");
            }
            // libtorrent names such a folder after the info-hash; so do we.
            name = hasV1 ? infoHash.hex() : HexFormat.of().formatHex(sha256);
        } else {
            name = PathSanitizer.sanitizeComponent(rawName.utf8());
        }

        List<DuplicatePaths.Entry> entries = new ArrayList<>();
        for (V1File f : v1Files) {
            List<String> path = new ArrayList<>();
            if (f.padding() && !multiFile) {
                // a v2 single-file torrent's tail pad: never on disk, named apart from the file
                path.addAll(List.of(".pad", Long.toString(f.length())));
            } else {
                path.add(name);
            }
            if (multiFile) {
                List<String> raw = new ArrayList<>();
                for (BString component : f.rawPath()) {
                    raw.add(component.utf8());
                }
                path.addAll(PathSanitizer.sanitizePath(raw));
            }
            entries.add(new DuplicatePaths.Entry(path, f.length(), f.padding()));
        }
        List<List<String>> paths = DuplicatePaths.resolve(entries);
        List<TorrentFile> files = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < v1Files.size(); i++) {
            V1File f = v1Files.get(i);
            files.add(new TorrentFile(paths.get(i), f.length(), offset, f.padding()));
            offset += f.length();
        }

        boolean isPrivate = Long.valueOf(1).equals(TorrentFields.optionalInteger(info, "private"));
        PieceLayers layers = metaVersion.hasV2() ? pieceLayers(files, v2Files, (int) pieceLength) : null;
        TorrentInfo parsed = new TorrentInfo(name, (int) pieceLength, pieceHashes, files, infoHash, infoBytes.clone(), isPrivate,
                metaVersion, metaVersion.hasV2() ? sha256 : null, layers);
        return new Parsed(parsed, v2Files);
    }

    /**
     * The byte layout of a v2-only torrent: BEP 52 starts every file on a piece boundary, so a pad file
     * (BEP 47, zeros that are never stored) follows each file that does not end on one. Like libtorrent,
     * the last file gets one too, so that every piece is whole: libtorrent asks for whole 16 KiB blocks
     * of a v2 torrent's last piece, and piece indices and sizes on the wire must agree with it.
     */
    private static List<V1File> alignedLayout(List<FileTreeParser.V2File> v2Files, boolean multiFile, BString rawName,
            long pieceLength) {
        List<V1File> layout = new ArrayList<>();
        for (FileTreeParser.V2File f : v2Files) {
            layout.add(new V1File(multiFile ? f.rawPath() : List.of(rawName), f.length(), false, f.symlink()));
            long tail = f.length() % pieceLength;
            if (tail != 0) {
                long pad = pieceLength - tail;
                layout.add(new V1File(List.of(BString.of(".pad"), BString.of(Long.toString(pad))), pad, true, false));
            }
        }
        return layout;
    }

    /** Each non-empty data file's pieces root and pieces; the v2 files are the data files, in the same order. */
    private static PieceLayers pieceLayers(List<TorrentFile> files, List<FileTreeParser.V2File> v2Files, int pieceLength) {
        List<FileHashes> hashes = new ArrayList<>();
        int v2 = 0;
        for (int i = 0; i < files.size(); i++) {
            TorrentFile f = files.get(i);
            if (f.padding()) {
                continue;
            }
            FileTreeParser.V2File v2File = v2Files.get(v2++);
            if (v2File.piecesRoot() != null) {
                int pieces = (int) ((f.length() + pieceLength - 1) / pieceLength);
                hashes.add(new FileHashes(i, f.displayPath(), f.length(), v2File.piecesRoot(), (int) (f.offset() / pieceLength), pieces));
            }
        }
        return new PieceLayers(pieceLength, hashes);
    }

    /** BEP 3 "name"; "name.utf-8" (a common extension) wins when present, as in libtorrent. */
    private static BString name(BDictionary info) throws InvalidTorrentException {
        if (info.get("name.utf-8") instanceof BString utf8) {
            return utf8;
        }
        return TorrentFields.requireString(info, "info", "name");
    }

    private static V1File singleFile(BDictionary info, BString rawName) throws InvalidTorrentException {
        long length = TorrentFields.requireInteger(info, "info", "length");
        if (length < 0 || length > MAX_FILE_LENGTH) {
            throw new InvalidTorrentException("info.length must be between 0 and " + MAX_FILE_LENGTH + ", it is " + length);
        }
        return new V1File(List.of(rawName), length, false, false);
    }

    private static List<V1File> v1Files(BDictionary info) throws InvalidTorrentException {
        BList list = TorrentFields.requireList(info, "info", "files");
        if (list.size() == 0) {
            throw new InvalidTorrentException("info.files is empty: the torrent lists no files");
        }
        List<V1File> files = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String where = "info.files[" + i + "]";
            BDictionary entry = TorrentFields.asDictionary(list.get(i), where);
            BString attr = TorrentFields.optionalString(entry, "attr");
            String attributes = attr == null ? "" : attr.utf8();
            boolean padding = attributes.indexOf('p') >= 0; // BEP 47
            boolean symlink = attributes.indexOf('l') >= 0; // BEP 47
            // A symlink's length is meaningless (see below); libtorrent accepts one without it.
            long length = symlink && !entry.containsKey("length") ? 0 : TorrentFields.requireInteger(entry, where, "length");
            if (length < 0 || length > MAX_FILE_LENGTH) {
                throw new InvalidTorrentException(where + ".length must be between 0 and " + MAX_FILE_LENGTH + ", it is " + length);
            }
            List<BString> path;
            if (entry.get("path.utf-8") instanceof BList utf8 && allStrings(utf8)) {
                path = strings(utf8, where + ".path.utf-8");
            } else if (padding && !entry.containsKey("path")) {
                // libtorrent accepts pad files without a path and names them ".pad/<length>".
                path = List.of(BString.of(".pad"), BString.of(Long.toString(length)));
            } else {
                path = strings(TorrentFields.requireList(entry, where, "path"), where + ".path");
            }
            if (!path.isEmpty() && (path.get(0).is(".pad") || path.get(path.size() - 1).utf8().startsWith("_____padding_file_"))) {
                // Pad files by naming convention: libtorrent's ".pad/N" and BitComet's "_____padding_file_N".
                padding = true;
            }
            if (symlink) {
                if (entry.containsKey("symlink path")) {
                    strings(TorrentFields.requireList(entry, where, "symlink path"), where + ".symlink path");
                }
                // BEP 47: a symlink has no content; like libtorrent we lay it out with length 0 and
                // create it as an ordinary empty file (never a link that could point outside the folder).
                length = 0;
            }
            files.add(new V1File(path, length, padding, symlink));
        }
        return files;
    }

    private static boolean allStrings(BList list) {
        for (BValue v : list.items()) {
            if (!(v instanceof BString)) {
                return false;
            }
        }
        return true;
    }

    private static List<BString> strings(BList list, String where) throws InvalidTorrentException {
        List<BString> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(TorrentFields.asString(list.get(i), where + "[" + i + "]"));
        }
        return out;
    }

    /**
     * BEP 52: a hybrid's v1 "files" must describe the same files, in the same order, as its v2 tree,
     * with every non-empty file starting on a piece boundary (pad files make that so). Otherwise the
     * two swarms would disagree about the data.
     */
    private static void checkHybridConsistency(List<V1File> v1Files, List<FileTreeParser.V2File> v2Files, boolean multiFile,
            BString rawName, long pieceLength) throws InvalidTorrentException {
        List<V1File> data = new ArrayList<>();
        long offset = 0;
        for (V1File f : v1Files) {
            if (!f.padding()) {
                if (f.length() > 0 && offset % pieceLength != 0) {
                    throw new InvalidTorrentException("the v1 and v2 file lists of this hybrid torrent do not match: file "
                            + FileTreeParser.display(f.rawPath()) + " does not start on a piece boundary");
                }
                data.add(f);
            }
            offset += f.length();
        }
        boolean same = data.size() == v2Files.size();
        for (int i = 0; same && i < data.size(); i++) {
            List<BString> v1Path = multiFile ? data.get(i).rawPath() : List.of(rawName);
            same = v1Path.equals(v2Files.get(i).rawPath()) && data.get(i).length() == v2Files.get(i).length();
        }
        if (!same) {
            throw new InvalidTorrentException("the v1 and v2 file lists of this hybrid torrent do not match (names, sizes or order"
                    + " differ); the torrent is inconsistent, get it again from its source");
        }
    }

    /** Whether every dictionary in {@code value} has its keys in BEP 3 order, without duplicates. */
    private static boolean isCanonical(BValue value) {
        if (value instanceof BDictionary d) {
            BString previous = null;
            for (Map.Entry<BString, BValue> e : d.entries().entrySet()) {
                if (previous != null && previous.compareTo(e.getKey()) >= 0) {
                    return false;
                }
                previous = e.getKey();
                if (!isCanonical(e.getValue())) {
                    return false;
                }
            }
        } else if (value instanceof BList l) {
            for (BValue item : l.items()) {
                if (!isCanonical(item)) {
                    return false;
                }
            }
        }
        return true;
    }

    static String displayable(BString s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.utf8().toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
