package dev.magnetar.engine;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.function.IntFunction;

/**
 * The Netty transport that carries peer connections: native epoll on Linux where Netty's bundled
 * library loads (x86-64 and aarch64 ship in the jar), Java NIO everywhere else.
 *
 * <p>Why epoll: the peer wire is the engine's hottest path, and on a fresh JVM the NIO path (selector
 * key sets, {@code SocketChannelImpl} reads, {@code sun.nio.ch} locks) is also Java code the JIT has to
 * compile while the download runs. Epoll does those steps in native code (bench/README.md has the
 * figures: about 7 % less engine time per GiB in 3 pairs). Channels and event loops must come from
 * the same transport, so everything that opens a peer socket asks this class, the uTP endpoint's UDP
 * socket among them.
 *
 * <p>It also says how much one socket read may take: see {@link #READ_SIZES}.
 *
 * @param name what logs and benchmarks print
 */
record PeerTransport(String name, IntFunction<EventLoopGroup> groups,
                     Class<? extends SocketChannel> socketChannel,
                     Class<? extends ServerSocketChannel> serverChannel,
                     Class<? extends DatagramChannel> datagramChannel) {

    static final PeerTransport NIO = new PeerTransport("nio", NioEventLoopGroup::new,
            NioSocketChannel.class, NioServerSocketChannel.class, NioDatagramChannel.class);

    static final PeerTransport EPOLL = new PeerTransport("epoll", EpollEventLoopGroup::new,
            EpollSocketChannel.class, EpollServerSocketChannel.class, EpollDatagramChannel.class);

    /**
     * Sizes of the buffers a peer socket reads into: Netty's adaptive guess (it grows after reads that
     * filled the buffer and shrinks after small ones, so an idle or slow peer keeps a small buffer),
     * with the ceiling raised from Netty's 64 KiB to 256 KiB (16 blocks). Every read runs the decoder,
     * the per-read request refill and one event-loop wake-up, so a fast peer read in 64 KiB steps
     * (~16 000 reads per GiB) paid that 4 times as often: in 4 paired 1 GiB loopback downloads the
     * engine time went from 3.46–3.90 s to 3.20–3.40 s (an hour later, with the VM's page-cache writes
     * slow and dominating, 4 more pairs showed no difference either way). 1 MiB measured about the same
     * as 256 KiB while pinning 4 times as much direct memory per fast connection.
     */
    static final RecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator(64, 2048, 256 * 1024);

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
