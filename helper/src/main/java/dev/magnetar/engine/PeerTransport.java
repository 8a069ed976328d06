package dev.magnetar.engine;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.function.IntFunction;

/**
 * The Netty transport that carries peer connections: native epoll on Linux where Netty's bundled
 * library loads (x86-64 and aarch64 ship in the jar), Java NIO everywhere else.
 *
 * <p>Why epoll: the peer wire is the engine's hottest path, and on a fresh JVM the NIO path (selector
 * key sets, {@code SocketChannelImpl} reads, {@code sun.nio.ch} locks) is also Java code the JIT has to
 * compile while the download runs. Epoll does those steps in native code and reads straight into
 * pooled direct buffers (bench/README.md has the figures). Channels and event loops must come from
 * the same transport, so everything that opens a peer socket asks this class.
 *
 * @param name what logs and benchmarks print
 */
record PeerTransport(String name, IntFunction<EventLoopGroup> groups,
                     Class<? extends SocketChannel> socketChannel,
                     Class<? extends ServerSocketChannel> serverChannel) {

    static final PeerTransport NIO = new PeerTransport("nio", NioEventLoopGroup::new,
            NioSocketChannel.class, NioServerSocketChannel.class);

    static final PeerTransport EPOLL = new PeerTransport("epoll", EpollEventLoopGroup::new,
            EpollSocketChannel.class, EpollServerSocketChannel.class);

    /**
     * Epoll when it is available and not turned off with {@code -Dmagnetar.peerTransport=nio} (a way
     * out should a kernel or libc misbehave with the native library), NIO otherwise.
     */
    static PeerTransport best() {
        if ("nio".equals(System.getProperty("magnetar.peerTransport"))) {
            return NIO;
        }
        return Epoll.isAvailable() ? EPOLL : NIO;
    }

    EventLoopGroup newGroup(int threads) {
        return groups.apply(threads);
    }
}
