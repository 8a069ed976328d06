package dev.magnetar.metainfo;

import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.function.LongConsumer;

/**
 * Hashes one file for a BEP 52 torrent in a single front-to-back read: the SHA-256 of each 16 KiB block
 * (the leaves of the file's merkle tree, from which its pieces root and piece layer come) and, for a
 * hybrid, the SHA-1 of each of the file's pieces, the last one filled with the zeros of the pad file that
 * follows it (BEP 47) when {@code padLastPiece} is set.
 */
final class FileTreeHasher {

    /** What one file hashed to. */
    record Hashed(byte[] piecesRoot, byte[] pieceLayer, byte[] sha1Pieces) {}

    private FileTreeHasher() {}

    /**
     * @param alreadyHashed bytes of earlier files, so that {@code progress} hears a running total
     */
    static Hashed hash(Path file, long length, int pieceLength, boolean withSha1, boolean padLastPiece, long alreadyHashed,
            LongConsumer progress) throws TorrentCreationException {
        MessageDigest sha256 = MerkleTree.sha256();
        MessageDigest sha1 = MerkleTree.sha1();
        int blocks = MerkleTree.blocksIn(length);
        byte[] leaves = new byte[blocks * MerkleTree.HASH_SIZE];
        ByteArrayOutputStream sha1Pieces = new ByteArrayOutputStream();
        byte[] block = new byte[MerkleTree.BLOCK_SIZE];
        long read = 0;
        long inPiece = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int b = 0; b < blocks; b++) {
                int want = (int) Math.min(MerkleTree.BLOCK_SIZE, length - read);
                int n = in.readNBytes(block, 0, want);
                if (n != want) {
                    throw changed(file);
                }
                sha256.update(block, 0, n);
                sha256.digest(leaves, b * MerkleTree.HASH_SIZE, MerkleTree.HASH_SIZE);
                if (withSha1) {
                    sha1.update(block, 0, n);
                    inPiece += n;
                    if (inPiece == pieceLength) {
                        sha1Pieces.writeBytes(sha1.digest());
                        inPiece = 0;
                    }
                }
                read += n;
                progress.accept(alreadyHashed + read);
            }
            if (in.read() >= 0) {
                throw changed(file);
            }
        } catch (IOException e) {
            throw new TorrentCreationException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 writes 32 bytes", e);
        }
        if (withSha1 && inPiece > 0) {
            if (padLastPiece) {
                sha1.update(new byte[(int) (pieceLength - inPiece)]);
            }
            sha1Pieces.writeBytes(sha1.digest());
        }
        int pieces = (int) ((length + pieceLength - 1) / pieceLength);
        int leavesPerPiece = pieceLength / MerkleTree.BLOCK_SIZE;
        // BEP 52: the tree is at least a piece wide when the file spans pieces, so the piece layer exists in it.
        MerkleTree tree = MerkleTree.ofBlockHashes(leaves, pieces > 1 ? leavesPerPiece : 1);
        byte[] layer = null;
        if (pieces > 1) {
            byte[] full = tree.layer(MerkleTree.heightOfPieceLayer(pieceLength));
            layer = java.util.Arrays.copyOf(full, pieces * MerkleTree.HASH_SIZE);
        }
        return new Hashed(tree.root(), layer, sha1Pieces.toByteArray());
    }

    private static TorrentCreationException changed(Path file) {
        return new TorrentCreationException(file + " changed size while it was being hashed; try again when nothing is"
                + " writing to it");
    }
}
