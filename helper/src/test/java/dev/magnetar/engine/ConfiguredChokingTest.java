package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.addressOf;
import static dev.magnetar.engine.EngineFixtures.await;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.Handshake;
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
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The choker's slots come from {@link EngineSettings#choker()}, not from a constant. */
class ConfiguredChokingTest {

    @TempDir
    Path root;

    /**
     * Six interested peers against 5 regular + 1 optimistic slots are all unchoked at once; with the
     * default 4 + 1 one of them would stay choked (the optimistic slot rotates, it does not grow).
     */
    @Test
    void seederUnchokesAsManyInterestedPeersAsItsConfiguredSlots() throws Exception {
        int peers = 6;
        ChokerSettings sixSlots = ChokerSettings.DEFAULTS.withRegularSlots(peers - 1);
        Path content = root.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "slots", 32 * 1024, 100_000);
        EngineSettings settings = loopback(root, "seeder").toBuilder().choker(sixSlots).build();
        EventLoopGroup group = new NioEventLoopGroup(1);
        List<Channel> channels = new ArrayList<>();
        Engine engine = Engine.start(settings);
        try {
            await(engine.add(info, content, List.of(), AddOptions.defaults()).completion(), "seeder's check");
            Semaphore changes = new Semaphore(0);
            List<AtomicBoolean> unchoked = new ArrayList<>();
            for (int i = 0; i < peers; i++) {
                AtomicBoolean state = new AtomicBoolean();
                unchoked.add(state);
                byte[] peerId = String.format("-TT0001-slots%07d", i).getBytes(StandardCharsets.US_ASCII);
                Channel ch = connect(group, Handshake.of(info.infoHash(), peerId, true, true, false), addressOf(engine),
                        state, changes);
                channels.add(ch);
                ch.writeAndFlush(new PeerMessage.HaveNone());
                ch.writeAndFlush(new PeerMessage.Interested());
            }
            long deadline = System.nanoTime() + EngineFixtures.GUARD.toNanos();
            while (unchoked.stream().filter(AtomicBoolean::get).count() < peers && System.nanoTime() < deadline) {
                changes.tryAcquire(1, TimeUnit.SECONDS);
            }
            assertEquals(peers, unchoked.stream().filter(AtomicBoolean::get).count(),
                    "peers unchoked at once with " + sixSlots);
        } finally {
            for (Channel ch : channels) {
                ch.close();
            }
            EngineFixtures.closeAll(null, group, engine);
        }
    }

    private static Channel connect(EventLoopGroup group, Handshake ours, java.net.InetSocketAddress seeder,
            AtomicBoolean unchoked, Semaphore changes) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        WirePipeline.installOutgoing(ch.pipeline(), WireOptions.defaults(), ours);
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof PeerMessage.Unchoke) {
                                    unchoked.set(true);
                                    changes.release();
                                } else if (msg instanceof PeerMessage.Choke) {
                                    unchoked.set(false);
                                    changes.release();
                                }
                                ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                })
                .connect(seeder).sync().channel();
    }
}
