package dev.magnetar.engine;

import dev.magnetar.wire.ExtensionHandler;
import dev.magnetar.wire.ExtensionHandshake;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The BEP 10 extensions of one torrent ({@link ExtensionHandler}s: ut_metadata, ut_pex, later the
 * speed extension) and the message ids we assigned them. {@link PeerConnection} builds our extension
 * handshake from here and routes extended messages by id, so a new extension plugs in without
 * touching it. BEP 10: the ids in our
 * handshake's {@code m} are the ones peers must use when sending to us; we pick 1, 2, 3, ... in
 * registration order (0 is the handshake itself). Register everything before peers connect; a
 * protocol added later is only announced to peers that connect afterwards.
 */
public final class ExtensionRegistry {

    private final List<ExtensionHandler> protocols = new ArrayList<>();
    private java.net.Inet6Address ourIpv6;

    /** @return the local id assigned to it */
    public synchronized int register(ExtensionHandler protocol) {
        for (ExtensionHandler p : protocols) {
            if (p.name().equals(protocol.name())) {
                throw new IllegalArgumentException("extension " + protocol.name() + " is already registered");
            }
        }
        if (protocols.size() >= 0xFF) {
            throw new IllegalStateException("BEP 10 ids are one byte; no room for another extension");
        }
        protocols.add(protocol);
        return protocols.size();
    }

    public synchronized List<ExtensionHandler> all() {
        return Collections.unmodifiableList(new ArrayList<>(protocols));
    }

    /** The protocol that receives messages sent to us under {@code localId}. */
    public synchronized Optional<ExtensionHandler> byLocalId(int localId) {
        if (localId < 1 || localId > protocols.size()) {
            return Optional.empty();
        }
        ExtensionHandler p = protocols.get(localId - 1);
        return p.enabled() ? Optional.of(p) : Optional.empty();
    }

    /** BEP 10's {@code ipv6} in our handshakes from now on (null: none); see {@code OwnIpv6Address}. */
    synchronized void ourIpv6(java.net.Inet6Address address) {
        ourIpv6 = address;
    }

    /**
     * Our extension handshake: every enabled protocol in {@code m} plus the keys each contributes,
     * and the connection-level keys given here.
     */
    public synchronized ExtensionHandshake handshake(String client, int listenPort, int reqq) {
        ExtensionHandshake.Builder b = ExtensionHandshake.builder().client(client).reqq(reqq);
        if (listenPort > 0) {
            b.listenPort(listenPort);
        }
        if (ourIpv6 != null) {
            b.ipv6(ourIpv6);
        }
        for (int i = 0; i < protocols.size(); i++) {
            ExtensionHandler p = protocols.get(i);
            if (p.enabled()) {
                b.message(p.name(), i + 1);
                p.contributeTo(b);
            }
        }
        return b.build();
    }
}
