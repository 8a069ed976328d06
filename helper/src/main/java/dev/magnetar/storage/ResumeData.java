package dev.magnetar.storage;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.metainfo.InvalidTorrentException;
import dev.magnetar.metainfo.TorrentInfo;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a torrent needs to continue after a restart without rehashing: which pieces were verified,
 * and the size and modification time each file had when that was written down, so that a file
 * changed behind our back is noticed. Also the info dictionary's bytes, so a magnet download resumes
 * without fetching metadata from peers again (BEP 9).
 *
 * @param infoHash the torrent
 * @param downloadDir where its files live (absolute)
 * @param pieceCount number of pieces, the length of {@code verifiedWire} in bits
 * @param verifiedWire the verified pieces in BEP 3 bitfield wire layout
 * @param files per file of the torrent (pad files included, in torrent order) its state at save time
 * @param priorities per file its download priority (0 = skip)
 * @param infoBytes the bencoded info dictionary exactly as its info-hash was computed over
 * @param verifiedBy which hashes the verified pieces passed
 * @param pieceLayers for a v2 or hybrid torrent, the BEP 52 piece layers known at save time (from the
 *     .torrent or fetched from peers), which its info dictionary alone does not carry
 * @param unsyncedWire the verified pieces whose data had been written but not yet fsynced at save time
 *     (BEP 3 wire layout): they are in the page cache, which a killed process leaves behind but a power
 *     cut does not, so they are trusted only within the boot that wrote them
 * @param bootId the {@link BootSession} that wrote {@code unsyncedWire}; empty when nothing is unsynced
 */
public record ResumeData(
        InfoHash infoHash,
        String downloadDir,
        int pieceCount,
        byte[] verifiedWire,
        List<FileState> files,
        List<Integer> priorities,
        byte[] infoBytes,
        VerifiedBy verifiedBy,
        List<PieceLayer> pieceLayers,
        byte[] unsyncedWire,
        String bootId) {

    private static final Logger log = LoggerFactory.getLogger(ResumeData.class);

    /** One file's piece layer, keyed by its pieces root as in a .torrent's "piece layers" (BEP 52). */
    public record PieceLayer(byte[] root, byte[] hashes) {
        public PieceLayer {
            root = root.clone();
            hashes = hashes.clone();
        }

        @Override
        public byte[] root() {
            return root.clone();
        }

        @Override
        public byte[] hashes() {
            return hashes.clone();
        }
    }

    /** Resume data whose every verified piece was fsynced. */
    public ResumeData(InfoHash infoHash, String downloadDir, int pieceCount, byte[] verifiedWire, List<FileState> files,
            List<Integer> priorities, byte[] infoBytes, VerifiedBy verifiedBy, List<PieceLayer> pieceLayers) {
        this(infoHash, downloadDir, pieceCount, verifiedWire, files, priorities, infoBytes, verifiedBy, pieceLayers,
                new Bitfield(pieceCount).toWire(), "");
    }

    /** Resume data of a v1 torrent, verified by SHA-1. */
    public ResumeData(InfoHash infoHash, String downloadDir, int pieceCount, byte[] verifiedWire, List<FileState> files,
            List<Integer> priorities, byte[] infoBytes) {
        this(infoHash, downloadDir, pieceCount, verifiedWire, files, priorities, infoBytes, VerifiedBy.SHA1, List.of());
    }

    /**
     * A file's size and modification time (milliseconds since the epoch) at save time;
     * {@link #ABSENT} when the file did not exist (or is a pad file, which never exists).
     */
    public record FileState(long size, long mtimeMillis) {
        public static final FileState ABSENT = new FileState(-1, -1);

        public boolean isAbsent() {
            return size < 0;
        }
    }

    public ResumeData {
        verifiedWire = verifiedWire.clone();
        infoBytes = infoBytes.clone();
        files = List.copyOf(files);
        priorities = List.copyOf(priorities);
        pieceLayers = List.copyOf(pieceLayers);
        java.util.Objects.requireNonNull(verifiedBy, "verifiedBy");
        unsyncedWire = unsyncedWire.clone();
        java.util.Objects.requireNonNull(bootId, "bootId");
        if (files.size() != priorities.size()) {
            throw new IllegalArgumentException(files.size() + " file states but " + priorities.size() + " priorities");
        }
        Bitfield.fromWire(verifiedWire, pieceCount); // validates length and spare bits
        if (!Bitfield.fromWire(unsyncedWire, pieceCount).isEmpty() && bootId.isEmpty()) {
            throw new IllegalArgumentException("unsynced pieces without the boot that wrote them");
        }
    }

    /**
     * Gives {@code info} the piece layers recorded here that it lacks, each checked against its file's
     * root; one that does not fit is skipped with a warning (the peers can send it again).
     */
    public void restorePieceLayers(TorrentInfo info) {
        if (info.pieceLayers() == null) {
            return;
        }
        for (PieceLayer layer : pieceLayers) {
            try {
                info.pieceLayers().addLayer(layer.root, layer.hashes);
            } catch (InvalidTorrentException e) {
                log.warn("Resume data of {} holds a piece layer that does not fit: {}", infoHash, e.getMessage());
            }
        }
    }

    /** The verified pieces as a fresh bitfield. */
    public Bitfield verified() {
        return Bitfield.fromWire(verifiedWire, pieceCount);
    }

    /** The verified pieces whose data was not yet fsynced when this was saved. */
    public Bitfield unsynced() {
        return Bitfield.fromWire(unsyncedWire, pieceCount);
    }

    /**
     * The verified pieces whose bytes are surely on disk during boot {@code currentBoot}: all of them in
     * the boot that saved this (the page cache still holds what was not synced), only the fsynced ones
     * after a reboot or where the OS names no boot.
     */
    public Bitfield trustedIn(java.util.Optional<String> currentBoot) {
        Bitfield trusted = verified();
        if (currentBoot.filter(bootId::equals).isEmpty()) {
            Bitfield unsynced = unsynced();
            for (int p = unsynced.nextSet(0); p >= 0; p = unsynced.nextSet(p + 1)) {
                trusted.clear(p);
            }
        }
        return trusted;
    }

    @Override
    public byte[] unsyncedWire() {
        return unsyncedWire.clone();
    }

    @Override
    public byte[] verifiedWire() {
        return verifiedWire.clone();
    }

    @Override
    public byte[] infoBytes() {
        return infoBytes.clone();
    }
}
