package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.Bitfield;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.PeerMessageDecoder;
import dev.magnetar.wire.PeerMessageEncoder;
import dev.magnetar.wire.PeerProtocolException;
import dev.magnetar.wire.WireOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TCP transport alone, in an {@link EmbeddedChannel}: it hands the connection decoded messages and
 * the channel's events, writes what the connection writes, and owns received blocks until released.
 */
class PeerChannelHandlerTest {

    private static final int BLOCK = 16 * 1024;
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 51413);

    @TempDir
    Path root;

    private TorrentInfo info;
    private TestPeerHost host;
    private EmbeddedChannel channel;
    private PeerChannelHandler handler;

    @BeforeEach
    void channelOverAStandInTorrent() {
        info = TestTorrents.singleFile(root, "four", 2 * BLOCK, 4L * 2 * BLOCK, 5);
        host = new TestPeerHost(info, Bitfield.full(4));
        handler = new PeerChannelHandler(h -> h.equals(info.infoHash()) ? host : null);
        channel = new EmbeddedChannel(PeerMessageEncoder.INSTANCE, handler) {
            @Override
            protected SocketAddress remoteAddress0() {
                return PEER; // a TCP peer's address, not the embedded channel's placeholder
            }
        };
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        host.loop.finishAndReleaseAll();
    }

    private PeerHandshakeCompleted handshakeFor(TorrentInfo torrent) {
        Handshake ours = Handshake.of(torrent.infoHash(), "-MG0000-ourselves123".getBytes(StandardCharsets.US_ASCII), true, false, false);
        Handshake theirs = Handshake.of(torrent.infoHash(), "-TT0001-testtesttest".getBytes(StandardCharsets.US_ASCII), true, false, false);
        return new PeerHandshakeCompleted(ours, theirs, false);
    }

    /** What the channel wrote, decoded back into messages by the real decoder. */
    private List<PeerMessage> sent() {
        EmbeddedChannel reader = new EmbeddedChannel(new PeerMessageDecoder(WireOptions.defaults(), true));
        for (Object o = channel.readOutbound(); o != null; o = channel.readOutbound()) {
            reader.writeInbound(o);
        }
        List<PeerMessage> out = new ArrayList<>();
        for (Object o = reader.readInbound(); o != null; o = reader.readInbound()) {
            out.add(o instanceof PeerMessage.InboundPiece p ? copyAndRelease(p) : (PeerMessage) o);
        }
        reader.finishAndReleaseAll();
        return out;
    }

    private static PeerMessage copyAndRelease(PeerMessage.InboundPiece p) {
        PeerMessage copy = p.toPiece();
        p.release();
        return copy;
    }

    @Test
    void aHandshakeForATorrentWeDoNotHaveClosesTheChannel() throws Exception {
        TorrentInfo stranger = TestTorrents.singleFile(root.resolve("other"), "other", BLOCK, BLOCK, 9);
        channel.pipeline().fireUserEventTriggered(handshakeFor(stranger));

        assertFalse(channel.isOpen());
        assertFalse(handler.handshakeReceived());
        assertNull(handler.connection());
    }

    @Test
    void aBlockThatArrivesBeforeTheHandshakeIsReleased() {
        ByteBuf block = Unpooled.buffer(BLOCK).writeZero(BLOCK);
        channel.writeInbound(new PeerMessage.InboundPiece(0, 0, block));

        assertEquals(0, block.refCnt());
    }

    @Test
    void afterTheHandshakeTheConnectionSpeaksThroughTheChannel() {
        channel.pipeline().fireUserEventTriggered(handshakeFor(info));

        assertTrue(handler.handshakeReceived());
        assertEquals(List.of(handler.connection()), host.admitted);
        assertEquals(List.of(new PeerMessage.HaveAll()), sent(), "BEP 6 have-all, encoded by the pipeline");
    }

    @Test
    void aReceivedBlockReachesTheConnectionAndIsReleasedOnce() {
        channel.pipeline().fireUserEventTriggered(handshakeFor(info));
        ByteBuf block = Unpooled.buffer(BLOCK).writeZero(BLOCK);
        channel.writeInbound(new PeerMessage.InboundPiece(0, 0, block));

        assertEquals(0, block.refCnt());
        assertEquals(BLOCK, host.downloaded, "the connection saw it");
    }

    @Test
    void requestsAndServedBlocksLeaveAsTheMessagesBep3Defines() {
        channel.pipeline().fireUserEventTriggered(handshakeFor(info));
        sent();

        handler.writeRequests(List.of(new PeerMessage.Request(1, 0, BLOCK), new PeerMessage.Request(1, BLOCK, BLOCK)));
        ByteBuf data = handler.allocateBlocks(2 * BLOCK).writeZero(2 * BLOCK);
        handler.writeBlocks(List.of(new PeerMessage.Request(2, 0, BLOCK), new PeerMessage.Request(2, BLOCK, BLOCK)), data);
        data.release();
        handler.flush();

        List<PeerMessage> sent = sent();
        assertEquals(List.of(new PeerMessage.Request(1, 0, BLOCK), new PeerMessage.Request(1, BLOCK, BLOCK)), sent.subList(0, 2));
        assertEquals(List.of(new PeerMessage.Request(2, 0, BLOCK), new PeerMessage.Request(2, BLOCK, BLOCK)),
                sent.subList(2, 4).stream().map(m -> ((PeerMessage.Piece) m).request()).toList(), "two piece messages");
        assertEquals(4, sent.size());
    }

    @Test
    void pausingReadingTurnsTheChannelsAutoReadOff() {
        channel.pipeline().fireUserEventTriggered(handshakeFor(info));
        handler.setReading(false);
        assertFalse(channel.config().isAutoRead());
        handler.setReading(true);
        assertTrue(channel.config().isAutoRead());
    }

    @Test
    void aProtocolErrorClosesTheChannelAndThePeerIsNotDialledAgain() {
        channel.pipeline().fireUserEventTriggered(handshakeFor(info));
        channel.pipeline().fireExceptionCaught(
                new PeerProtocolException(PeerProtocolException.Violation.FRAME_TOO_LONG, "length prefix beyond the limit"));

        assertFalse(channel.isOpen());
        assertEquals(1, host.doNotReconnect.size());
        assertTrue(host.doNotReconnect.get(0).contains("length prefix beyond the limit"), host.doNotReconnect.toString());
        assertEquals(1, host.closed.size(), "the torrent heard once that it closed");
        assertEquals(List.of(), host.admitted);
    }

    @Test
    void theChannelClosingClosesTheConnection() {
        channel.pipeline().fireUserEventTriggered(handshakeFor(info));
        channel.close();

        assertEquals(List.of("connection closed"), host.closed);
        assertFalse(handler.connection().isOpen());
    }
}
