package dev.magnetar.testing;

import dev.magnetar.metainfo.TorrentInfo;
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
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A peer that lies, built from the wire codecs on 127.0.0.1: it claims every piece (HaveAll), unchokes,
 * serves the odd pieces correctly and flips bytes in every block of the even ones.
 */
public final class HostileSeeder implements AutoCloseable {

    public static final byte[] PEER_ID = "-XX0001-liarliarliar".getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group;
    private final InetSocketAddress address;
    private final AtomicInteger connections = new AtomicInteger();

    private HostileSeeder(TorrentInfo info, Path content) throws InterruptedException {
        group = new NioEventLoopGroup(1);
        Map<Integer, byte[]> pieces = new ConcurrentHashMap<>();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.incrementAndGet();
                        WirePipeline.installIncoming(ch.pipeline(), WireOptions.defaults(),
                                (remote, from) -> Handshake.of(info.infoHash(), PEER_ID, true, true, false));
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                if (evt instanceof PeerHandshakeCompleted) {
                                    ctx.write(new PeerMessage.HaveAll());
                                    ctx.writeAndFlush(new PeerMessage.Unchoke());
                                }
                            }

                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof PeerMessage.Request r) {
                                    byte[] piece = pieces.computeIfAbsent(r.piece(), i -> TestTorrents.readPiece(info, content, i));
                                    byte[] block = Arrays.copyOfRange(piece, r.begin(), r.begin() + r.length());
                                    if (isCorrupt(r.piece())) {
                                        for (int i = 0; i < block.length; i += 97) {
                                            block[i] ^= 0x5A;
                                        }
                                    }
                                    ctx.writeAndFlush(new PeerMessage.Piece(r.piece(), r.begin(), block));
                                }
                                ReferenceCountUtil.release(msg); // a received block (InboundPiece) would be ours to release
                            }
                        });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        address = new InetSocketAddress("127.0.0.1", ((InetSocketAddress) server.localAddress()).getPort());
    }

    /** Listens on a free loopback port, seeding {@code info} from {@code content} with its even pieces corrupted. */
    public static HostileSeeder start(TorrentInfo info, Path content) throws InterruptedException {
        return new HostileSeeder(info, content);
    }

    /** Whether this peer corrupts the blocks of {@code piece}. */
    public static boolean isCorrupt(int piece) {
        return piece % 2 == 0;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() throws InterruptedException {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
