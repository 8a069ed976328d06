package dev.magnetar.engine;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Reads the "host:port" form users type for a peer. Apart from {@link Engine} so that a command that only
 * hands peers on (the CLI giving a download to the running helper) does not load and start the engine's
 * classes and logging to read one.
 */
public final class PeerAddresses {

    private PeerAddresses() {}

    /** "host:port" (IPv6 as "[addr]:port"), as in magnet x.pe and the CLI's --peer; a host name is resolved. */
    public static Optional<InetSocketAddress> parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            return Optional.empty();
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (port < 1 || port > 0xFFFF) {
                return Optional.empty();
            }
            return Optional.of(new InetSocketAddress(host, port));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
