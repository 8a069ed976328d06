package dev.magnetar.engine;

import dev.magnetar.wire.utp.UtpChannel;
import dev.magnetar.wire.utp.UtpMultiplexer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's uTP side: a UDP socket on the same port number as the TCP listener (peers learn one
 * port from trackers, the DHT and PEX, and BEP 29 peers dial uTP there), with a {@link UtpMultiplexer}
 * on it. The socket runs on one of the engine's own peer loops, not a thread of its own: every uTP
 * connection's state machine runs on the socket's loop, and with the engine's one peer loop (its
 * default) that is the torrents' loop too, so a uTP peer's events need no hop between threads, as a
 * TCP peer's do not. With a thread of its own, every few datagrams cost a cross-thread wake-up each way
 * (the blocks going to the torrent, the requests coming back) and a selector wake-up of their own: in
 * bench/swarm --utp that thread took 4.7 s of CPU for 256 MiB, where the shared loop now takes 1.2–1.6 s.
 */
final class UtpEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(UtpEndpoint.class);

    private final Channel udp;
    private final UtpMultiplexer multiplexer;

    private UtpEndpoint(Channel udp, UtpMultiplexer multiplexer) {
        this.udp = udp;
        this.multiplexer = multiplexer;
    }

    /**
     * Binds UDP {@code address} on {@code loop} (of {@code transport}); null (logged) when the port is
     * taken, and the engine runs on TCP alone.
     */
    static UtpEndpoint bind(InetSocketAddress address, Consumer<UtpChannel> acceptor, PeerTransport transport,
                            EventLoop loop) {
        UtpMultiplexer mux = new UtpMultiplexer(acceptor);
        try {
            Bootstrap b = new Bootstrap().group(loop).channel(transport.datagramChannel())
                    .option(ChannelOption.SO_RCVBUF, 4 << 20) // bursts of a fast peer; the kernel caps it at rmem_max
                    .handler(mux);
            Channel ch = UtpMultiplexer.readOptions(b, transport == PeerTransport.EPOLL).bind(address).sync().channel();
            log.info("uTP listening on UDP {} ({})", ch.localAddress(), transport.name());
            return new UtpEndpoint(ch, mux);
        } catch (Exception e) { // Netty rethrows bind failures undeclared from sync()
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

    /** Closes the socket; the loop is the engine's, which shuts it down. */
    @Override
    public void close() {
        udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
