package dev.magnetar.wallet;

/**
 * scrypt cost parameters (RFC 7914), stored in the keystore file so a file says how to open itself.
 * The default N = 2^17, r = 8, p = 1 costs 128 MiB and roughly a second — the level geth/web3
 * keystores call "standard". Lower costs exist for tests only; upper bounds keep a hostile file from
 * making us allocate gigabytes.
 */
public record ScryptParams(int n, int r, int p) {

    public static final ScryptParams DEFAULT = new ScryptParams(1 << 17, 8, 1);

    private static final int MAX_N = 1 << 20;
    private static final int MAX_R = 32;
    private static final int MAX_P = 16;

    public ScryptParams {
        if (n < 2 || n > MAX_N || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("scrypt N must be a power of two between 2 and 2^20, got " + n);
        }
        if (r < 1 || r > MAX_R) {
            throw new IllegalArgumentException("scrypt r must be between 1 and " + MAX_R + ", got " + r);
        }
        if (p < 1 || p > MAX_P) {
            throw new IllegalArgumentException("scrypt p must be between 1 and " + MAX_P + ", got " + p);
        }
    }

    /** The work array scrypt allocates: N blocks of 128·r bytes (RFC 7914, section 5). */
    public long memoryBytes() {
        return 128L * n * r;
    }
}
