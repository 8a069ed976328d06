package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metadata.UtMetadataCodec;
import dev.magnetar.metadata.UtMetadataMessage;
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
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer caught sending metadata that does not hash to the magnet's info-hash (BEP 9: the receiver checks
 * the info dictionary against it) is banned like a peer whose blocks fail their piece hash: a peer_banned
 * event, never dialled again, and the magnet still completes from an honest peer.
 */
class MetadataLiarTest {

    private static final byte[] LIAR_ID = "-XX0001-liarliarliar".getBytes(StandardCharsets.US_ASCII);
    private static final int LIAR_UT_METADATA = 3;

    @TempDir
    Path root;

    private EventLoopGroup group;

    @AfterEach
    void stop() throws InterruptedException {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aPeerWhoseMetadataFailsTheInfoHashIsBannedWithAnEvent() throws Exception {
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.singleFile(content, "lied-about", 32 * 1024, 300_000, 31);
        AtomicInteger connections = new AtomicInteger();
        InetSocketAddress liar = startLiar(info, connections);
        try (Engine honest = Engine.start(loopback(root, "honest"));
                Engine downloader = Engine.start(loopback(root, "downloader"))) {
            await(honest.add(info, content, List.of(), AddOptions.defaults()).completion(), "the honest seeder's check");
            CompletableFuture<EngineEvent.PeerBanned> banned = new CompletableFuture<>();
            downloader.subscribe(e -> {
                if (e instanceof EngineEvent.PeerBanned b) {
                    banned.complete(b);
                }
            });
            // The liar alone first, so the metadata it sends is the only metadata there is.
            Torrent t = downloader.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + info.infoHash().hex()
                    + "&x.pe=127.0.0.1:" + liar.getPort()), root.resolve("out"), AddOptions.defaults());

            EngineEvent.PeerBanned b = banned.get(60, TimeUnit.SECONDS);

            assertEquals(liar, b.peer().address());
            assertEquals(HexFormat.of().formatHex(LIAR_ID), b.peer().peerIdHex());
            assertTrue(b.reason().contains("does not match the info-hash"), b.reason());
            assertEquals(1, t.bannedPeers().get(60, TimeUnit.SECONDS), "on the torrent's ban list");
            t.addPeer(liar); // a user (or PEX) naming it again
            t.addPeer(addressOf(honest));
            await(t.completion(), "the download from the honest peer");
            assertEquals(1, connections.get(), "the banned peer was never dialled again");
        }
        assertSameFiles(info, content, root.resolve("out"));
    }

    /** A peer that has the torrent's metadata size right and every byte of it wrong (the last one flipped). */
    private InetSocketAddress startLiar(TorrentInfo info, AtomicInteger connections) throws InterruptedException {
        byte[] forged = info.infoBytes().clone();
        forged[forged.length - 2] ^= 1;
        group = new NioEventLoopGroup(1);
        var server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        WirePipeline.installIncoming(ch.pipeline(), WireOptions.defaults(),
                                (remote, from) -> Handshake.of(info.infoHash(), LIAR_ID, true, true, false));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            private int theirUtMetadata;

                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof PeerHandshakeCompleted) {
                                    ctx.write(new PeerMessage.HaveNone());
                                    ctx.writeAndFlush(ExtensionHandshake.builder().client("liar")
                                            .message("ut_metadata", LIAR_UT_METADATA).metadataSize(forged.length).build().toMessage());
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                try {
                                    if (msg instanceof PeerMessage.Extended e) {
                                        answer(ctx, e);
                                    }
                                } catch (Exception ex) {
                                    ctx.close();
                                } finally {
                                    ReferenceCountUtil.release(msg);
                                }
                            }

                            private void answer(ChannelHandlerContext ctx, PeerMessage.Extended e) throws Exception {
                                if (e.extendedId() == PeerMessage.Extended.HANDSHAKE_ID) {
                                    theirUtMetadata = ExtensionHandshake.decode(e.payload()).idOf("ut_metadata").orElse(0);
                                } else if (e.extendedId() == LIAR_UT_METADATA && theirUtMetadata > 0
                                        && UtMetadataCodec.decode(e.payload()) instanceof UtMetadataMessage.Request r) {
                                    ctx.writeAndFlush(new PeerMessage.Extended(theirUtMetadata,
                                            UtMetadataCodec.encode(new UtMetadataMessage.Data(r.piece(), forged.length, piece(forged, r.piece())))));
                                }
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
    }

    private static byte[] piece(byte[] metadata, int index) {
        int from = index * 16 * 1024;
        return java.util.Arrays.copyOfRange(metadata, from, Math.min(metadata.length, from + 16 * 1024));
    }
}
