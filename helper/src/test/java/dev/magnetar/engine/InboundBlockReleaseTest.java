package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static dev.magnetar.engine.EngineFixtures.loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.MagnetParser;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.PeerMessageDecoder;
import dev.magnetar.wire.PeerMessageEncoder;
import dev.magnetar.wire.WireOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Received blocks ({@link PeerMessage.InboundPiece}) pin socket memory until released, so
 * {@link PeerChannelHandler} must release every one exactly once, whatever becomes of it. The connection
 * under test is a real one on a real socket, attached to a real torrent; the blocks are fired into its
 * pipeline as the decoder would, each in a buffer of its own whose {@code refCnt} tells whether it
 * was released (a second release would throw {@code IllegalReferenceCountException} on the loop).
 */
class InboundBlockReleaseTest {

    private static final int PIECE_LENGTH = 32 * 1024;
    private static final int BLOCK = 16 * 1024;

    @TempDir
    Path root;

    private Engine engine;
    private Torrent torrent;
    private EventLoopGroup group;
    private final BlockingQueue<PeerMessage.Request> requests = new LinkedBlockingQueue<>();
    private InetSocketAddress peerAddress;
    private int peerCount;

    @BeforeEach
    void setUp() throws Exception {
        TorrentInfo info = TestTorrents.singleFile(root.resolve("content"), "release", PIECE_LENGTH, 4L * PIECE_LENGTH);
        engine = Engine.start(loopback(root, "leecher"));
        torrent = engine.add(info, root.resolve("download"), List.of(), AddOptions.defaults());
        awaitCondition(() -> onLoop(torrent, torrent::isReady), "the torrent's picker");
        group = new NioEventLoopGroup(1);
        // The remote end only records the requests the connection sends; it never sends anything itself.
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new PeerMessageDecoder(WireOptions.defaults(), true),
                                new ChannelInboundHandlerAdapter() {
                                    @Override
                                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                        if (msg instanceof PeerMessage.Request r) {
                                            requests.add(r);
                                        }
                                        ReferenceCountUtil.release(msg);
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        peerAddress = (InetSocketAddress) server.localAddress();
    }

    @AfterEach
    void tearDown() throws Exception {
        EngineFixtures.closeAll(null, group, engine); // the recording peer's server closes with its loops
    }

    @Test
    void acceptedDuplicateAndInvalidBlocksAreAllReleased() throws Exception {
        Channel ch = connect(torrent, torrent.loop(), engine.transport().socketChannel());
        PeerMessage.Request r = unchokedRequest(ch);

        ByteBuf accepted = block(r.length());
        fire(ch, new PeerMessage.InboundPiece(r.piece(), r.begin(), accepted));
        awaitReleased(accepted, "an accepted block");

        ByteBuf duplicate = block(r.length());
        fire(ch, new PeerMessage.InboundPiece(r.piece(), r.begin(), duplicate));
        awaitReleased(duplicate, "a duplicate block");
        assertTrue(ch.isOpen(), "an accepted and a duplicate block are no violation");

        ByteBuf offGrid = block(BLOCK);
        fire(ch, new PeerMessage.InboundPiece(r.piece(), 100, offGrid));
        awaitReleased(offGrid, "a block off the piece's block grid");
        assertTrue(ch.closeFuture().await(GUARD.toMillis()), "the violation closes the connection");

        ByteBuf late = block(BLOCK);
        fire(ch, new PeerMessage.InboundPiece(r.piece(), 0, late));
        awaitReleased(late, "a block arriving after the connection closed");
    }

    @Test
    void blockBeforeTheMetadataIsReleasedWithTheViolation() throws Exception {
        Torrent magnet = engine.addMagnet(MagnetParser.parse("magnet:?xt=urn:btih:" + "cd".repeat(20)),
                root.resolve("magnet"), AddOptions.defaults());
        Channel ch = connect(magnet, magnet.loop(), engine.transport().socketChannel());
        ByteBuf early = block(BLOCK);
        fire(ch, new PeerMessage.InboundPiece(0, 0, early));
        awaitReleased(early, "a block sent before we could have asked for one");
        assertTrue(ch.closeFuture().await(GUARD.toMillis()), "the violation closes the connection");
    }

    @Test
    void blocksHoppingFromAnotherLoopAreReleasedOnTheTorrentsLoop() throws Exception {
        // Like an incoming connection accepted on another loop of the group: every read hops over.
        Channel ch = connect(torrent, group.next(), NioSocketChannel.class);
        PeerMessage.Request r = unchokedRequest(ch);
        ByteBuf accepted = block(r.length());
        fire(ch, new PeerMessage.InboundPiece(r.piece(), r.begin(), accepted));
        awaitReleased(accepted, "an accepted block that hopped loops");
        ByteBuf unexpected = block(BLOCK);
        fire(ch, new PeerMessage.InboundPiece(3, 0, unexpected));
        awaitReleased(unexpected, "a block nobody asked for");
    }

    @Test
    void blockBeforeTheHandshakeIsReleasedAtOnce() throws Exception {
        Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(PeerChannelHandler.forTorrents(h -> torrent)).connect(peerAddress).sync().channel();
        ByteBuf stray = block(BLOCK);
        fire(ch, new PeerMessage.InboundPiece(0, 0, stray));
        awaitReleased(stray, "a block before the handshake named the torrent");
        ch.close().sync();
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A connection to the recording peer on {@code loop} (a channel of {@code loop}'s transport), its
     * handshake done as {@code WirePipeline} would report it.
     */
    private Channel connect(Torrent t, io.netty.channel.EventLoop loop, Class<? extends SocketChannel> channelType)
            throws Exception {
        Channel ch = new Bootstrap().group(loop).channel(channelType)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(PeerMessageEncoder.INSTANCE, PeerChannelHandler.forTorrents(h -> t));
                    }
                })
                .connect(peerAddress).sync().channel();
        byte[] theirId = ("-RT0001-releasetest" + (peerCount++)).getBytes(StandardCharsets.US_ASCII);
        Handshake ours = Handshake.of(t.infoHash(), engine.peerId(), true, true, false);
        Handshake theirs = Handshake.of(t.infoHash(), java.util.Arrays.copyOf(theirId, 20), true, true, false);
        ch.pipeline().fireUserEventTriggered(new PeerHandshakeCompleted(ours, theirs, true));
        return ch;
    }

    /** The peer has everything and unchokes us; returns the first block the connection asks for. */
    private PeerMessage.Request unchokedRequest(Channel ch) throws InterruptedException {
        fire(ch, new PeerMessage.HaveAll());
        fire(ch, new PeerMessage.Unchoke());
        PeerMessage.Request r = requests.poll(GUARD.toSeconds(), TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("the connection never requested a block");
        }
        return r;
    }

    private static void fire(Channel ch, PeerMessage m) {
        ch.eventLoop().execute(() -> ch.pipeline().fireChannelRead(m));
    }

    /** A buffer of its own (not sliced from anything), so its {@code refCnt} is the block's. */
    private static ByteBuf block(int length) {
        ByteBuf b = Unpooled.buffer(length).writeZero(length);
        assertEquals(1, b.refCnt());
        return b;
    }

    private static void awaitReleased(ByteBuf b, String what) throws InterruptedException {
        awaitCondition(() -> b.refCnt() == 0, what + " released");
    }

    private static boolean onLoop(Torrent t, BooleanSupplier s) {
        try {
            return t.loop().submit(s::getAsBoolean).get(GUARD.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** Polls a condition; the deadline is a hang guard only. */
    private static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within the " + GUARD + " hang guard");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
