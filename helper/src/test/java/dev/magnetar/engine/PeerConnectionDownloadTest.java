package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our downloading engine seen from the wire: a test seeder speaks raw peer messages and serves every
 * request. The requests go out in batches framed into one buffer ({@link dev.magnetar.wire.RequestBatch});
 * this checks that the seeder's real decoder reads them as well-formed, distinct requests for blocks
 * of the torrent, and that interest is announced once and withdrawn once, not re-sent per piece.
 */
class PeerConnectionDownloadTest {

    private static final int PIECE_LENGTH = 32 * 1024;

    @TempDir
    Path root;

    private Engine engine;
    private EventLoopGroup group;
    private Channel seeder;
    private final List<PeerMessage> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> notInterested = new CompletableFuture<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        EngineFixtures.closeAll(seeder, group, engine);
    }

    @Test
    void batchedRequestsReachTheSeederAsDistinctBlocksAndInterestIsSentOnceEachWay() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "batch", PIECE_LENGTH, 1_000_000);
        engine = Engine.start(loopback(root, "leecher"));
        Path downloads = root.resolve("downloads");
        Torrent torrent = engine.add(info, downloads, List.of(), AddOptions.defaults());
        connectSeeder(info, content);

        await(torrent.completion(), "the download from the test seeder");
        await(notInterested, "NotInterested once every piece is verified");
        assertSameFiles(info, content, downloads);

        List<PeerMessage.Request> requests = new ArrayList<>();
        int interested = 0;
        for (PeerMessage m : received) {
            if (m instanceof PeerMessage.Request r) {
                requests.add(r);
            } else if (m instanceof PeerMessage.Interested) {
                interested++;
            }
        }
        assertEquals(1, interested, "interest is sent when it changes, not after every piece");
        assertEquals(1, received.stream().filter(m -> m instanceof PeerMessage.NotInterested).count());
        PieceGeometry geometry = new PieceGeometry(info.totalLength(), PIECE_LENGTH, 16 * 1024);
        Set<PeerMessage.Request> distinct = new HashSet<>();
        for (PeerMessage.Request r : requests) {
            assertTrue(geometry.isValidBlock(new BlockRequest(r.piece(), r.begin(), r.length())), r.toString());
            distinct.add(r);
        }
        int blocks = 0;
        for (int i = 0; i < info.pieceCount(); i++) {
            blocks += geometry.blockCount(i);
        }
        assertEquals(blocks, distinct.size(), "every block was asked for");
    }

    private void connectSeeder(TorrentInfo info, Path content) throws Exception {
        group = new NioEventLoopGroup(1);
        CompletableFuture<PeerHandshakeCompleted> handshake = new CompletableFuture<>();
        Handshake ours = Handshake.of(info.infoHash(),
                "-TT0001-seedseedseed".getBytes(StandardCharsets.US_ASCII), true, true, false);
        seeder = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WirePipeline.installOutgoing(ch.pipeline(), WireOptions.defaults(), ours);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof PeerHandshakeCompleted h) {
                                    handshake.complete(h);
                                    ctx.write(new PeerMessage.HaveAll()); // BEP 6
                                    ctx.writeAndFlush(new PeerMessage.Unchoke());
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                PeerMessage m = (PeerMessage) msg;
                                received.add(m);
                                if (m instanceof PeerMessage.Request r) {
                                    byte[] piece = TestTorrents.readPiece(info, content, r.piece());
                                    byte[] block = Arrays.copyOfRange(piece, r.begin(), r.begin() + r.length());
                                    ctx.writeAndFlush(new PeerMessage.Piece(r.piece(), r.begin(), block));
                                } else if (m instanceof PeerMessage.NotInterested) {
                                    notInterested.complete(null);
                                }
                            }
                        });
                    }
                })
                .connect(addressOf(engine)).sync().channel();
        await(handshake, "the handshake with the leecher");
    }
}
