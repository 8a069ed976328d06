package dev.magnetar.cli;

import dev.magnetar.engine.PeerDiscoverySettings;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The peer-discovery options (DHT, PEX, LSD) of every command that runs an engine: download and seed. */
final class DiscoveryMixin {

    @Option(names = "--no-dht", description = "Do not use the BEP 5 DHT to find peers.")
    boolean noDht;

    @Option(names = "--dht-port", paramLabel = "N", defaultValue = "6881",
            description = "UDP port of our DHT node (default: ${DEFAULT-VALUE}; another free one if taken). While uTP is on the DHT "
                    + "shares the listen port's UDP socket instead.")
    int dhtPort;

    @Option(names = "--dht-bootstrap", paramLabel = "HOST:PORT",
            description = "DHT node to join through (repeatable; default: the well-known public routers).")
    List<String> dhtBootstrap = new ArrayList<>();

    @Option(names = "--no-pex", description = "Do not exchange peers with peers (BEP 11).")
    boolean noPex;

    @Option(names = "--no-lsd", description = "Do not announce or listen on the LAN (BEP 14).")
    boolean noLsd;

    /** {@code base} with these options applied. @throws IllegalArgumentException naming the bad option */
    PeerDiscoverySettings apply(PeerDiscoverySettings base) {
        if (dhtPort < 0 || dhtPort > 0xFFFF) {
            throw new IllegalArgumentException("--dht-port must be 0..65535, not " + dhtPort);
        }
        PeerDiscoverySettings s = base.withDht(base.dht().withBindAddress(base.dht().bindAddress(), dhtPort));
        if (!dhtBootstrap.isEmpty()) {
            s = s.withDht(s.dht().withBootstrapNodes(dhtBootstrap)); // validates host:port, naming the entry
        }
        if (noDht) {
            s = s.withDhtEnabled(false);
        }
        if (noPex) {
            s = s.withPex(false, s.pex());
        }
        return s.withLsd(!noLsd && s.lsdEnabled());
    }
}
