package dev.magnetar.storage;

import dev.magnetar.metainfo.MetaVersion;

/**
 * Which hashes a torrent's verified pieces passed, as resume data records it: a piece counts as verified
 * after a restart only if it passed the hashes the torrent's version calls for.
 */
public enum VerifiedBy {
    /** The v1 SHA-1 of each piece (BEP 3). */
    SHA1("sha1"),
    /** The v2 SHA-256 merkle subtree of each piece (BEP 52). */
    MERKLE("merkle"),
    /** Both: a hybrid's pieces (BEP 52). */
    SHA1_AND_MERKLE("sha1+merkle");

    private final String key;

    VerifiedBy(String key) {
        this.key = key;
    }

    /** How this is written in resume data. */
    public String key() {
        return key;
    }

    /** What a torrent of {@code version} verifies its pieces with. */
    public static VerifiedBy of(MetaVersion version) {
        return switch (version) {
            case V1 -> SHA1;
            case V2 -> MERKLE;
            case HYBRID -> SHA1_AND_MERKLE;
        };
    }

    /** The value written as {@code key}, or null. */
    public static VerifiedBy fromKey(String key) {
        for (VerifiedBy v : values()) {
            if (v.key.equals(key)) {
                return v;
            }
        }
        return null;
    }

    /**
     * Whether pieces checked this way are verified for a torrent of {@code version}. A hybrid's pieces are
     * as good after SHA-1 alone (its v1 hashes name the same data, and resume data from before v2 support
     * recorded only that); a v2-only torrent needs the merkle check, a v1 one the SHA-1.
     */
    public boolean suffices(MetaVersion version) {
        return switch (version) {
            case V1, HYBRID -> this != MERKLE;
            case V2 -> this != SHA1;
        };
    }
}
