package dev.magnetar.engine;

import dev.magnetar.wire.ExtensionHandler;
import dev.magnetar.wire.ExtensionHandshake;
import dev.magnetar.wire.ExtensionPeer;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * Tells a test when a torrent has read a peer's BEP 10 handshake offering an extension: what a relay
 * must have seen of a target before it can introduce anyone to it (BEP 55, as libtorrent answers a
 * rendezvous for a peer whose handshake has not come with NoSupport). An extension of its own, since the
 * registry calls every enabled extension with each handshake, after the ones registered before it; so
 * once this one hears of a peer, the torrent's own extensions have. Register it before the peer
 * connects; its name in our {@code m} is ignored by peers that do not know it.
 */
final class ExtensionHandshakeWatch implements ExtensionHandler {

    private final String extension;
    private final InetSocketAddress endpoint;
    private final CompletableFuture<Void> seen = new CompletableFuture<>();

    private ExtensionHandshakeWatch(String extension, InetSocketAddress endpoint) {
        this.extension = extension;
        this.endpoint = endpoint;
    }

    /**
     * Completes once {@code torrent} has read the extension handshake of the peer known by {@code endpoint}
     * (its address with the listen port of its handshake), offering {@code extension}.
     */
    static CompletableFuture<Void> offering(Torrent torrent, String extension, InetSocketAddress endpoint) {
        ExtensionHandshakeWatch watch = new ExtensionHandshakeWatch(extension, endpoint);
        torrent.extensions().register(watch);
        return watch.seen;
    }

    @Override
    public String name() {
        return "magnetar_test_watch";
    }

    @Override
    public void peerHandshake(ExtensionPeer peer, ExtensionHandshake theirs) {
        InetSocketAddress known = new InetSocketAddress(peer.address().getAddress(), theirs.listenPort().orElse(peer.address().getPort()));
        if (known.equals(endpoint) && theirs.idOf(extension).isPresent()) {
            seen.complete(null);
        }
    }

    @Override
    public void message(ExtensionPeer peer, byte[] payload) {
    }

    @Override
    public void peerGone(ExtensionPeer peer) {
    }
}
