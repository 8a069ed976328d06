package dev.magnetar.lsd;

import dev.magnetar.metainfo.InfoHash;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * BEP 14 local service discovery on IPv4: joins 239.192.152.143:6771 on the machine's multicast
 * interfaces, announces our torrents there ({@link LsdSchedule}: every 5 minutes each, at most one
 * datagram a minute) and reports peers that others announce ({@link LsdReceiver}). A random cookie in
 * every announce lets us drop our own looped-back datagrams.
 *
 * <p>Off in every test that is not about LSD: it talks to the LAN.
 */
public final class LocalServiceDiscovery implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalServiceDiscovery.class);

    public static final InetSocketAddress GROUP = new InetSocketAddress("239.192.152.143", 6771);
    public static final String HOST_HEADER = "239.192.152.143:6771";
    static final Duration MIN_GAP = Duration.ofMinutes(1);
    static final Duration SOURCE_GAP = Duration.ofSeconds(10);

    private final int listenPort;
    private final String cookie = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private final Set<InfoHash> active = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final LsdSchedule schedule;
    private final LsdReceiver receiver;
    private final Consumer<LsdReceiver.LocalPeer> found;
    private final Predicate<InfoHash> announceable;
    private EventLoopGroup group;
    private DatagramChannel channel;

    /**
     * @param listenPort our BitTorrent TCP port, put in every announce
     * @param found receives each peer announced for one of our torrents (on the LSD thread)
     * @param announceable asked before each announce whether a torrent may announce itself now: one
     *     stopped in error (its data gone, say) or paused must not tell the LAN to connect for pieces
     *     it will not serve; peers it hears of are still reported
     */
    public LocalServiceDiscovery(int listenPort, Duration perTorrentInterval, Clock clock,
            Consumer<LsdReceiver.LocalPeer> found, Predicate<InfoHash> announceable) {
        this.listenPort = listenPort;
        this.clock = clock;
        this.found = found;
        this.announceable = announceable;
        this.schedule = new LsdSchedule(perTorrentInterval, MIN_GAP, LsdCodec.maxInfoHashesPerDatagram(HOST_HEADER, cookie));
        this.receiver = new LsdReceiver(cookie, SOURCE_GAP, active::contains);
    }

    /**
     * Binds UDP 6771 (shared with other clients on this machine) and joins the group on every
     * multicast-capable IPv4 interface. Failing that, LSD stays off and the reason is logged: it is a
     * bonus peer source, never a reason to refuse to start.
     */
    public synchronized boolean start() {
        List<NetworkInterface> interfaces = multicastInterfaces();
        if (interfaces.isEmpty()) {
            log.info("LSD off: no multicast-capable network interface");
            return false;
        }
        EventLoopGroup g = new NioEventLoopGroup(1, new DefaultThreadFactory("magnetar-lsd", true));
        try {
            DatagramChannel ch = (DatagramChannel) new Bootstrap().group(g)
                    .channelFactory(() -> new NioDatagramChannel(InternetProtocolFamily.IPv4))
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .option(ChannelOption.IP_MULTICAST_TTL, 2) // BEP 14: the groups reach beyond one link
                    .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                            for (LsdReceiver.LocalPeer peer : receiver.receive(ByteBufUtil.getBytes(p.content()), p.sender(), clock.instant())) {
                                found.accept(peer);
                            }
                        }
                    })
                    .bind(new InetSocketAddress(GROUP.getPort())).sync().channel();
            for (NetworkInterface ni : interfaces) {
                ch.joinGroup(GROUP, ni).sync();
            }
            group = g;
            channel = ch;
            ch.eventLoop().scheduleAtFixedRate(this::announceDue, 1, 5, TimeUnit.SECONDS);
            log.info("LSD listening on {} ({} interfaces)", GROUP, interfaces.size());
            return true;
        } catch (Exception e) { // Netty rethrows bind/join failures undeclared from sync()
            log.info("LSD off: cannot join {}: {}", GROUP, e.toString());
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            return false;
        }
    }

    private static List<NetworkInterface> multicastInterfaces() {
        List<NetworkInterface> out = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && ni.supportsMulticast() && !ni.isLoopback()
                        && Collections.list(ni.getInetAddresses()).stream().anyMatch(a -> a instanceof java.net.Inet4Address)) {
                    out.add(ni);
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces: {}", e.toString());
        }
        return out;
    }

    public void add(InfoHash h) {
        active.add(h);
        DatagramChannel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> schedule.add(h));
        }
    }

    public void remove(InfoHash h) {
        active.remove(h);
        DatagramChannel ch = channel;
        if (ch != null) {
            ch.eventLoop().execute(() -> schedule.remove(h));
        }
    }

    private void announceDue() {
        byte[] datagram = datagramDue(clock.instant());
        if (datagram != null) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), GROUP));
        }
    }

    /** The BEP 14 announce to multicast at {@code now}, one {@code Infohash} line per due info-hash; null if none is due. */
    public byte[] datagramDue(Instant now) {
        List<InfoHash> due = dueAnnounces(now);
        if (due.isEmpty() || listenPort < 1) {
            return null;
        }
        return LsdCodec.encode(new LsdAnnounce(HOST_HEADER, listenPort, due, cookie));
    }

    /**
     * The info-hashes to announce at {@code now}: the active torrents that may announce themselves, as
     * the schedule spaces them. One that may not leaves the schedule and comes back as never announced,
     * so it is announced soon after it may again (resumed, or out of error).
     */
    List<InfoHash> dueAnnounces(Instant now) {
        for (InfoHash h : active) {
            if (announceable.test(h)) {
                schedule.add(h);
            } else {
                schedule.remove(h);
            }
        }
        return schedule.due(now);
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            channel = null;
        }
    }
}
