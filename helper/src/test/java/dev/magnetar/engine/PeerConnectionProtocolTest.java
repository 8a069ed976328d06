package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.ExtensionHandshake;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.WireOptions;
import dev.magnetar.wire.WirePipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our seeding engine seen from the wire: a test client speaks raw peer messages to it and checks
 * what a {@link PeerConnection} answers (BEP 3 choking, BEP 6 rejects and have-all, BEP 10 handshake).
 */
class PeerConnectionProtocolTest {

    @TempDir
    Path root;

    private Engine engine;
    private TorrentInfo info;
    private Path content;
    private EventLoopGroup group;
    private final LinkedBlockingQueue<PeerMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<PeerHandshakeCompleted> handshake = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private Channel client;

    @BeforeEach
    void seedAndConnect() throws Exception {
        content = root.resolve("content");
        info = TestTorrents.multiFile(content, "proto", 32 * 1024, 100_000);
        engine = Engine.start(loopback(root, "seeder"));
        await(engine.add(info, content, List.of(), AddOptions.defaults()).completion(), "seeder's check");
        group = new NioEventLoopGroup(1);
        Handshake ours = Handshake.of(info.infoHash(), "-TT0001-testtesttest".getBytes(StandardCharsets.US_ASCII), true, true, false);
        client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WirePipeline.installOutgoing(ch.pipeline(), WireOptions.defaults(), ours);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof PeerHandshakeCompleted h) {
                                    handshake.complete(h);
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof PeerMessage.InboundPiece p) {
                                    received.add(p.toPiece()); // a copy: the block's buffer is ours to release
                                    p.release();
                                } else {
                                    received.add((PeerMessage) msg);
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                closed.complete(null);
                            }
                        });
                    }
                })
                .connect(addressOf(engine)).sync().channel();
        handshake.get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        EngineFixtures.closeAll(client, group, engine);
    }

    private PeerMessage next(Predicate<PeerMessage> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + EngineFixtures.GUARD.toNanos();
        while (System.nanoTime() < deadline) {
            PeerMessage m = received.poll(1, TimeUnit.SECONDS);
            if (m != null && wanted.test(m)) {
                return m;
            }
        }
        throw new AssertionError(what + " never arrived");
    }

    @Test
    void seederAnnouncesHaveAllAndAnExtensionHandshakeWithUtMetadata() throws Exception {
        next(m -> m instanceof PeerMessage.HaveAll, "BEP 6 have-all from a complete seeder");
        PeerMessage.Extended ext = (PeerMessage.Extended) next(
                m -> m instanceof PeerMessage.Extended e && e.extendedId() == 0, "BEP 10 handshake");
        ExtensionHandshake hs = ExtensionHandshake.decode(ext.payload());
        assertTrue(hs.idOf("ut_metadata").isPresent(), hs.toString());
        assertEquals(info.infoBytes().length, hs.metadataSize().orElse(-1));
        assertEquals(BlockServer.OUR_REQQ, hs.reqq().orElse(-1));
    }

    @Test
    void requestsWhileChokedAreRejectedThenServedAfterUnchoke() throws Exception {
        client.writeAndFlush(new PeerMessage.HaveNone());
        client.writeAndFlush(new PeerMessage.Request(0, 0, 16384));
        PeerMessage.RejectRequest reject = (PeerMessage.RejectRequest) next(
                m -> m instanceof PeerMessage.RejectRequest, "BEP 6 reject while choked");
        assertEquals(new PeerMessage.RejectRequest(0, 0, 16384), reject);

        client.writeAndFlush(new PeerMessage.Interested());
        next(m -> m instanceof PeerMessage.Unchoke, "unchoke of an interested peer with a slot free");
        client.writeAndFlush(new PeerMessage.Request(1, 16384, 16384));
        PeerMessage.Piece piece = (PeerMessage.Piece) next(m -> m instanceof PeerMessage.Piece, "the block");
        byte[] expected = Arrays.copyOfRange(TestTorrents.readPiece(info, content, 1), 16384, 32768);
        assertArrayEquals(expected, piece.block());
    }

    @Test
    void requestOutsideThePieceIsRejected() throws Exception {
        client.writeAndFlush(new PeerMessage.HaveNone());
        client.writeAndFlush(new PeerMessage.Interested());
        next(m -> m instanceof PeerMessage.Unchoke, "unchoke");
        int lastPiece = info.pieceCount() - 1;
        client.writeAndFlush(new PeerMessage.Request(lastPiece, info.pieceSize(lastPiece) - 100, 16384));
        assertEquals(new PeerMessage.RejectRequest(lastPiece, info.pieceSize(lastPiece) - 100, 16384),
                next(m -> m instanceof PeerMessage.RejectRequest, "reject of a range past the piece's end"));
        client.writeAndFlush(new PeerMessage.Request(info.pieceCount() + 5, 0, 16384));
        assertEquals(new PeerMessage.RejectRequest(info.pieceCount() + 5, 0, 16384),
                next(m -> m instanceof PeerMessage.RejectRequest, "reject of a piece that does not exist"));
    }

    @Test
    void haveForAPieceThatDoesNotExistClosesTheConnection() throws Exception {
        client.writeAndFlush(new PeerMessage.HaveNone());
        client.writeAndFlush(new PeerMessage.Have(info.pieceCount() + 1));
        closed.get(EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS);
        assertTrue(!client.isActive());
    }
}
