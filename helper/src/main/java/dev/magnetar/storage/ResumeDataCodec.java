package dev.magnetar.storage;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.bencode.BencodeException;
import dev.magnetar.bencode.BencodeLimits;
import dev.magnetar.metainfo.InfoHash;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Bencodes {@link ResumeData} (the format libtorrent and others use for resume files too, and one
 * the project already parses safely). Layout, all keys required:
 * <pre>
 * d "format" i1e  "info-hash" 20:…  "download-dir" …  "piece-count" iNe  "verified" &lt;bitfield&gt;
 *   "files" l d "size" i…e "mtime" i…e e … e  "priorities" l i4e … e  "info" &lt;info dict bytes&gt;
 *   "info-hash kind" "sha1"|"sha256"  "verified by" "sha1"|"merkle"|"sha1+merkle"
 *   "piece layers" d &lt;pieces root&gt; &lt;layer&gt; … e
 *   ["unsynced" &lt;bitfield&gt;  "boot id" …] e
 * </pre>
 * The info dictionary is stored as a byte string, so its exact bytes (and so its hash) survive. The last
 * three keys came with BitTorrent v2 (BEP 52): resume data without them is a v1 torrent's, verified by
 * SHA-1, and is read as such. "info-hash kind" says which digest of the info dictionary the info-hash is
 * (SHA-1, or SHA-256 cut to 20 bytes for a v2-only torrent); "piece layers" keeps the layers a v2
 * torrent's info dictionary does not carry. The optional pair "unsynced" / "boot id" marks verified pieces
 * whose data was written but not yet fsynced, and the boot that wrote them (see {@link BootSession}).
 */
public final class ResumeDataCodec {

    static final int FORMAT = 1;
    static final int MAX_PRIORITY = 7;

    private ResumeDataCodec() {}

    public static byte[] encode(ResumeData data) {
        List<BValue> files = new ArrayList<>();
        for (ResumeData.FileState f : data.files()) {
            files.add(BDictionary.builder().put("size", f.size()).put("mtime", f.mtimeMillis()).build());
        }
        List<BValue> priorities = new ArrayList<>();
        for (int p : data.priorities()) {
            priorities.add(new BInteger(p));
        }
        BDictionary.Builder top = BDictionary.builder();
        if (!data.unsynced().isEmpty()) {
            top.put("unsynced", data.unsyncedWire()).put("boot id", data.bootId());
        }
        return BencodeEncoder.encode(top
                .put("format", FORMAT)
                .put("info-hash", data.infoHash().bytes())
                .put("download-dir", data.downloadDir())
                .put("piece-count", data.pieceCount())
                .put("verified", data.verifiedWire())
                .put("files", new BList(files))
                .put("priorities", new BList(priorities))
                .put("info", data.infoBytes())
                .put("info-hash kind", hashesTo(data.infoBytes(), data.infoHash().bytes(), "sha1") ? "sha1" : "sha256")
                .put("verified by", data.verifiedBy().key())
                .put("piece layers", layers(data.pieceLayers()))
                .build());
    }

    private static BDictionary layers(List<ResumeData.PieceLayer> layers) {
        BDictionary.Builder b = BDictionary.builder();
        for (ResumeData.PieceLayer l : layers) {
            b.put(BString.of(l.root()), BString.of(l.hashes()));
        }
        return b.build();
    }

    /** Decodes and checks everything; any problem is a {@link ResumeDataException}, never unchecked. */
    public static ResumeData decode(byte[] bytes) throws ResumeDataException {
        BValue top;
        try {
            top = BencodeDecoder.decode(bytes, BencodeLimits.DEFAULT);
        } catch (BencodeException e) {
            throw new ResumeDataException("resume data is not valid bencode: " + e.getMessage(), e);
        }
        BDictionary d = dict(top, "resume data");
        long format = integer(d, "format");
        if (format != FORMAT) {
            throw new ResumeDataException("unknown resume format " + format);
        }
        byte[] hash = string(d, "info-hash");
        if (hash.length != InfoHash.LENGTH) {
            throw new ResumeDataException("info-hash of " + hash.length + " bytes");
        }
        InfoHash infoHash = InfoHash.of(hash);
        byte[] info = string(d, "info");
        VerifiedBy verifiedBy = VerifiedBy.SHA1;
        if (d.containsKey("verified by")) {
            verifiedBy = VerifiedBy.fromKey(utf8(d, "verified by"));
            if (verifiedBy == null) {
                throw new ResumeDataException("\"verified by\" names no known hash: " + utf8(d, "verified by"));
            }
        }
        String kind = d.containsKey("info-hash kind") ? utf8(d, "info-hash kind") : "sha1";
        if (!kind.equals("sha1") && !kind.equals("sha256")) {
            throw new ResumeDataException("\"info-hash kind\" is neither sha1 nor sha256: " + kind);
        }
        if (!hashesTo(info, hash, kind)) {
            throw new ResumeDataException("stored info dictionary does not hash to " + infoHash + " by " + kind);
        }
        List<ResumeData.PieceLayer> pieceLayers = new ArrayList<>();
        if (d.containsKey("piece layers")) {
            for (java.util.Map.Entry<BString, BValue> e : dict(d.get("piece layers"), "piece layers").entries().entrySet()) {
                if (!(e.getValue() instanceof BString layer)) {
                    throw new ResumeDataException("a piece layer is a " + e.getValue().kind() + ", expected a string");
                }
                pieceLayers.add(new ResumeData.PieceLayer(e.getKey().bytes(), layer.bytes()));
            }
        }
        long pieceCount = integer(d, "piece-count");
        if (pieceCount < 0 || pieceCount > Integer.MAX_VALUE) {
            throw new ResumeDataException("piece count " + pieceCount);
        }
        byte[] verified = string(d, "verified");
        List<ResumeData.FileState> files = new ArrayList<>();
        for (BValue v : list(d, "files").items()) {
            BDictionary f = dict(v, "file entry");
            long size = integer(f, "size");
            long mtime = integer(f, "mtime");
            files.add(size < 0 ? ResumeData.FileState.ABSENT : new ResumeData.FileState(size, mtime));
        }
        List<Integer> priorities = new ArrayList<>();
        for (BValue v : list(d, "priorities").items()) {
            if (!(v instanceof BInteger p) || p.value() < 0 || p.value() > MAX_PRIORITY) {
                throw new ResumeDataException("file priority " + v + " is not 0.." + MAX_PRIORITY);
            }
            priorities.add((int) p.value());
        }
        if (d.containsKey("unsynced") != d.containsKey("boot id")) {
            throw new ResumeDataException("\"unsynced\" and \"boot id\" come together");
        }
        byte[] unsynced = d.containsKey("unsynced") ? string(d, "unsynced") : new Bitfield((int) pieceCount).toWire();
        String bootId = d.containsKey("boot id") ? utf8(d, "boot id") : "";
        try {
            return new ResumeData(infoHash, utf8(d, "download-dir"), (int) pieceCount, verified, files, priorities, info,
                    verifiedBy, pieceLayers, unsynced, bootId);
        } catch (IllegalArgumentException e) {
            throw new ResumeDataException("inconsistent resume data: " + e.getMessage(), e);
        }
    }

    private static BDictionary dict(BValue v, String what) throws ResumeDataException {
        if (v instanceof BDictionary d) {
            return d;
        }
        throw new ResumeDataException(what + " is a " + v.kind() + ", expected a dictionary");
    }

    private static BValue field(BDictionary d, String key) throws ResumeDataException {
        BValue v = d.get(key);
        if (v == null) {
            throw new ResumeDataException("resume data lacks \"" + key + "\"");
        }
        return v;
    }

    private static long integer(BDictionary d, String key) throws ResumeDataException {
        if (field(d, key) instanceof BInteger i) {
            return i.value();
        }
        throw new ResumeDataException("\"" + key + "\" is not an integer");
    }

    private static byte[] string(BDictionary d, String key) throws ResumeDataException {
        if (field(d, key) instanceof BString s) {
            return s.bytes();
        }
        throw new ResumeDataException("\"" + key + "\" is not a string");
    }

    private static String utf8(BDictionary d, String key) throws ResumeDataException {
        if (field(d, key) instanceof BString s) {
            return s.utf8();
        }
        throw new ResumeDataException("\"" + key + "\" is not a string");
    }

    private static BList list(BDictionary d, String key) throws ResumeDataException {
        if (field(d, key) instanceof BList l) {
            return l;
        }
        throw new ResumeDataException("\"" + key + "\" is not a list");
    }

    /** BEP 3: the info-hash is the SHA-1 of the info dictionary; BEP 52: for a v2-only torrent, its SHA-256 cut to 20 bytes. */
    private static boolean hashesTo(byte[] info, byte[] infoHash, String kind) {
        if (kind.equals("sha1")) {
            return MessageDigest.isEqual(Sha1.of(info), infoHash);
        }
        try {
            byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(info);
            return MessageDigest.isEqual(java.util.Arrays.copyOf(sha256, InfoHash.LENGTH), infoHash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

}
