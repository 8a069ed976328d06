package dev.magnetar.engine;

import dev.magnetar.engine.DialRace.Transport;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.MseInitiator;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.WirePipeline;
import dev.magnetar.wire.utp.UtpChannel;
import dev.magnetar.wire.utp.UtpMultiplexer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a torrent's outgoing peer connections. With uTP on, each dial is a {@link DialRace}: uTP first,
 * TCP after a short head start, and the connection whose BitTorrent handshake arrives first is kept; a
 * peer that ignored our uTP SYNs before is dialled over TCP alone ({@link UtpSilentPeers}).
 * Both carry the same pipeline, so the peer protocol above does not know which.
 */
final class PeerDialer implements PeerList.Dialer {

    private static final Logger log = LoggerFactory.getLogger(PeerDialer.class);
    private static final String PEER_HANDLER = "peer";
    private static final String RACE_GATE = "dial-race";
    private static final String HOLD = "dial-hold";

    private final Engine engine;
    private final Torrent torrent;

    PeerDialer(Engine engine, Torrent torrent) {
        this.engine = engine;
        this.torrent = torrent;
    }

    @Override
    public void dial(InetSocketAddress address, boolean encrypted, PeerList<?> list) {
        UtpMultiplexer utp = engine.utp();
        boolean raceUtp = utp != null && !engine.utpSilentPeers().dialOverTcpAlone(address);
        DialRace.start(new Legs(address, encrypted, utp, swarmHashFor(address, list)), outcome(address, encrypted, list, raceUtp, false),
                raceUtp, DialRace.HEAD_START_MILLIS);
    }

    /**
     * @param punchIfUnanswered a dial that tried uTP and TCP and heard nothing on either asks for a BEP 55
     *     rendezvous (the answer to a rendezvous, a uTP-only dial, does not ask again)
     * @param utpOnly a hang-up before the handshake is retried with MSE over uTP alone
     */
    private DialRace.Outcome outcome(InetSocketAddress address, boolean encrypted, PeerList<?> list, boolean punchIfUnanswered,
                                     boolean utpOnly) {
        return new DialRace.Outcome() {
            @Override
            public void utpUnanswered() {
                engine.utpSilentPeers().silentOverUtp(address);
            }

            @Override
            public void won(Transport transport) {
                log.debug("{}: connected to {} over {}", torrent, address, transport);
                onTorrentLoop(() -> {
                    list.dialEnded(address);
                    list.connectMore();
                });
            }

            @Override
            public void lost(boolean hungUp) {
                engine.utpSilentPeers().forget(address); // if it was dialled over TCP alone, race both next time
                onTorrentLoop(() -> {
                    list.dialEnded(address);
                    if (hungUp && utpOnly) {
                        list.closedBeforeUtpHandshake(address, encrypted);
                    } else if (hungUp) {
                        list.closedBeforeHandshake(address, encrypted);
                    } else if (punchIfUnanswered) {
                        torrent.dialUnanswered(address);
                    }
                    list.connectMore();
                });
            }
        };
    }

    @Override
    public void dialUtp(InetSocketAddress address, boolean encrypted, PeerList<?> list) {
        UtpMultiplexer utp = engine.utp();
        if (utp == null) {
            log.debug("{}: cannot answer a hole punch to {}: uTP is off", torrent, address);
            onTorrentLoop(() -> list.dialEnded(address));
            return;
        }
        DialRace.startUtpOnly(new Legs(address, encrypted, utp, swarmHashFor(address, list)), outcome(address, encrypted, list, false, true));
    }

    /** The race's attempts over real channels. */
    private final class Legs implements DialRace.Legs {

        private final InetSocketAddress address;
        private final boolean encrypted;
        private final UtpMultiplexer utp;
        private final InfoHash swarmHash;

        Legs(InetSocketAddress address, boolean encrypted, UtpMultiplexer utp, InfoHash swarmHash) {
            this.address = address;
            this.encrypted = encrypted;
            this.utp = utp;
            this.swarmHash = swarmHash;
        }

        @Override
        public DialRace.Leg start(Transport transport, DialRace race) {
            return transport == Transport.UTP ? startUtp(race) : startTcp(race);
        }

        @Override
        public DialRace.Cancellable schedule(Runnable task, long millis) {
            ScheduledFuture<?> f = torrent.loop().schedule(task, millis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }

        private DialRace.Leg startUtp(DialRace race) {
            UtpChannel ch = utp.newChannel(address);
            install(ch, race, Transport.UTP);
            utp.eventLoop().register(ch).addListener(registered -> {
                if (!registered.isSuccess()) {
                    race.ended(Transport.UTP);
                    return;
                }
                ch.connect(address).addListener((ChannelFuture f) -> report(f, race, Transport.UTP));
            });
            // Both run on the uTP loop, behind the registration queued there first.
            return leg(utp.eventLoop(), () -> ch, race, Transport.UTP);
        }

        private DialRace.Leg leg(io.netty.channel.EventLoop loop, java.util.function.Supplier<Channel> channel,
                DialRace race, Transport transport) {
            return new DialRace.Leg() {
                @Override
                public void beginHandshake() {
                    loop.execute(() -> {
                        Channel ch = channel.get();
                        if (ch.isActive() && ch.pipeline().get(HOLD) instanceof HoldUntilTurn hold) {
                            hold.release(ch.pipeline().context(HOLD)); // MSE or the plain handshake starts on it
                        }
                    });
                }

                @Override
                public void close() {
                    loop.execute(() -> channel.get().close());
                }
            };
        }

        private DialRace.Leg startTcp(DialRace race) {
            Bootstrap b = new Bootstrap()
                    .group(torrent.loop()) // the torrent's own loop: its outgoing peers need no hop at all
                    .channel(engine.transport().socketChannel())
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, PeerTransport.READ_SIZES)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            install(ch, race, Transport.TCP);
                        }
                    });
            ChannelFuture f = b.connect(address);
            f.addListener((ChannelFuture done) -> report(done, race, Transport.TCP));
            return leg(torrent.loop(), f::channel, race, Transport.TCP);
        }

        private void report(ChannelFuture f, DialRace race, Transport transport) {
            if (!f.isSuccess()) {
                log.debug("{}: no {} to {}: {}", torrent, transport, address, f.cause().toString());
                race.ended(transport);
                return;
            }
            race.connected(transport);
            f.channel().closeFuture().addListener(closed -> race.ended(transport));
        }

        private void install(Channel ch, DialRace race, Transport transport) {
            Handshake ours = engine.dialHandshakeFor(swarmHash);
            InfoHash upgrade = engine.upgradeHashFor(swarmHash);
            if (encrypted) {
                WirePipeline.installOutgoing(ch.pipeline(), engine.settings().wire(), ours, upgrade,
                        new MseInitiator(swarmHash.bytes(), engine.secureRandom()));
            } else {
                WirePipeline.installOutgoing(ch.pipeline(), engine.settings().wire(), ours, upgrade);
            }
            ch.pipeline().addFirst(HOLD, new HoldUntilTurn());
            ch.pipeline().addLast(RACE_GATE, new RaceGate(race, transport));
            ch.pipeline().addLast(PEER_HANDLER,
                    PeerChannelHandler.forTorrents(h -> torrent.knownBy(h) ? torrent : null));
        }
    }

    /**
     * BEP 52's hybrid swarm rule, as libtorrent keeps it: a peer found only under the hybrid's other
     * info-hash is greeted with that hash (it may know the torrent by no other), any other with ours.
     */
    private InfoHash swarmHashFor(InetSocketAddress address, PeerList<?> list) {
        InfoHash other = torrent.otherSwarmHash();
        return other != null && list.inOtherSwarmOnly(address) ? other : torrent.infoHash();
    }

    /**
     * Lets a peer handshake through to the peer handler only if its transport wins the race; the loser
     * is closed before the torrent ever sees it, so it is neither counted nor admitted.
     */
    private static final class RaceGate extends ChannelInboundHandlerAdapter {

        private final DialRace race;
        private final Transport transport;

        RaceGate(DialRace race, Transport transport) {
            this.race = race;
            this.transport = transport;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (!(evt instanceof PeerHandshakeCompleted)) {
                ctx.fireUserEventTriggered(evt);
            } else if (race.handshakeArrived(transport)) {
                ctx.fireUserEventTriggered(evt);
                ctx.pipeline().remove(this);
            } else {
                ctx.close();
            }
        }
    }

    private void onTorrentLoop(Runnable r) {
        if (torrent.loop().inEventLoop()) {
            r.run();
        } else {
            torrent.loop().execute(r);
        }
    }
}
