package dev.magnetar.wire.utp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.io.ByteArrayOutputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** uTP channels over real UDP sockets on 127.0.0.1: two multiplexers in one process. */
class UtpChannelTest {

    private final EventLoopGroup group = new NioEventLoopGroup(2);

    private EventLoopGroup epoll;

    @AfterEach
    void stop() throws Exception {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        if (epoll != null) {
            epoll.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private EventLoopGroup epollGroup() {
        assumeTrue(Epoll.isAvailable(), "Netty's epoll transport (Linux)");
        if (epoll == null) {
            epoll = new EpollEventLoopGroup(1);
        }
        return epoll;
    }

    /** Collects a connection's bytes and tells when {@code expected} arrived or it closed. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final CompletableFuture<Channel> active = new CompletableFuture<>();
        final int expected;

        Sink(int expected) {
            this.expected = expected;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active.complete(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            byte[] chunk = new byte[b.readableBytes()];
            b.readBytes(chunk);
            bytes.writeBytes(chunk);
            b.release();
            if (bytes.size() >= expected) {
                done.complete(bytes.toByteArray());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            done.complete(bytes.toByteArray());
        }
    }

    private record Endpoint(Channel udp, UtpMultiplexer mux) {}

    private Endpoint endpoint(java.util.function.Consumer<UtpChannel> acceptor, ChannelInboundHandlerAdapter after)
            throws InterruptedException {
        return endpoint(acceptor, after, "127.0.0.1");
    }

    private Endpoint endpoint(java.util.function.Consumer<UtpChannel> acceptor, ChannelInboundHandlerAdapter after,
                              String ip) throws InterruptedException {
        return endpoint(acceptor, after, ip, false);
    }

    /** @param epoll on Netty's epoll channel, reading datagrams in batches (Linux), as the engine does */
    private Endpoint endpoint(java.util.function.Consumer<UtpChannel> acceptor, ChannelInboundHandlerAdapter after,
                              String ip, boolean epoll) throws InterruptedException {
        UtpMultiplexer mux = new UtpMultiplexer(acceptor);
        Bootstrap b = epoll ? new Bootstrap().group(epollGroup()).channel(EpollDatagramChannel.class)
                : new Bootstrap().group(group).channel(NioDatagramChannel.class);
        Channel udp = UtpMultiplexer.readOptions(b, epoll)
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        ch.pipeline().addLast(mux);
                        if (after != null) {
                            ch.pipeline().addLast(after);
                        }
                    }
                }).bind(new InetSocketAddress(ip, 0)).sync().channel();
        return new Endpoint(udp, mux);
    }

    private static UtpChannel dial(Endpoint from, Endpoint to, ChannelInboundHandlerAdapter handler) throws Exception {
        UtpChannel c = from.mux().newChannel((InetSocketAddress) to.udp().localAddress());
        c.pipeline().addLast(handler);
        from.mux().eventLoop().register(c).sync();
        c.connect(to.udp().localAddress()).sync();
        return c;
    }

    private static byte[] data(int n) {
        byte[] d = new byte[n];
        new Random(n).nextBytes(d);
        return d;
    }

    @Test
    void aStreamCrossesBetweenTwoMultiplexersIntactInBothDirections() throws Exception {
        byte[] up = data(8 << 20);
        byte[] down = data(3 << 20);
        Sink server = new Sink(up.length);
        Endpoint b = endpoint(c -> c.pipeline().addLast(server), null);
        Endpoint a = endpoint(null, null);
        Sink client = new Sink(down.length);
        UtpChannel c = dial(a, b, client);
        assertTrue(c.isActive());
        c.writeAndFlush(Unpooled.wrappedBuffer(up));
        assertArrayEquals(up, server.done.get(60, TimeUnit.SECONDS));
        server.active.get(5, TimeUnit.SECONDS).writeAndFlush(Unpooled.wrappedBuffer(down));
        assertArrayEquals(down, client.done.get(60, TimeUnit.SECONDS));
        c.close().sync();
        server.done.get(10, TimeUnit.SECONDS);
        Channel accepted = server.active.get();
        accepted.closeFuture().get(10, TimeUnit.SECONDS);
        assertFalse(accepted.isOpen(), "the FIN closed the accepted side");
    }

    @Test
    void theMultiplexerTicksOnlyWhileItHasConnections() throws Exception {
        Sink server = new Sink(5);
        Endpoint b = endpoint(c -> c.pipeline().addLast(server), null);
        Endpoint a = endpoint(null, null);
        assertFalse(ticking(a) || ticking(b), "no connection, no timer");
        UtpChannel c = dial(a, b, new Sink(0));
        c.writeAndFlush(Unpooled.wrappedBuffer("hello".getBytes(StandardCharsets.US_ASCII)));
        server.done.get(10, TimeUnit.SECONDS);
        assertTrue(ticking(a) && ticking(b), "each side ticks for its connection");
        c.close().sync();
        server.active.get(5, TimeUnit.SECONDS).closeFuture().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard, not a timing: the last tick ends the timer
        while ((ticking(a) || ticking(b)) && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertFalse(ticking(a) || ticking(b), "the timer ended with the last connection");
    }

    private static boolean ticking(Endpoint e) throws Exception {
        return e.mux().eventLoop().submit(e.mux()::ticking).get(5, TimeUnit.SECONDS);
    }

    @Test
    void oneReadTakesEveryWaitingDatagramUpToItsBoundSoABurstCostsOneAck() {
        // Netty's default would end the read after the first datagram that left its buffer part empty.
        RecvByteBufAllocator.Handle read = UtpMultiplexer.DATAGRAM_BUFFERS.newHandle();
        read.reset(new EmbeddedChannel().config());
        int taken = 0;
        do {
            read.attemptedBytesRead(UtpPacketCodec.MAX_DATAGRAM_BYTES + 1);
            read.lastBytesRead(1_452);
            read.incMessagesRead(1);
            taken++;
        } while (read.continueReading() && taken < 1_000);
        assertEquals(UtpMultiplexer.DATAGRAMS_PER_READ, taken);
    }

    /**
     * Read in batches (recvmmsg into one buffer of {@link UtpMultiplexer#DATAGRAM_SLOT_BYTES} slots), a
     * burst of packets arrives whole and in order, and so does a datagram of the largest size accepted,
     * which a slot one byte too small would have cut.
     */
    @Test
    void batchedReadsTakeABurstAndTheLargestDatagramWhole() throws Exception {
        int burst = 40;
        int largest = UtpPacketCodec.MAX_DATAGRAM_BYTES - UtpPacketCodec.HEADER_BYTES;
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Sink sink = new Sink(burst * 1400 + largest);
        Endpoint b = endpoint(c -> c.pipeline().addLast(sink), null, "127.0.0.1", true);
        try (DatagramSocket peer = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            peer.setSoTimeout(10_000);
            int id = 777;
            send(peer, b, new UtpPacket(UtpType.SYN, id, 0, 0, 1 << 20, 1, 0, null, null));
            UtpPacket answer = receive(peer);
            assertEquals(UtpType.STATE, answer.type());
            int seq = 2;
            for (int i = 0; i < burst; i++, seq++) { // back to back, no waiting for acks: the kernel queues them
                byte[] d = data(1400 + i);
                byte[] chunk = java.util.Arrays.copyOf(d, 1400);
                expected.writeBytes(chunk);
                send(peer, b, new UtpPacket(UtpType.DATA, id + 1, 0, 0, 1 << 20, seq, answer.seqNr() - 1, null, chunk));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard, not a timing
            while (sink.bytes.size() < burst * 1400 && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            byte[] big = data(largest);
            expected.writeBytes(big);
            send(peer, b, new UtpPacket(UtpType.DATA, id + 1, 0, 0, 1 << 20, seq, answer.seqNr() - 1, null, big));
            assertArrayEquals(expected.toByteArray(), sink.done.get(30, TimeUnit.SECONDS));
        }
    }

    /** On the batched reader too, a datagram longer than its slot is dropped, not cut and misread. */
    @Test
    void batchedReadsDropADatagramLongerThanTheirSlot() throws Exception {
        Endpoint b = endpoint(null, null, "127.0.0.1", true);
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            byte[] tooLong = new byte[UtpMultiplexer.DATAGRAM_SLOT_BYTES + 1000];
            tooLong[0] = 0x01; // a uTP DATA header, then zeros
            s.send(new java.net.DatagramPacket(tooLong, tooLong.length, b.udp().localAddress()));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a hang guard: the drop is counted once read
        while (b.mux().droppedDatagrams() == 0 && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        assertEquals(1, b.mux().droppedDatagrams());
    }

    @Test
    void krpcDatagramsPassThroughToTheNextHandler() throws Exception {
        BlockingQueue<String> passed = new LinkedBlockingQueue<>();
        Endpoint b = endpoint(null, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                DatagramPacket p = (DatagramPacket) msg;
                passed.add(p.content().toString(StandardCharsets.US_ASCII));
                p.release();
            }
        });
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            byte[] krpc = "d1:t2:aa1:y1:qe".getBytes(StandardCharsets.US_ASCII);
            s.send(new java.net.DatagramPacket(krpc, krpc.length, b.udp().localAddress()));
            assertEquals("d1:t2:aa1:y1:qe", passed.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void malformedAndOversizedDatagramsAreDroppedAndTheSocketStaysUsable() throws Exception {
        Sink server = new Sink(5);
        Endpoint b = endpoint(c -> c.pipeline().addLast(server), null);
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            Random r = new Random(3);
            for (int i = 0; i < 500; i++) {
                byte[] junk = new byte[r.nextInt(1, 3000)];
                r.nextBytes(junk);
                junk[0] = (byte) (r.nextInt(5) << 4 | 1); // looks like uTP, then anything
                s.send(new java.net.DatagramPacket(junk, junk.length, b.udp().localAddress()));
            }
            byte[] big = new byte[60_000];
            big[0] = 0x01;
            big[1] = 1;
            big[20] = 0;
            big[21] = (byte) 200; // a selective ack longer than any window
            s.send(new java.net.DatagramPacket(big, big.length, b.udp().localAddress()));
        }
        Endpoint a = endpoint(null, null);
        UtpChannel c = dial(a, b, new ChannelInboundHandlerAdapter());
        c.writeAndFlush(Unpooled.copiedBuffer("hello", StandardCharsets.US_ASCII));
        assertEquals("hello", new String(server.done.get(10, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
        assertTrue(b.mux().droppedDatagrams() > 0, "junk was counted as dropped");
    }

    @Test
    void aSynFloodFromOneAddressHoldsAtMostTheHalfOpenBound() throws Exception {
        Endpoint b = endpoint(c -> c.pipeline().addLast(new ChannelInboundHandlerAdapter()), null);
        try (DatagramSocket s = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            for (int id = 0; id < 2000; id++) {
                ByteBuf syn = UtpPacketCodec.encode(new UtpPacket(UtpType.SYN, id, 0, 0, 1 << 20, 1, 0, null, null),
                        Unpooled.buffer().alloc());
                byte[] bytes = new byte[syn.readableBytes()];
                syn.readBytes(bytes);
                syn.release();
                s.send(new java.net.DatagramPacket(bytes, bytes.length, b.udp().localAddress()));
                if (id % 50 == 49) {
                    Thread.yield(); // let the loop keep up; a few SYNs lost to a full socket buffer do not matter
                }
            }
            // UDP may drop some of the flood, so count on most of it: every SYN that arrived beyond the bound is refused.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (b.mux().refusedSyns() < 200) {
                assertTrue(System.nanoTime() < deadline, "the flood was not handled: " + b.mux().refusedSyns() + " refused");
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            assertEquals(UtpMultiplexer.MAX_HALF_OPEN_PER_ADDRESS,
                    (int) b.udp().eventLoop().submit(b.mux()::connectionCount).get());
        }
        // A real peer from another address is still served.
        Sink server = new Sink(2);
        Endpoint a = endpoint(null, null, "127.0.0.2");
        assertTrue(dial(a, b, server).isActive());
    }

    @Test
    void aPeerThatNeverAcknowledgesIsClosedWithTheReason() throws Exception {
        Endpoint a = endpoint(null, null);
        try (DatagramSocket silent = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            // Answer the SYN once, then never again.
            UtpChannel c = a.mux().newChannel((InetSocketAddress) silent.getLocalSocketAddress());
            c.pipeline().addLast(new ChannelInboundHandlerAdapter());
            a.mux().eventLoop().register(c).sync();
            var connecting = c.connect(silent.getLocalSocketAddress());
            byte[] buf = new byte[2048];
            java.net.DatagramPacket in = new java.net.DatagramPacket(buf, buf.length);
            silent.receive(in);
            UtpPacket syn = UtpPacketCodec.decode(Unpooled.wrappedBuffer(buf, 0, in.getLength()));
            ByteBuf state = UtpPacketCodec.encode(new UtpPacket(UtpType.STATE, syn.connectionId(), 0, 0, 1 << 20,
                    100, syn.seqNr(), null, null), Unpooled.buffer().alloc());
            byte[] sb = new byte[state.readableBytes()];
            state.readBytes(sb);
            silent.send(new java.net.DatagramPacket(sb, sb.length, in.getSocketAddress()));
            connecting.sync();
            c.writeAndFlush(Unpooled.wrappedBuffer(data(100_000)));
            c.closeFuture().get(120, TimeUnit.SECONDS);
            assertEquals("the peer stopped acknowledging", c.closeReason());
            assertEquals(0, (int) a.udp().eventLoop().submit(a.mux()::connectionCount).get(), "nothing of it is kept");
        }
    }

    @Test
    void aPeerThatIgnoresOurReceiveWindowCannotMakeUsBufferMoreThanIt() throws Exception {
        CompletableFuture<UtpChannel> accepted = new CompletableFuture<>();
        Endpoint b = endpoint(c -> {
            c.config().setAutoRead(false); // an application that does not read: our window closes
            c.pipeline().addLast(new ChannelInboundHandlerAdapter());
            accepted.complete(c);
        }, null);
        try (DatagramSocket hostile = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            hostile.setSoTimeout(10_000);
            int id = 4242;
            send(hostile, b, new UtpPacket(UtpType.SYN, id, 0, 0, 1 << 20, 1, 0, null, null));
            UtpPacket answer = receive(hostile);
            assertEquals(UtpType.STATE, answer.type());
            // Ping-pong so that no datagram is lost to a full socket buffer: each packet in order, each
            // answered by an ack, half again as many bytes as any window we advertise.
            int packets = UtpSocket.RECEIVE_BUFFER_BYTES * 3 / 2 / 1400;
            UtpPacket last = answer;
            for (int seq = 2; seq < 2 + packets; seq++) {
                // ack_nr: the answer's seq_nr is the first packet it will send, so nothing of it is acked yet
                send(hostile, b, new UtpPacket(UtpType.DATA, id + 1, 0, 0, 1 << 20, seq, answer.seqNr() - 1, null, data(1400)));
                last = receive(hostile);
            }
            UtpChannel c = accepted.get(10, TimeUnit.SECONDS);
            int unread = b.udp().eventLoop().submit(c::unreadBytes).get();
            assertTrue(unread <= UtpSocket.RECEIVE_BUFFER_BYTES, unread + " bytes held for a reader that does not read");
            assertTrue(Integer.toUnsignedLong(last.windowSize()) < 1400, "the window we advertise has no room for another packet: "
                    + Integer.toUnsignedLong(last.windowSize()));
            assertTrue(SequenceNumbers.before(last.ackNr(), 1 + packets), "what did not fit was not acknowledged: ack " + last.ackNr());
        }
    }

    private static void send(DatagramSocket from, Endpoint to, UtpPacket p) throws java.io.IOException {
        ByteBuf b = UtpPacketCodec.encode(p, Unpooled.buffer().alloc());
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        from.send(new java.net.DatagramPacket(bytes, bytes.length, to.udp().localAddress()));
    }

    private static UtpPacket receive(DatagramSocket at) throws Exception {
        byte[] buf = new byte[2048];
        java.net.DatagramPacket in = new java.net.DatagramPacket(buf, buf.length);
        at.receive(in);
        return UtpPacketCodec.decode(Unpooled.wrappedBuffer(buf, 0, in.getLength()));
    }

    @Test
    void aSynToASilentAddressFailsTheConnect() throws Exception {
        Endpoint a = endpoint(null, null);
        try (DatagramSocket silent = new DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            UtpChannel c = a.mux().newChannel((InetSocketAddress) silent.getLocalSocketAddress());
            a.mux().eventLoop().register(c).sync();
            var f = c.connect(silent.getLocalSocketAddress()).await();
            assertFalse(f.isSuccess());
            assertTrue(f.cause().getMessage().contains("no answer to the uTP SYN"), f.cause().getMessage());
        }
    }
}
