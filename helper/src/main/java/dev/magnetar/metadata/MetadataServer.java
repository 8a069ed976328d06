package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Answers BEP 9 requests from the verified info dictionary: a {@code Data} message with the 16 KiB
 * piece (the last one shorter), or a {@code Reject} when we have no metadata yet, the index is outside
 * it, or the peer asks faster than its allowance. The allowance is a per-peer rate with a burst, so a
 * peer can fetch a normal torrent's metadata in one go but cannot turn us into a bandwidth amplifier.
 *
 * <p>Thread-safe. Whether to serve at all (not for private torrents) is decided by
 * {@link UtMetadataExtension}.
 */
public final class MetadataServer {

    /**
     * @param piecesPerSecond sustained pieces per second per peer (32 = 512 KiB/s)
     * @param burstPieces pieces a peer may ask for at once above the sustained rate
     */
    public record Options(int piecesPerSecond, int burstPieces) {
        public Options {
            if (piecesPerSecond <= 0 || burstPieces < 0) {
                throw new IllegalArgumentException("rates must be positive");
            }
        }

        public static Options defaults() {
            return new Options(32, 64);
        }
    }

    private final Clock clock;
    private final Duration interval;
    private final Duration burst;
    private volatile byte[] metadata;
    /** Per peer: the earliest time the next piece is "due" (generic cell rate algorithm). */
    private final Map<ExtensionPeer, Instant> due = new HashMap<>();

    public MetadataServer(Clock clock, Options options) {
        this.clock = Objects.requireNonNull(clock);
        this.interval = Duration.ofSeconds(1).dividedBy(options.piecesPerSecond());
        this.burst = interval.multipliedBy(options.burstPieces());
    }

    /** Makes {@code verifiedInfoBytes} available; it must already match the info-hash. */
    public void setMetadata(byte[] verifiedInfoBytes) {
        if (verifiedInfoBytes.length == 0) {
            throw new IllegalArgumentException("metadata cannot be empty");
        }
        metadata = verifiedInfoBytes.clone();
    }

    /** Size for {@code metadata_size} in our extension handshake; empty until we have metadata. */
    public OptionalInt metadataSize() {
        byte[] m = metadata;
        return m == null ? OptionalInt.empty() : OptionalInt.of(m.length);
    }

    /** The answer to {@code peer} asking for {@code piece}; counts against the peer's allowance. */
    public UtMetadataMessage answer(ExtensionPeer peer, int piece) {
        byte[] m = metadata;
        if (m == null || piece < 0 || piece >= UtMetadataMessage.pieceCount(m.length) || !allowed(peer)) {
            return new UtMetadataMessage.Reject(Math.max(piece, 0));
        }
        int from = piece * UtMetadataMessage.PIECE_LENGTH;
        byte[] data = Arrays.copyOfRange(m, from, from + UtMetadataMessage.pieceLength(m.length, piece));
        return new UtMetadataMessage.Data(piece, m.length, data);
    }

    /** Answers a request and sends the answer, if the peer told us its ut_metadata id. */
    public void serve(ExtensionPeer peer, UtMetadataMessage.Request request) {
        OptionalInt id = peer.remoteId(MetadataFetcher.EXTENSION);
        if (id.isEmpty()) {
            return; // BEP 10: we may only send it messages it enabled
        }
        peer.sendExtended(id.getAsInt(), UtMetadataCodec.encode(answer(peer, request.piece())));
    }

    public synchronized void peerGone(ExtensionPeer peer) {
        due.remove(peer);
    }

    private synchronized boolean allowed(ExtensionPeer peer) {
        Instant now = clock.instant();
        Instant tat = due.getOrDefault(peer, now);
        if (tat.isBefore(now)) {
            tat = now;
        }
        if (tat.minus(burst).isAfter(now)) {
            return false;
        }
        due.put(peer, tat.plus(interval));
        return true;
    }
}
