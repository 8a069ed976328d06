package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.HandshakeEncoder;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.WireOptions;
import dev.magnetar.wire.WirePipeline;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hold a dial race puts first in each connection's pipeline, over the real wire pipeline of an
 * outgoing connection, on Netty's embedded channel.
 */
class HoldUntilTurnTest {

    private static final InfoHash INFO_HASH = InfoHash.of(filled(20, 7));
    private static final Handshake OURS = Handshake.of(INFO_HASH, filled(20, 'o'), true, true, false);
    private static final Handshake THEIRS = Handshake.of(INFO_HASH, filled(20, 't'), true, true, false);

    private final HoldUntilTurn hold = new HoldUntilTurn();
    private final List<PeerHandshakeCompleted> completed = new ArrayList<>();

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** An embedded channel that, like a socket, becomes active only when it connects, after registration. */
    private static final class Dialled extends EmbeddedChannel {
        private boolean connected;

        Dialled() {
            super(false, false);
        }

        void connect() {
            connected = true;
            pipeline().fireChannelActive();
        }

        @Override
        public boolean isActive() {
            return connected && super.isActive();
        }
    }

    /** A dialled connection as the race builds it before it connects; then connected. */
    private EmbeddedChannel dialledAndConnected() throws Exception {
        Dialled ch = new Dialled();
        ch.pipeline().addFirst("hold", hold);
        WirePipeline.installOutgoing(ch.pipeline(), WireOptions.defaults(), OURS);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof PeerHandshakeCompleted c) {
                    completed.add(c);
                }
            }
        });
        ch.register();
        ch.connect();
        return ch;
    }

    private static ByteBuf encoded(Handshake h) {
        ByteBuf b = Unpooled.buffer();
        HandshakeEncoder.write(h, b);
        return b;
    }

    @Test
    void aPeerHandshakeThatArrivesBeforeOurTurnIsTakenOnlyAfterOursHasGoneOut() throws Exception {
        EmbeddedChannel ch = dialledAndConnected();
        // A peer that dialled us too (a uTP simultaneous open) sends its handshake as soon as it is connected.
        ch.writeInbound(encoded(THEIRS));
        assertNull(ch.readOutbound(), "nothing goes out before the race gives the connection its turn");
        assertTrue(completed.isEmpty(), "and the peer's handshake waits");

        hold.release(ch.pipeline().context("hold"));
        ByteBuf first = ch.readOutbound();
        assertEquals(Handshake.LENGTH, first.readableBytes(), "our handshake goes out first");
        byte[] sent = new byte[Handshake.LENGTH];
        first.readBytes(sent);
        first.release();
        assertEquals(19, sent[0]);
        assertArrayEquals(OURS.peerId(), Arrays.copyOfRange(sent, Handshake.LENGTH - 20, Handshake.LENGTH));
        assertEquals(1, completed.size(), "then the peer's is read");
        assertArrayEquals(THEIRS.peerId(), completed.get(0).remote().peerId());
        assertNull(ch.pipeline().get("hold"), "and the hold is gone");
        ch.finishAndReleaseAll();
    }

    @Test
    void aPeerThatSendsMoreThanTheBoundBeforeOurTurnIsClosed() throws Exception {
        EmbeddedChannel ch = dialledAndConnected();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[HoldUntilTurn.MAX_HELD_BYTES]));
        assertTrue(ch.isOpen(), "up to the bound is held");
        ByteBuf over = Unpooled.wrappedBuffer(new byte[1]);
        ch.writeInbound(over);
        assertFalse(ch.isOpen(), "one byte more closes the connection");
        assertEquals(0, over.refCnt(), "and what was held is freed");
        assertTrue(completed.isEmpty());
    }

    @Test
    void whatWasHeldIsFreedWhenTheConnectionClosesBeforeItsTurn() throws Exception {
        EmbeddedChannel ch = dialledAndConnected();
        ByteBuf early = encoded(THEIRS);
        ch.writeInbound(early);
        ch.close();
        assertEquals(0, early.refCnt());
        assertNull(ch.readOutbound(), "nothing was sent");
    }
}
