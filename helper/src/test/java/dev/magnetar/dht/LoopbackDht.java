package dev.magnetar.dht;

import dev.magnetar.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Settings for DHT nodes in tests: loopback only (127.0.0.1, ::1), never the public routers, one-IP
 * rules relaxed.
 */
final class LoopbackDht {

    private LoopbackDht() {}

    static DhtSettings settings(List<String> bootstrap, Path stateFile) {
        for (String b : bootstrap) {
            if (!b.startsWith("127.0.0.1:")) {
                throw new IllegalArgumentException("tests bootstrap only from 127.0.0.1, not " + b);
            }
        }
        // Every node shares 127.0.0.1, so the per-IP limit must allow the whole test network.
        return new DhtSettings(true, "127.0.0.1", 0, bootstrap, true, false, stateFile, 5000, 5000, 20000,
                Duration.ofSeconds(1));
    }

    /** A node bound to ::1 only, in the IPv6 DHT alone (BEP 32), bootstrapping from ::1 nodes. */
    static DhtSettings ipv6(List<String> bootstrap) {
        return onLoopback("::1", bootstrap);
    }

    /** A node bound to "::", in both DHTs, bootstrapping from loopback nodes of either family. */
    static DhtSettings dualStack(List<String> bootstrap) {
        return onLoopback("::", bootstrap);
    }

    private static DhtSettings onLoopback(String bind, List<String> bootstrap) {
        for (String b : bootstrap) {
            if (!b.startsWith("127.0.0.1:") && !b.startsWith("[::1]:")) {
                throw new IllegalArgumentException("tests bootstrap only from 127.0.0.1 or ::1, not " + b);
            }
        }
        return settings(List.of(), null).withBindAddress(bind, 0).withBootstrapNodes(bootstrap);
    }

    static String address(DhtNode node) {
        return "127.0.0.1:" + node.port();
    }

    static String address6(DhtNode node) {
        return "[::1]:" + node.port();
    }

    /**
     * Looks {@code infoHash} up from {@code searcher} until the answer names {@code wanted} or
     * {@code overall} has passed, and returns the last answer: a peer announces asynchronously, so
     * one lookup may run before its announce has landed.
     */
    static List<InetSocketAddress> lookUpUntilFound(DhtNode searcher, InfoHash infoHash, InetSocketAddress wanted,
            Duration overall) throws Exception {
        long deadline = System.nanoTime() + overall.toNanos();
        List<InetSocketAddress> peers = List.of();
        while (!peers.contains(wanted) && System.nanoTime() < deadline) {
            peers = searcher.getPeers(infoHash).get(30, TimeUnit.SECONDS);
            if (!peers.contains(wanted)) {
                TimeUnit.MILLISECONDS.sleep(200); // polling interval between lookups, not synchronisation
            }
        }
        return peers;
    }
}
