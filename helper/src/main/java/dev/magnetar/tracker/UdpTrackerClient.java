package dev.magnetar.tracker;

import dev.magnetar.metainfo.InfoHash;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces and scrapes over UDP (BEP 15) on Netty.
 *
 * <p>One datagram channel per client, shared by every UDP tracker it talks to: one socket and one port
 * for the whole session (as libtorrent does), and BEP 15's random transaction ids are exactly what lets
 * one socket tell the replies apart. A reply counts only if its transaction id is pending and it comes
 * from the address that transaction was sent to; anything else — unknown ids, other senders, packets
 * too short to decode, actions we did not ask for — is dropped and the retransmission timer covers it.
 *
 * <p>Retransmission follows BEP 15 (wait {@code base × 2^n}, n = 0, 1, ...), with the base configurable
 * so tests need not wait 15 s, and a cap on attempts: BEP 15's n up to 8 would hold a dead tracker for
 * over an hour, while BEP 12 tiers give a better tracker a chance sooner.
 */
public final class UdpTrackerClient implements TrackerClient, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UdpTrackerClient.class);

    /**
     * @param baseTimeout BEP 15's 15 seconds
     * @param maxAttempts sends of one request (connects included) before failing with a timeout
     * @param connectionIdLifetime BEP 15: a client may use a connection id for one minute
     * @param bindAddress local address of the shared socket; port 0 for any
     */
    public record Settings(Duration baseTimeout, int maxAttempts, Duration connectionIdLifetime,
            InetSocketAddress bindAddress) {

        public static final Settings DEFAULTS =
                new Settings(Duration.ofSeconds(15), 4, Duration.ofMinutes(1), new InetSocketAddress(0));

        public Settings {
            if (maxAttempts < 1 || baseTimeout.isNegative() || baseTimeout.isZero()) {
                throw new IllegalArgumentException("need a positive timeout and at least one attempt");
            }
        }
    }

    private record Pending(URI uri, InetSocketAddress tracker, int expectedAction, CompletableFuture<UdpTrackerResponse> reply) {}

    private record ConnectionId(long value, Instant expires) {}

    /** Internal marker: one attempt timed out; turned into {@link TrackerTimeoutException} after the last. */
    private static final class AttemptTimedOut extends Exception {
        AttemptTimedOut() {
            super(null, null, false, false);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final EventLoopGroup group;
    private final Channel channel;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, ConnectionId> connectionIds = new ConcurrentHashMap<>();

    public UdpTrackerClient(Settings settings, Clock clock) throws InterruptedException {
        this.settings = settings;
        this.clock = clock;
        this.group = new NioEventLoopGroup(1);
        try {
            this.channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                    .handler(new Inbound()).bind(settings.bindAddress()).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw e;
        }
    }

    public UdpTrackerClient() throws InterruptedException {
        this(Settings.DEFAULTS, Clock.systemUTC());
    }

    @Override
    public CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest r) {
        return resolve(tracker).thenCompose(address -> exchange(tracker, address, UdpTrackerCodec.ACTION_ANNOUNCE,
                (connectionId, tx) -> new UdpTrackerRequest.Announce(connectionId, tx, r.infoHash(), r.peerId(),
                        r.downloaded(), r.left(), r.uploaded(), r.event(), 0, r.key() == null ? 0 : r.key().hashCode(),
                        r.numWant() < 0 ? -1 : r.numWant(), r.port()), 0))
                .thenApply(reply -> {
                    UdpTrackerResponse.Announced a = (UdpTrackerResponse.Announced) reply;
                    return new AnnounceResponse(Math.max(0, a.intervalSeconds()), null, a.peers(),
                            a.seeders(), a.leechers(), null);
                });
    }

    @Override
    public CompletableFuture<ScrapeResponse> scrape(URI tracker, List<InfoHash> infoHashes) {
        List<InfoHash> asked = List.copyOf(infoHashes.subList(0, Math.min(infoHashes.size(), UdpTrackerCodec.MAX_SCRAPE_HASHES)));
        return resolve(tracker).thenCompose(address -> exchange(tracker, address, UdpTrackerCodec.ACTION_SCRAPE,
                (connectionId, tx) -> new UdpTrackerRequest.Scrape(connectionId, tx, asked), 0))
                .thenApply(reply -> {
                    List<SwarmCounts> counts = ((UdpTrackerResponse.Scraped) reply).counts();
                    Map<InfoHash, SwarmCounts> swarms = new HashMap<>();
                    for (int i = 0; i < Math.min(counts.size(), asked.size()); i++) {
                        swarms.put(asked.get(i), counts.get(i));
                    }
                    return new ScrapeResponse(swarms);
                });
    }

    private interface RequestFactory {
        UdpTrackerRequest create(long connectionId, int transactionId);
    }

    /**
     * One request with BEP 15 retransmission: attempt n gets a connection id (cached or fresh) and sends
     * the request, each step waiting at most base × 2^n; a timeout moves on to attempt n + 1.
     */
    private CompletableFuture<UdpTrackerResponse> exchange(URI tracker, InetSocketAddress address, int action,
            RequestFactory request, int attempt) {
        Duration timeout = settings.baseTimeout().multipliedBy(1L << Math.min(attempt, 8));
        CompletableFuture<UdpTrackerResponse> result = connectionId(tracker, address, timeout)
                .thenCompose(connectionId -> transact(tracker, address, action,
                        tx -> request.create(connectionId, tx), timeout));
        return result.handle((reply, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(reply);
            }
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (!(cause instanceof AttemptTimedOut)) {
                return CompletableFuture.<UdpTrackerResponse>failedFuture(cause);
            }
            if (attempt + 1 >= settings.maxAttempts()) {
                return CompletableFuture.<UdpTrackerResponse>failedFuture(new TrackerTimeoutException(tracker,
                        settings.maxAttempts() + " attempts, the last waiting " + timeout));
            }
            log.debug("no reply from {} within {}, retransmitting", tracker, timeout);
            return exchange(tracker, address, action, request, attempt + 1);
        }).thenCompose(f -> f);
    }

    private CompletableFuture<Long> connectionId(URI tracker, InetSocketAddress address, Duration timeout) {
        ConnectionId cached = connectionIds.get(address);
        if (cached != null && clock.instant().isBefore(cached.expires())) {
            return CompletableFuture.completedFuture(cached.value());
        }
        return transact(tracker, address, UdpTrackerCodec.ACTION_CONNECT, UdpTrackerRequest.Connect::new, timeout)
                .thenApply(reply -> {
                    long id = ((UdpTrackerResponse.Connected) reply).connectionId();
                    connectionIds.put(address, new ConnectionId(id, clock.instant().plus(settings.connectionIdLifetime())));
                    return id;
                });
    }

    /** Sends one packet under a fresh transaction id and waits for its reply or the timeout. */
    private CompletableFuture<UdpTrackerResponse> transact(URI tracker, InetSocketAddress address, int action,
            IntFunction<UdpTrackerRequest> request, Duration timeout) {
        if (!channel.isOpen()) {
            return CompletableFuture.failedFuture(new TrackerUnreachableException(tracker, "the UDP tracker client was closed", null));
        }
        CompletableFuture<UdpTrackerResponse> reply = new CompletableFuture<>();
        Pending p = new Pending(tracker, address, action, reply);
        int tx;
        do {
            tx = random.nextInt();
        } while (pending.putIfAbsent(tx, p) != null);
        int transactionId = tx;
        byte[] packet = UdpTrackerCodec.encode(request.apply(transactionId));
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(packet), address)).addListener(f -> {
            if (!f.isSuccess() && pending.remove(transactionId, p)) {
                reply.completeExceptionally(new TrackerUnreachableException(tracker, "cannot send: " + f.cause(), f.cause()));
            }
        });
        try {
            channel.eventLoop().schedule(() -> {
                if (pending.remove(transactionId, p)) {
                    reply.completeExceptionally(new AttemptTimedOut());
                }
            }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // close() raced with this request: the event loop is gone, and so is any reply.
            pending.remove(transactionId, p);
            return CompletableFuture.failedFuture(new TrackerUnreachableException(tracker, "the UDP tracker client was closed", closing));
        }
        return reply.thenCompose(r -> {
            if (r instanceof UdpTrackerResponse.Error e) {
                // The tracker may have forgotten our connection id; get a new one next time.
                connectionIds.remove(address);
                return CompletableFuture.failedFuture(new TrackerRefusedException(tracker, e.message()));
            }
            return CompletableFuture.completedFuture(r);
        });
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            byte[] bytes = ByteBufUtil.getBytes(packet.content());
            if (bytes.length < 8) {
                log.debug("dropping {}-byte packet from {}", bytes.length, packet.sender());
                return;
            }
            int tx = ((bytes[4] & 0xff) << 24) | ((bytes[5] & 0xff) << 16) | ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff);
            Pending p = pending.get(tx);
            if (p == null || !p.tracker().equals(packet.sender())) {
                log.debug("dropping packet from {} with unknown transaction id {}", packet.sender(), tx);
                return;
            }
            UdpTrackerResponse reply;
            try {
                reply = UdpTrackerCodec.decodeResponse(bytes,
                        p.tracker().getAddress() instanceof Inet6Address ? CompactPeers.IPV6_ENTRY : CompactPeers.IPV4_ENTRY);
            } catch (UdpPacketException e) {
                log.debug("dropping packet from {}: {}", packet.sender(), e.getMessage());
                return;
            }
            boolean expected = reply instanceof UdpTrackerResponse.Error
                    || (p.expectedAction() == UdpTrackerCodec.ACTION_CONNECT && reply instanceof UdpTrackerResponse.Connected)
                    || (p.expectedAction() == UdpTrackerCodec.ACTION_ANNOUNCE && reply instanceof UdpTrackerResponse.Announced)
                    || (p.expectedAction() == UdpTrackerCodec.ACTION_SCRAPE && reply instanceof UdpTrackerResponse.Scraped);
            if (!expected) {
                log.debug("dropping reply of the wrong action from {}", packet.sender());
                return;
            }
            if (pending.remove(tx, p)) {
                p.reply().complete(reply);
            }
        }
    }

    /** Resolves the tracker's host off the event loop (name lookups block). */
    private CompletableFuture<InetSocketAddress> resolve(URI tracker) {
        String scheme = tracker.getScheme() == null ? "" : tracker.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("udp")) {
            return CompletableFuture.failedFuture(new UnsupportedTrackerUrlException(tracker, "not a udp:// tracker"));
        }
        if (tracker.getHost() == null || tracker.getPort() <= 0) {
            return CompletableFuture.failedFuture(new UnsupportedTrackerUrlException(tracker, "udp trackers need host and port"));
        }
        return CompletableFuture.supplyAsync(() -> new InetSocketAddress(tracker.getHost(), tracker.getPort()))
                .thenCompose(address -> address.isUnresolved()
                        ? CompletableFuture.failedFuture(new TrackerUnreachableException(tracker, "cannot resolve " + tracker.getHost(), null))
                        : CompletableFuture.completedFuture(address));
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        List<Pending> left = new ArrayList<>(pending.values());
        pending.clear();
        left.forEach(p -> p.reply().completeExceptionally(
                new TrackerUnreachableException(p.uri(), "the UDP tracker client was closed", null)));
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
