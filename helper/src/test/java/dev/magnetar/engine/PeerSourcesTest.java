package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.dht.DhtSettings;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loopback safety rule: an engine that accepts peers only on loopback keeps its DHT on the machine. */
class PeerSourcesTest {

    private static final InetAddress IPV6_LOOPBACK = address("::1");
    private static final InetAddress ANY = address("::");

    private final DhtSettings publicDefaults = PeerDiscoverySettings.defaults(Path.of("/nonexistent")).dht();
    private final DhtSettings mixed = publicDefaults.withBootstrapNodes(List.of("127.0.0.1:7000", "router.bittorrent.com:6881",
            "localhost:7001", "[::1]:7002"));

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void defaultsAreForRealUsers() {
        PeerDiscoverySettings d = PeerDiscoverySettings.defaults(Path.of("/data/resume"));
        assertTrue(d.dhtEnabled() && d.pexEnabled() && d.lsdEnabled());
        assertEquals(DhtSettings.DEFAULT_BOOTSTRAP_NODES, d.dht().bootstrapNodes());
        assertEquals(Path.of("/data/resume/dht.state"), d.dht().stateFile());
        assertFalse(PeerDiscoverySettings.offline().dhtEnabled() || PeerDiscoverySettings.offline().lsdEnabled());
    }

    @Test
    void onLoopbackThePublicRoutersAreDroppedAndWithNothingLeftTheDhtIsOff() {
        assertFalse(PeerSources.confine(publicDefaults, InetAddress.getLoopbackAddress()).enabled());
        assertFalse(PeerSources.confine(publicDefaults, IPV6_LOOPBACK).enabled());
        assertEquals(publicDefaults, PeerSources.confine(publicDefaults, ANY), "unchanged off loopback");
    }

    @Test
    void onLoopbackLocalBootstrapNodesAreKeptAndTheNodeBindsLoopback() throws Exception {
        DhtSettings confined = PeerSources.confine(mixed, InetAddress.getByName("127.0.0.1"));
        assertTrue(confined.enabled());
        assertEquals("127.0.0.1", confined.bindAddress());
        // Names are never resolved by this rule, not even "localhost"; ::1 is out of an IPv4 socket's reach.
        assertEquals(List.of("127.0.0.1:7000"), confined.bootstrapNodes());
    }

    @Test
    void onIpv6LoopbackTheNodeBindsIpv6LoopbackAndKeepsIpv6LoopbackBootstrapNodes() {
        DhtSettings confined = PeerSources.confine(mixed, IPV6_LOOPBACK);
        assertTrue(confined.enabled());
        assertEquals("::1", confined.bindAddress());
        assertEquals(List.of("[::1]:7002"), confined.bootstrapNodes());
    }

    @Test
    void engineOnLoopbackWithDefaultDiscoveryRunsNoDht(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        EngineSettings s = EngineSettings.builder(root.resolve("d"), root.resolve("r")).listen("127.0.0.1", 0).build();
        try (Engine e = Engine.start(s)) {
            assertTrue(e.dhtNode().isEmpty());
        }
    }
}
