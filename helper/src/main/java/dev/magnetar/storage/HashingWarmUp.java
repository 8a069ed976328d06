package dev.magnetar.storage;

/**
 * Hashes a few MiB of zeros on the hashing pool so that the JIT compiles the JDK's SHA-1 (with its
 * CPU intrinsic, SHA-NI or AVX2) before the first real piece needs it.
 *
 * <p>Until C2 has compiled {@code DigestBase.implCompressMultiBlock0}, the JDK hashes in interpreted
 * or C1 code at ~155 MiB/s instead of ~1.5 GiB/s, and a fresh JVM reached that point only ~0.3 s into
 * a fast download, after 100 MiB or so had been hashed the slow way while C2 was busy with the
 * receive path. Of 4, 8 and 16 MiB, JFR's compilation events show 16 MiB as the smallest warm-up
 * after which every SHA-1 compilation is done within ~0.1 s (with 4 or 8 MiB the multi-block loop was
 * still compiled during the download). Measured with bench/swarm's 1 GiB loopback download in a fresh JVM, 12 alternating
 * pairs: 0.25 s less CPU per download and 3–5 % faster. The cost is ~0.1 s of one hashing thread
 * once per engine.
 */
final class HashingWarmUp implements Runnable {

    static final int MEBIBYTES = 16;

    @Override
    public void run() {
        byte[] zeros = new byte[1 << 20];
        for (int i = 0; i < MEBIBYTES; i++) {
            Sha1.of(zeros); // the same call path as piece verification, so the JIT's profile matches it
        }
    }
}
