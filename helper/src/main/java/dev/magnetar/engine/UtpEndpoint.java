package dev.magnetar.engine;

import dev.magnetar.wire.utp.UtpChannel;
import dev.magnetar.wire.utp.UtpMultiplexer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's uTP side: a UDP socket on the same port number as the TCP listener (peers learn one
 * port from trackers, the DHT and PEX, and BEP 29 peers dial uTP there), with a {@link UtpMultiplexer}
 * on it. One thread of its own: every uTP connection's state machine runs on the socket's loop, and
 * the peer handler hops to the torrent's loop as it does for TCP connections accepted elsewhere.
 */
final class UtpEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UtpEndpoint.class);

    private final EventLoopGroup group;
    private final Channel udp;
    private final UtpMultiplexer multiplexer;

    private UtpEndpoint(EventLoopGroup group, Channel udp, UtpMultiplexer multiplexer) {
        this.group = group;
        this.udp = udp;
        this.multiplexer = multiplexer;
    }

    /** Binds UDP {@code address}; null (logged) when the port is taken, and the engine runs on TCP alone. */
    static UtpEndpoint bind(InetSocketAddress address, Consumer<UtpChannel> acceptor) {
        EventLoopGroup g = new NioEventLoopGroup(1, new DefaultThreadFactory("magnetar-utp", true));
        UtpMultiplexer mux = new UtpMultiplexer(acceptor);
        try {
            Channel ch = new Bootstrap().group(g).channel(NioDatagramChannel.class)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, UtpMultiplexer.DATAGRAM_BUFFERS)
                    .option(ChannelOption.SO_RCVBUF, 4 << 20) // bursts of a fast peer; the kernel caps it at rmem_max
                    .handler(mux)
                    .bind(address).sync().channel();
            log.info("uTP listening on UDP {}", ch.localAddress());
            return new UtpEndpoint(g, ch, mux);
        } catch (Exception e) { // Netty rethrows bind failures undeclared from sync()
            g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            log.warn("uTP off: cannot bind UDP {} ({}); peers connect over TCP only", address, e.toString());
            return null;
        }
    }

    UtpMultiplexer multiplexer() {
        return multiplexer;
    }

    /** The UDP socket, for the DHT node to share: the multiplexer passes it every datagram that is not uTP. */
    Channel channel() {
        return udp;
    }

    @Override
    public void close() {
        udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
