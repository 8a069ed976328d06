package dev.magnetar.wire.utp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.BadLinkRelay;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * LEDBAT (BEP 29) in action: a uTP stream and a TCP stream cross the same rate-limited link
 * ({@link BadLinkRelay}): uTP alone first, to show it can fill the link, then TCP beside it. TCP fills the link's queue; uTP sees its packets' one-way delay rise
 * above the 100 ms target and backs off, so TCP gets most of the link. Asserted as a share of bytes
 * counted up to a byte mark, never as a time.
 */
class UtpLedbatShareTest {

    /** The link: 2 MiB/s each way, 10 ms one way, no random loss, a queue of half a second at that rate. */
    private static final BadLinkRelay.Profile LINK =
            new BadLinkRelay.Profile(Duration.ofMillis(10), 0, 2 << 20, 1 << 20, 7);
    /** What uTP moves alone before TCP joins: proof that it can use the link at all. */
    private static final long UTP_ALONE_MARK = 2L << 20;
    /** TCP bytes after which both counts are read. */
    private static final long TCP_MARK = 10L << 20;

    private final EventLoopGroup group = new NioEventLoopGroup(2);

    @AfterEach
    void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** Counts what arrives. */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        final AtomicLong bytes = new AtomicLong();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            bytes.addAndGet(b.readableBytes());
            b.release();
        }
    }

    /** Writes for as long as the channel takes it, as a seeder with a long queue of blocks does. */
    private static final class Flood extends ChannelInboundHandlerAdapter {
        private final ByteBuf chunk = Unpooled.unreleasableBuffer(Unpooled.directBuffer(64 * 1024).writeZero(64 * 1024));

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            fill(ctx);
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            fill(ctx);
        }

        private void fill(ChannelHandlerContext ctx) {
            while (ctx.channel().isActive() && ctx.channel().isWritable()) {
                ctx.writeAndFlush(chunk.duplicate());
            }
        }
    }

    private UtpMultiplexer bind(java.util.function.Consumer<UtpChannel> acceptor) throws InterruptedException {
        UtpMultiplexer mux = new UtpMultiplexer(acceptor);
        new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.RCVBUF_ALLOCATOR, UtpMultiplexer.DATAGRAM_BUFFERS)
                .handler(mux).bind(new InetSocketAddress("127.0.0.1", 0)).sync();
        return mux;
    }

    @Test
    void utpYieldsMostOfASharedLinkToATcpFlow() throws Exception {
        Counter utpReceived = new Counter();
        UtpMultiplexer receiver = bind(c -> c.pipeline().addLast(utpReceived));
        UtpMultiplexer sender = bind(null);
        AtomicLong tcpReceived = new AtomicLong();
        CompletableFuture<Void> tcpMark = new CompletableFuture<>();
        try (BadLinkRelay link = BadLinkRelay.start(LINK);
                ServerSocket sink = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress utpVia = link.relayUdp(receiver.localAddress());
            InetSocketAddress tcpVia = link.relayTcp((InetSocketAddress) sink.getLocalSocketAddress());
            Thread tcpSink = daemon(() -> {
                try (Socket s = sink.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[64 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        if (tcpReceived.addAndGet(n) >= TCP_MARK) {
                            tcpMark.complete(null);
                        }
                    }
                }
            });
            Thread tcpSource = daemon(() -> {
                try (Socket s = new Socket(tcpVia.getAddress(), tcpVia.getPort()); OutputStream out = s.getOutputStream()) {
                    byte[] buf = new byte[64 * 1024];
                    while (!tcpMark.isDone()) {
                        out.write(buf);
                    }
                }
            });
            UtpChannel utp = sender.newChannel(utpVia);
            utp.pipeline().addLast(new Flood());
            sender.eventLoop().register(utp).sync();
            utp.connect(utpVia).sync();
            // Alone, uTP fills the link...
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (utpReceived.bytes.get() < UTP_ALONE_MARK) {
                assertTrue(System.nanoTime() < deadline, "uTP alone moved only " + utpReceived.bytes.get() + " B");
                Thread.onSpinWait();
            }
            // ...then TCP joins, and from there on the bytes of each are counted.
            long utpBefore = utpReceived.bytes.get();
            tcpSink.start();
            tcpSource.start();
            tcpMark.get(120, TimeUnit.SECONDS);
            long tcp = tcpReceived.get();
            long overUtp = utpReceived.bytes.get() - utpBefore;
            System.out.printf("shared link: TCP %d B, uTP %d B (uTP share %.1f %%)%n", tcp, overUtp, 100.0 * overUtp / (tcp + overUtp));
            assertTrue(overUtp * 4 < tcp, "uTP took less than a fifth of the link: TCP " + tcp + " B, uTP " + overUtp + " B");
            utp.close();
        }
    }

    private interface Body {
        void run() throws Exception;
    }

    private static Thread daemon(Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                // the test ends by closing the sockets under it
            }
        });
        t.setDaemon(true);
        return t;
    }
}
