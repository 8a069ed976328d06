package dev.magnetar.engine;

/**
 * The engine's seam for a per-torrent economy — the speed extension's paid slots (issue 7). The
 * engine knows nothing of bids, receipts or chains; it calls these hooks at the points where that
 * logic needs the engine: the choker's reserved-slot step, right after each rechoke (before any
 * choke/unchoke goes out, so {@code bid_result}s precede the bytes at new terms), every piece written
 * to or read from a peer in stream order, and the torrent's end. All calls come from the torrent's
 * event loop and must not block; anything slow (a blockchain) belongs on the implementation's own
 * executor.
 */
public interface TorrentEconomy {

    /** Builds the economy of one torrent; called once in the torrent's constructor, before any peer connects. */
    @FunctionalInterface
    interface Factory {
        TorrentEconomy attach(Torrent torrent);
    }

    /** Plain BitTorrent: no paid slots, nothing metered. */
    TorrentEconomy NONE = new TorrentEconomy() {};

    /** How many of the choker's regular slots {@link #reservedSlots()} may take. */
    default int paidSlots() {
        return 0;
    }

    default ReservedSlots<PeerConnection> reservedSlots() {
        return ReservedSlots.none();
    }

    /** The choker just ran; tell peers their new terms now, before any choke/unchoke or piece goes out. */
    default void afterRechoke() {}

    /**
     * Whether {@code peer} holds a paid slot right now. A capped upload serves such peers first (see
     * {@link #unpaidUploadPercent()}).
     */
    default boolean holdsPaidSlot(PeerConnection peer) {
        return false;
    }

    /**
     * The rate {@code holder} pays for its paid slot (base units per GiB, &gt; 0): holders share the paid
     * part of a capped upload in proportion to it, so a higher bid buys more (mg_speed §5.1). Equal by default.
     */
    default java.math.BigInteger paidSlotRate(PeerConnection holder) {
        return java.math.BigInteger.ONE;
    }

    /** Whether any peer holds a paid slot right now. */
    default boolean anyPaidSlot() {
        return false;
    }

    /**
     * While any paid slot is held and the upload is capped, peers without one together get at most this
     * percentage of the cap (never 0, so nobody is starved); 100 = no preference.
     */
    default int unpaidUploadPercent() {
        return 100;
    }

    /** A piece message's block of {@code bytes} was just written to {@code peer}. */
    default void pieceSent(PeerConnection peer, int bytes) {}

    /**
     * A block of {@code piece}, {@code bytes} long, that we had asked {@code peer} for was just read
     * from it, for the first time (unrequested and repeated blocks never get here).
     */
    default void pieceReceived(PeerConnection peer, int piece, int bytes) {}

    /**
     * {@code piece} passed its hash check; {@code everyWantedPieceVerified} when it was the last one the
     * torrent wanted. Called before any peer hears of the piece (its HAVE): a seeder that hangs up on
     * seeing us complete is still connected, so what is owed for the last bytes can be acknowledged.
     */
    default void pieceVerified(int piece, boolean everyWantedPieceVerified) {}

    /** {@code piece} failed its hash check; its data is thrown away. */
    default void pieceFailed(int piece) {}

    /** Every wanted piece is verified. */
    default void completed() {}

    /** The torrent is closing (removed, or the engine shuts down). */
    default void stopped() {}

    /** What the API shows; null when there is nothing to show. */
    default BoostStatus status() {
        return null;
    }

    /** The lowest ask (base units per GiB) among the sellers connected now; empty when none sells. */
    default java.util.Optional<java.math.BigInteger> lowestSellerAsk() {
        return java.util.Optional.empty();
    }

    /**
     * Why a boost of {@code capBaseUnits} at up to {@code ratePerGiB} could buy nothing from the sellers
     * connected now (in words that say what to raise), or empty when it could or nothing is known.
     */
    default java.util.Optional<String> boostRefusal(java.math.BigInteger capBaseUnits, java.math.BigInteger ratePerGiB) {
        return java.util.Optional.empty();
    }
}
