package dev.magnetar.speed;

import dev.magnetar.wire.ExtensionHandler;
import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wire.ExtensionHandshake;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code mg_speed} BEP 10 extension of one torrent (protocol-spec/speed-extension.md) on the
 * engine's extension seam: it advertises our {@link SpeedHandshake}, turns each peer that answers with
 * a compatible one into a {@link SpeedPeer}, and routes decoded messages to the seller side
 * ({@link SeedingSpeed}) and the buyer side ({@link BoostedDownload}). Peers without the extension
 * never get here, so they are served exactly as before (spec §1).
 *
 * <p>Called on the torrent's event loop, in stream order; bids, bid results and receipts are handled
 * there, in that order with the piece bytes (spec §4.1 metering boundary). Payment notices need the
 * chain, so they go to the chain executor.
 */
public final class MgSpeedExtension implements ExtensionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MgSpeedExtension.class);

    private final SpeedHandshake ours;
    private final SeedingSpeed seeding;
    private final BoostedDownload download;
    private final Executor chain;
    private final Runnable auctionChanged;
    private final Runnable everySecond;
    private final Map<ExtensionPeer, WirePeer> peers = new ConcurrentHashMap<>();
    /** Tests only: lets a test turn this peer into a cheating payer (replays, fake proofs). */
    private volatile Function<SpeedMessage, List<SpeedMessage>> outgoing = List::of;

    /**
     * @param chain where payment notices are checked (single thread, may block)
     * @param auctionChanged a new bid arrived: the torrent may want a choke round now
     * @param everySecond the engine's once-a-second extension tick
     */
    public MgSpeedExtension(SpeedHandshake ours, SeedingSpeed seeding, BoostedDownload download, Executor chain,
                            Runnable auctionChanged, Runnable everySecond) {
        this.ours = Objects.requireNonNull(ours, "ours");
        this.seeding = Objects.requireNonNull(seeding, "seeding");
        this.download = Objects.requireNonNull(download, "download");
        this.chain = Objects.requireNonNull(chain, "chain");
        this.auctionChanged = Objects.requireNonNull(auctionChanged, "auctionChanged");
        this.everySecond = Objects.requireNonNull(everySecond, "everySecond");
    }

    @Override
    public String name() {
        return SpeedHandshake.EXTENSION_NAME;
    }

    @Override
    public void contributeTo(ExtensionHandshake.Builder builder) {
        builder.other(SpeedHandshake.EXTENSION_NAME, ours.toBencode());
    }

    @Override
    public void peerHandshake(ExtensionPeer peer, ExtensionHandshake theirs) {
        if (peers.containsKey(peer)) {
            return; // spec H4: a connection's address is fixed; later handshakes change nothing here
        }
        Optional<SpeedHandshake> hs = SpeedHandshake.from(theirs);
        if (hs.isEmpty()) {
            return; // spec H3: no or a malformed mg_speed entry = a peer without the extension
        }
        WirePeer wp = new WirePeer(this, peer, hs.get().address());
        peers.put(peer, wp);
        boolean sells = seeding.onHandshake(wp, hs.get());
        boolean buys = download.onHandshake(wp, hs.get());
        LOG.debug("{} speaks mg_speed: we may sell to it {}, buy from it {}", wp.describe(), sells, buys);
    }

    @Override
    public void message(ExtensionPeer peer, byte[] payload) {
        WirePeer wp = peers.get(peer);
        if (wp == null) {
            return; // it never offered a usable handshake; spec H3 says treat it as not speaking mg_speed
        }
        Optional<SpeedMessage> decoded;
        try {
            decoded = SpeedCodec.decode(payload);
        } catch (MalformedSpeedMessageException e) {
            // Spec §4: drop it, MAY answer MALFORMED, MUST NOT drop the connection.
            wp.send(SpeedMessage.Error.of(SpeedErrorCode.MALFORMED, e.getMessage()));
            return;
        }
        if (decoded.isEmpty()) {
            return; // an unknown msg_type: ignored for forward compatibility (spec §4)
        }
        SpeedMessage m = decoded.get();
        if (m instanceof SpeedMessage.Payment) {
            chain.execute(() -> seeding.onMessage(wp, m));
        } else {
            seeding.onMessage(wp, m);
            download.onMessage(wp, m);
            if (m instanceof SpeedMessage.Bid && seeding.sellsSlots()) {
                auctionChanged.run();
            }
        }
    }

    @Override
    public void peerGone(ExtensionPeer peer) {
        WirePeer wp = peers.remove(peer);
        if (wp != null) {
            seeding.onDisconnect(wp);
            download.onDisconnect(wp);
        }
    }

    @Override
    public void tick() {
        everySecond.run();
    }

    /** The speed view of an engine peer; null when it does not trade with us. */
    public WirePeer speedPeerOf(ExtensionPeer peer) {
        return peer == null ? null : peers.get(peer);
    }

    /** Tests only: rewrites (or drops) every message this side sends. */
    void tamperWithOutgoing(Function<SpeedMessage, List<SpeedMessage>> rewrite) {
        outgoing = Objects.requireNonNull(rewrite, "rewrite");
    }

    /** A {@link SpeedPeer} over one BEP 10 connection; identity equality (one per connection). */
    public static final class WirePeer implements SpeedPeer {
        private final MgSpeedExtension extension;
        private final ExtensionPeer peer;
        private final TronAddress address;

        WirePeer(MgSpeedExtension extension, ExtensionPeer peer, TronAddress address) {
            this.extension = extension;
            this.peer = peer;
            this.address = address;
        }

        /** The peer's TRON address from its handshake. */
        public TronAddress address() {
            return address;
        }

        @Override
        public void send(SpeedMessage message) {
            // BEP 10: sent under the id the receiver assigned to mg_speed in its handshake.
            for (SpeedMessage m : extension.outgoing.apply(message)) {
                peer.remoteId(SpeedHandshake.EXTENSION_NAME).ifPresent(id -> peer.sendExtended(id, SpeedCodec.encode(m)));
            }
        }

        @Override
        public String describe() {
            return peer.address() + " (" + address + ")";
        }
    }
}
