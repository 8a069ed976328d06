package dev.magnetar.engine;

import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.MseInitiator;
import dev.magnetar.wire.WirePipeline;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens a torrent's outgoing peer connections over the engine's TCP transport, on the torrent's own loop. */
final class PeerDialer implements PeerList.Dialer {

    private static final Logger log = LoggerFactory.getLogger(PeerDialer.class);
    private static final String PEER_HANDLER = "peer";

    private final Engine engine;
    private final Torrent torrent;

    PeerDialer(Engine engine, Torrent torrent) {
        this.engine = engine;
        this.torrent = torrent;
    }

    @Override
    public void dial(InetSocketAddress address, boolean encrypted, PeerList<?> list) {
        Handshake ours = engine.handshakeFor(torrent.infoHash());
        Bootstrap b = new Bootstrap()
                .group(torrent.loop()) // the torrent's own loop: its outgoing peers need no hop at all
                .channel(engine.transport().socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, PeerTransport.READ_SIZES)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (encrypted) {
                            WirePipeline.installOutgoing(ch.pipeline(), engine.settings().wire(), ours,
                                    new MseInitiator(torrent.infoHash().bytes(), engine.secureRandom()));
                        } else {
                            WirePipeline.installOutgoing(ch.pipeline(), engine.settings().wire(), ours);
                        }
                        ch.pipeline().addLast(PEER_HANDLER,
                                PeerChannelHandler.forTorrents(h -> h.equals(torrent.infoHash()) ? torrent : null));
                    }
                });
        ChannelFuture f = b.connect(address);
        f.addListener(result -> {
            list.dialEnded(address);
            if (!result.isSuccess()) {
                log.debug("{}: cannot connect to {}: {}", torrent, address, result.cause().toString());
            } else {
                // Connected: if it ends before the peer's handshake, maybe it wants encryption. On the
                // channel's loop, which is the torrent's (group above).
                PeerChannelHandler peer = (PeerChannelHandler) f.channel().pipeline().get(PEER_HANDLER);
                f.channel().closeFuture().addListener(closed -> {
                    if (peer != null && !peer.handshakeReceived()) {
                        list.closedBeforeHandshake(address, encrypted);
                    }
                });
            }
            list.connectMore();
        });
    }
}
