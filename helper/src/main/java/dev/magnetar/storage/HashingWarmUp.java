package dev.magnetar.storage;

import dev.magnetar.metainfo.MerkleTree;

/**
 * Hashes a few MiB of zeros on the hashing pool so that the JIT compiles a piece check's digest (with
 * its CPU intrinsic, SHA-NI or AVX2) before the first real piece needs it. Each digest warms up apart:
 * SHA-1 for v1 pieces (BEP 3), SHA-256 over 16 KiB blocks for v2 pieces (BEP 52).
 *
 * <p>Until C2 has compiled {@code DigestBase.implCompressMultiBlock0}, the JDK hashes in interpreted
 * or C1 code at ~155 MiB/s instead of ~1.5 GiB/s, and a fresh JVM reached that point only ~0.3 s into
 * a fast download, after 100 MiB or so had been hashed the slow way while C2 was busy with the
 * receive path. Of 4, 8 and 16 MiB, JFR's compilation events show 16 MiB as the smallest warm-up
 * after which every SHA-1 compilation is done within ~0.1 s (with 4 or 8 MiB the multi-block loop was
 * still compiled during the download). Measured with bench/swarm's 1 GiB loopback download in a fresh JVM, 12 alternating
 * pairs: 0.25 s less CPU per download and 3–5 % faster. The cost is ~0.1 s of one hashing thread
 * once per engine and digest.
 *
 * <p>Warming SHA-1 does not warm SHA-256: each algorithm's compression function is its own code for the
 * JIT, so a v2 download in an engine that had warmed only SHA-1 hashed its first pieces in SHA-256's
 * uncompiled Java code (bench/README.md, "`--v2` at 1 GiB", has the profile).
 */
final class HashingWarmUp implements Runnable {

    /** The digests a piece check uses. */
    enum Digest {
        SHA1,
        MERKLE_SHA256
    }

    static final int MEBIBYTES = 16;

    private final Digest digest;

    HashingWarmUp(Digest digest) {
        this.digest = digest;
    }

    @Override
    public void run() {
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < MEBIBYTES; i++) {
            // The same call paths as piece verification, so that the JIT's profile matches them.
            if (digest == Digest.SHA1) {
                Sha1.of(zeros);
            } else {
                MerkleTree.subtreeRoot(zeros, 0, zeros.length, zeros.length / MerkleTree.BLOCK_SIZE);
            }
        }
    }
}
