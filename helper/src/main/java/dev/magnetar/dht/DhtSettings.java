package dev.magnetar.dht;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything that configures a {@link DhtNode}.
 *
 * @param enabled whether the engine should run a DHT node at all
 * @param bindAddress local IP to bind the UDP socket to ("0.0.0.0" for all interfaces)
 * @param port UDP port; 0 picks a free one
 * @param bootstrapNodes "host:port" entries (IPv6 as "[addr]:port") queried to join the network
 * @param enforceNodeId BEP 42: refuse routing-table entries whose id does not fit their public IP
 * @param restrictSameIp at most one routing-table entry per IP address (turn off only for many nodes on
 *     one loopback address in tests, like libtorrent's dht_restrict_routing_ips=false)
 * @param stateFile where the routing table and our node id are kept across restarts, or null for none
 * @param perIpQueriesPerSecond sustained queries per second answered for one source IP
 * @param perIpBurst queries one IP may send at once before its rate applies
 * @param globalQueriesPerSecond queries per second answered in total
 * @param queryTimeout how long to wait for a reply to one of our queries
 */
public record DhtSettings(boolean enabled, String bindAddress, int port, List<String> bootstrapNodes,
                          boolean enforceNodeId, boolean restrictSameIp, Path stateFile,
                          int perIpQueriesPerSecond, int perIpBurst, int globalQueriesPerSecond,
                          Duration queryTimeout) {

    public static final int DEFAULT_PORT = 6881;

    /** The well-known public routers most clients start from. Never used by tests. */
    public static final List<String> DEFAULT_BOOTSTRAP_NODES = List.of(
            "router.bittorrent.com:6881", "dht.transmissionbt.com:6881", "router.utorrent.com:6881");

    public DhtSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        bootstrapNodes = List.copyOf(bootstrapNodes);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("DHT port must be 0..65535, got " + port);
        }
        for (String node : bootstrapNodes) {
            parseHostPort(node);
        }
        if (perIpQueriesPerSecond < 0 || perIpBurst < 1 || globalQueriesPerSecond < 1) {
            throw new IllegalArgumentException("DHT rate limits must be positive");
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new IllegalArgumentException("DHT query timeout must be positive");
        }
    }

    /** Production defaults: all interfaces, port 6881, public routers, every protection on. */
    public static DhtSettings defaults(Path stateFile) {
        return new DhtSettings(true, "0.0.0.0", DEFAULT_PORT, DEFAULT_BOOTSTRAP_NODES, true, true, stateFile,
                10, 40, 400, Duration.ofSeconds(3));
    }

    public DhtSettings withBindAddress(String address, int newPort) {
        return new DhtSettings(enabled, address, newPort, bootstrapNodes, enforceNodeId, restrictSameIp, stateFile,
                perIpQueriesPerSecond, perIpBurst, globalQueriesPerSecond, queryTimeout);
    }

    public DhtSettings withBootstrapNodes(List<String> nodes) {
        return new DhtSettings(enabled, bindAddress, port, nodes, enforceNodeId, restrictSameIp, stateFile,
                perIpQueriesPerSecond, perIpBurst, globalQueriesPerSecond, queryTimeout);
    }

    public DhtSettings withRateLimits(int perIpPerSecond, int perIpBurstSize, int globalPerSecond) {
        return new DhtSettings(enabled, bindAddress, port, bootstrapNodes, enforceNodeId, restrictSameIp, stateFile,
                perIpPerSecond, perIpBurstSize, globalPerSecond, queryTimeout);
    }

    /**
     * Parses "host:port" or "[v6]:port" into an unresolved address (resolved later, off the DHT thread).
     *
     * @throws IllegalArgumentException naming the entry and the expected form
     */
    public static InetSocketAddress parseHostPort(String entry) {
        int colon = entry.lastIndexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException("bootstrap node \"" + entry + "\" is not host:port (e.g. 127.0.0.1:6881)");
        }
        String host = entry.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int p;
        try {
            p = Integer.parseInt(entry.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bootstrap node \"" + entry + "\" has no numeric port", e);
        }
        if (p < 1 || p > 65535 || host.isEmpty()) {
            throw new IllegalArgumentException("bootstrap node \"" + entry + "\" needs a host and a port 1..65535");
        }
        return InetSocketAddress.createUnresolved(host, p);
    }
}
