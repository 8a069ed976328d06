package dev.magnetar.metainfo;

/** Which BitTorrent metadata versions a torrent carries (BEP 3 v1, BEP 52 v2, or both: a hybrid). */
public enum MetaVersion {
    /** Only the v1 "pieces"/"files" layout: identified by the SHA-1 info-hash. */
    V1,
    /** Both layouts describing the same files (BEP 52 "hybrid"): in two swarms, its pieces checked by both hashes. */
    HYBRID,
    /** Only the v2 "file tree": identified by the SHA-256 info-hash; its pieces checked by their merkle roots. */
    V2;

    public boolean hasV1() {
        return this != V2;
    }

    public boolean hasV2() {
        return this != V1;
    }
}
