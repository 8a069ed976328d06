package dev.magnetar.engine;

import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.MseInitiator;
import dev.magnetar.wire.WirePipeline;
import dev.magnetar.wire.utp.UtpChannel;
import dev.magnetar.wire.utp.UtpMultiplexer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a torrent's outgoing peer connections. With uTP on it dials as libtorrent does: uTP first, and
 * TCP when the uTP SYN gets no answer (a few seconds: {@code UtpSocket}'s SYN retries) — whichever
 * connects is kept. Both carry the same pipeline, so the peer protocol above does not know which.
 */
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
        UtpMultiplexer utp = engine.utp();
        if (utp == null) {
            dialTcp(address, encrypted, list);
            return;
        }
        UtpChannel ch = utp.newChannel(address);
        install(ch, encrypted, swarmHashFor(address, list));
        utp.eventLoop().register(ch).addListener(registered -> {
            if (!registered.isSuccess()) {
                dialTcp(address, encrypted, list);
                return;
            }
            ch.connect(address).addListener((ChannelFuture f) -> {
                if (f.isSuccess()) {
                    connected(f.channel(), address, encrypted, list);
                } else {
                    log.debug("{}: no uTP to {} ({}); trying TCP", torrent, address, f.cause().getMessage());
                    dialTcp(address, encrypted, list);
                }
            });
        });
    }

    private void dialTcp(InetSocketAddress address, boolean encrypted, PeerList<?> list) {
        Bootstrap b = new Bootstrap()
                .group(torrent.loop()) // the torrent's own loop: its outgoing peers need no hop at all
                .channel(engine.transport().socketChannel())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RCVBUF_ALLOCATOR, PeerTransport.READ_SIZES)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        install(ch, encrypted, swarmHashFor(address, list));
                    }
                });
        ChannelFuture f = b.connect(address);
        f.addListener(result -> {
            if (!result.isSuccess()) {
                list.dialEnded(address);
                log.debug("{}: cannot connect to {}: {}", torrent, address, result.cause().toString());
                list.connectMore();
            } else {
                connected(f.channel(), address, encrypted, list);
            }
        });
    }

    /**
     * BEP 52's hybrid swarm rule, as libtorrent keeps it: a peer found only under the hybrid's other
     * info-hash is greeted with that hash (it may know the torrent by no other), any other with ours.
     */
    private dev.magnetar.metainfo.InfoHash swarmHashFor(InetSocketAddress address, PeerList<?> list) {
        dev.magnetar.metainfo.InfoHash other = torrent.otherSwarmHash();
        return other != null && list.inOtherSwarmOnly(address) ? other : torrent.infoHash();
    }

    private void install(Channel ch, boolean encrypted, dev.magnetar.metainfo.InfoHash swarmHash) {
        Handshake ours = engine.handshakeFor(swarmHash);
        if (encrypted) {
            WirePipeline.installOutgoing(ch.pipeline(), engine.settings().wire(), ours,
                    new MseInitiator(swarmHash.bytes(), engine.secureRandom()));
        } else {
            WirePipeline.installOutgoing(ch.pipeline(), engine.settings().wire(), ours);
        }
        ch.pipeline().addLast(PEER_HANDLER,
                PeerChannelHandler.forTorrents(h -> torrent.knownBy(h) ? torrent : null));
    }

    /** Connected: if it ends before the peer's handshake, maybe it wants encryption. */
    private void connected(Channel ch, InetSocketAddress address, boolean encrypted, PeerList<?> list) {
        Runnable onTorrentLoop = () -> {
            list.dialEnded(address);
            PeerChannelHandler peer = (PeerChannelHandler) ch.pipeline().get(PEER_HANDLER);
            ch.closeFuture().addListener(closed -> torrent.loop().execute(() -> {
                if (peer != null && !peer.handshakeReceived()) {
                    list.closedBeforeHandshake(address, encrypted);
                }
            }));
            list.connectMore();
        };
        if (torrent.loop().inEventLoop()) {
            onTorrentLoop.run();
        } else {
            torrent.loop().execute(onTorrentLoop);
        }
    }
}
