package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.ExtensionHandshake;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.WireOptions;
import dev.magnetar.wire.WirePipeline;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that speaks BEP 10 but answers with garbage ut_metadata and ut_pex payloads (random bytes,
 * truncated bencoding, a bogus metadata piece, a PEX list of odd length) must not break a magnet
 * download: the torrent still gets its metadata and data from an honest peer.
 */
class GarbageExtensionPeerTest {

    private static final byte[] GARBAGE_ID = "-XX0001-garbagegarba".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    private EventLoopGroup group;

    @AfterEach
    void stop() throws InterruptedException {
        if (group != null) {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void magnetCompletesFromTheHonestPeerDespiteGarbageExtensionMessages() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "garbage", 32 * 1024, 200_000, 12_345);
        AtomicInteger garbageSent = new AtomicInteger();
        CompletableFuture<Void> garbageDone = new CompletableFuture<>();
        InetSocketAddress garbage = startGarbagePeer(info, garbageSent, garbageDone);
        try (Engine honest = Engine.start(loopback(root, "honest"));
                Engine downloader = Engine.start(loopback(root, "downloader"))) {
            await(honest.add(info, content, List.of(), AddOptions.defaults()).completion(), "honest seeder's check");
            // The garbage peer first, alone, so that its messages arrive while the metadata is still wanted.
            Torrent t = downloader.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + info.infoHash().hex()
                    + "&x.pe=127.0.0.1:" + garbage.getPort()), root.resolve("out"), AddOptions.defaults());
            await(garbageDone, "the garbage peer sending its messages");
            assertEquals(TorrentState.FETCHING_METADATA, t.state(), "garbage is not metadata");
            t.addPeer(addressOf(honest));
            await(t.completion(), "download from the honest peer");
            assertEquals(info.infoHash(), t.info().infoHash());
            assertTrue(garbageSent.get() >= 6, "all the garbage was written to the connection: " + garbageSent.get());
        }
        assertSameFiles(info, content, root.resolve("out"));
    }

    private InetSocketAddress startGarbagePeer(TorrentInfo info, AtomicInteger sent, CompletableFuture<Void> done)
            throws InterruptedException {
        group = new NioEventLoopGroup(1);
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WirePipeline.installIncoming(ch.pipeline(), WireOptions.defaults(),
                                (remote, from) -> Handshake.of(info.infoHash(), GARBAGE_ID, true, true, false));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof PeerHandshakeCompleted) {
                                    ctx.write(new PeerMessage.HaveNone());
                                    ctx.writeAndFlush(ExtensionHandshake.builder().client("garbage")
                                            .message("ut_metadata", 3).message("ut_pex", 4)
                                            .metadataSize(info.infoBytes().length).build().toMessage());
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof PeerMessage.Extended e && e.extendedId() == PeerMessage.Extended.HANDSHAKE_ID) {
                                    try {
                                        ExtensionHandshake theirs = ExtensionHandshake.decode(e.payload());
                                        sendGarbage(ctx, theirs.idOf("ut_metadata").orElse(1), theirs.idOf("ut_pex").orElse(2));
                                    } catch (Exception ex) {
                                        done.completeExceptionally(ex);
                                    }
                                }
                                ReferenceCountUtil.release(msg); // a received block (InboundPiece) would be ours to release
                            }

                            private void sendGarbage(ChannelHandlerContext ctx, int metadataId, int pexId) {
                                byte[] random = new byte[300];
                                new SplittableRandom(42).nextBytes(random);
                                List<PeerMessage.Extended> junk = List.of(
                                        new PeerMessage.Extended(metadataId, random),
                                        new PeerMessage.Extended(metadataId, "d8:msg_typei1e5:piecei0e10:total_size".getBytes(StandardCharsets.US_ASCII)),
                                        // A "data" message for piece 0 whose bytes are not the metadata.
                                        new PeerMessage.Extended(metadataId, concat("d8:msg_typei1e5:piecei0e10:total_sizei"
                                                + info.infoBytes().length + "ee", random)),
                                        new PeerMessage.Extended(pexId, random),
                                        new PeerMessage.Extended(pexId, "d5:added5:abcdee".getBytes(StandardCharsets.US_ASCII)),
                                        new PeerMessage.Extended(pexId, new byte[0]));
                                for (PeerMessage.Extended m : junk) {
                                    ctx.writeAndFlush(m).addListener(f -> {
                                        if (sent.incrementAndGet() == junk.size()) {
                                            done.complete(null);
                                        }
                                    });
                                }
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
    }

    private static byte[] concat(String head, byte[] tail) {
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + tail.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(tail, 0, out, h.length, tail.length);
        return out;
    }
}
