package dev.magnetar.engine;

/**
 * Where blocks come from, as the {@link PiecePicker} and {@link PieceCompletion} see it: a peer
 * ({@link PeerConnection}) or a web seed ({@link WebSeed}, BEP 19). Both book blocks in the same
 * picker and feed the same assemblies, so a piece may be finished by one that another started, and a
 * failed hash check is charged to whichever sent its blocks.
 *
 * <p>Every method is called on the torrent's event loop.
 */
interface PieceSource {

    /** Who it is for strikes and bans (see {@link BanList}). */
    PeerIdentity identity();

    /** The block is no longer wanted from it (it arrived elsewhere, or its piece is done). */
    void cancel(BlockRequest block);

    /** Sends what is queued for it. */
    void flush();

    /** It broke the rules: dropped, and not used again. */
    void violation(String why);

    void close(String why);

    /** Asks it for more blocks, if it has some we want and room for them. */
    void fillRequests();

    /** Stops (or resumes) taking data from it while the disk is behind. */
    void setDiskThrottled(boolean throttled);
}
