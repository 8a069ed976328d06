package dev.magnetar.wire.utp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The multiplexer on an {@link EmbeddedChannel}: datagrams in and out by hand, a clock that stands still. */
class UtpMultiplexerTest {

    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 6881);

    /** Counts what the multiplexer writes and flushes towards the UDP socket. */
    private static final class Wire extends ChannelOutboundHandlerAdapter {
        final List<UtpPacket> written = new ArrayList<>();
        int flushes;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            DatagramPacket dp = (DatagramPacket) msg;
            written.add(UtpPacketCodec.decode(dp.content()));
            dp.release();
            promise.setSuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
        }
    }

    private static DatagramPacket datagram(UtpPacket p) {
        ByteBuf b = UtpPacketCodec.encode(p, Unpooled.buffer().alloc());
        return new DatagramPacket(b, new InetSocketAddress("127.0.0.1", 1), PEER);
    }

    @Test
    void thePacketsOneTurnOfTheLoopMakesLeaveInOneFlush() throws Exception {
        Wire wire = new Wire();
        UtpMultiplexer mux = new UtpMultiplexer(null, () -> 1_000_000L);
        EmbeddedChannel udp = new EmbeddedChannel(wire, mux);
        UtpChannel c = mux.newChannel(PEER);
        c.pipeline().addLast(new ChannelInboundHandlerAdapter());
        mux.eventLoop().register(c);
        c.connect(PEER);
        udp.runPendingTasks();
        UtpPacket syn = wire.written.get(0);
        assertEquals(UtpType.SYN, syn.type());
        assertEquals(1, wire.flushes, "the SYN went out");

        // The peer answers; its STATE's seq_nr is the first it will send.
        udp.writeInbound(datagram(new UtpPacket(UtpType.STATE, syn.connectionId(), 0, 0, 1 << 20, 500, syn.seqNr(), null, null)));
        assertTrue(c.isActive());
        int before = wire.written.size();
        int flushesBefore = wire.flushes;
        c.writeAndFlush(Unpooled.wrappedBuffer(new byte[64 * 1024])); // packets are written at once...
        assertEquals(flushesBefore, wire.flushes, "...and flushed once the loop is through");
        udp.runPendingTasks();
        int firstWindow = wire.written.size() - before;
        assertTrue(firstWindow >= 2, "the first window holds several packets: " + firstWindow);
        assertEquals(flushesBefore + 1, wire.flushes, firstWindow + " packets, one flush");

        // One ack for all of them opens a larger window (slow start): its packets go out together too.
        int lastSeq = wire.written.get(wire.written.size() - 1).seqNr();
        before = wire.written.size();
        flushesBefore = wire.flushes;
        udp.writeInbound(datagram(new UtpPacket(UtpType.STATE, syn.connectionId(), 0, 0, 1 << 20, 500, lastSeq, null, null)));
        udp.runPendingTasks();
        int secondWindow = wire.written.size() - before;
        assertTrue(secondWindow > firstWindow, "the window grew: " + secondWindow + " after " + firstWindow);
        assertEquals(flushesBefore + 1, wire.flushes, secondWindow + " packets, one flush");
        assertEquals(wire.flushes, mux.flushes());
        udp.finishAndReleaseAll();
    }
}
