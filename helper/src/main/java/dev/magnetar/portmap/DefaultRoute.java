package dev.magnetar.portmap;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the IPv4 default route's gateway. Java has no API for the routing table; on Linux the kernel
 * publishes it in {@code /proc/net/route}, read here without running a command. Elsewhere the mapper
 * stays off and says so.
 */
public final class DefaultRoute {

    private static final Logger log = LoggerFactory.getLogger(DefaultRoute.class);
    static final Path PROC_NET_ROUTE = Path.of("/proc/net/route");
    private static final int RTF_UP = 0x1;
    private static final int RTF_GATEWAY = 0x2;

    /** One row of the table: the interface and the gateway of a default route. */
    record Entry(String interfaceName, Inet4Address gateway, int metric) {
    }

    private DefaultRoute() {}

    /** The gateway of this machine's default route, with our address on its interface; empty when there is none. */
    public static Optional<Gateway> find() {
        if (!Files.isReadable(PROC_NET_ROUTE)) {
            log.info("port mapping off: the default gateway is read from {}, which this system lacks", PROC_NET_ROUTE);
            return Optional.empty();
        }
        try {
            Optional<Entry> route = parse(Files.readString(PROC_NET_ROUTE));
            if (route.isEmpty()) {
                return Optional.empty();
            }
            return localAddress(route.get().interfaceName())
                    .map(local -> new Gateway(route.get().gateway(), route.get().interfaceName(), local));
        } catch (IOException e) {
            log.info("port mapping off: cannot read {}: {}", PROC_NET_ROUTE, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The default route with the lowest metric in the text of {@code /proc/net/route}: destination and
     * mask 0, flags up and gateway. Addresses there are hexadecimal in the kernel's byte order, which is
     * little-endian on every platform Magnetar ships for.
     */
    static Optional<Entry> parse(String table) {
        Entry best = null;
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) { // the first line names the columns
            String[] f = lines[i].trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                if (!f[1].equals("00000000") || !f[7].equals("00000000") || (flags & (RTF_UP | RTF_GATEWAY)) != (RTF_UP | RTF_GATEWAY)) {
                    continue;
                }
                long hex = Long.parseLong(f[2], 16);
                if (f[2].length() != 8 || hex == 0) {
                    continue;
                }
                byte[] ip = {(byte) hex, (byte) (hex >> 8), (byte) (hex >> 16), (byte) (hex >> 24)};
                int metric = Integer.parseInt(f[6]);
                if (best == null || metric < best.metric()) {
                    best = new Entry(f[0], (Inet4Address) InetAddress.getByAddress(ip), metric);
                }
            } catch (NumberFormatException | UnknownHostException e) {
                log.debug("skipping an unreadable line of {}: {}", PROC_NET_ROUTE, lines[i]);
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<Inet4Address> localAddress(String interfaceName) {
        try {
            NetworkInterface ni = NetworkInterface.getByName(interfaceName);
            if (ni == null) {
                return Optional.empty();
            }
            return Collections.list(ni.getInetAddresses()).stream()
                    .filter(a -> a instanceof Inet4Address).map(a -> (Inet4Address) a).findFirst();
        } catch (SocketException e) {
            log.info("port mapping off: cannot read interface {}: {}", interfaceName, e.toString());
            return Optional.empty();
        }
    }
}
