package dev.magnetar.engine;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The IPv6 address we tell HTTP trackers in BEP 7's {@code ipv6=}, so that a tracker reached over
 * IPv4 can still hand us to IPv6 peers: the listen address itself when it is one IPv6 address, else,
 * when we listen on the dual-stack wildcard, the host's first global unicast IPv6 address. Link-local
 * ({@code fe80::/10}), unique-local ({@code fc00::/7}), loopback and IPv4-mapped addresses are never
 * offered from the wildcard: a peer elsewhere could not dial them.
 */
final class OwnIpv6Address {

    private static final Logger log = LoggerFactory.getLogger(OwnIpv6Address.class);

    private OwnIpv6Address() {}

    /** What to announce for {@code listen}, given the host's addresses; null for nothing. */
    static Inet6Address choose(InetSocketAddress listen, List<InetAddress> hostAddresses) {
        InetAddress bound = listen.getAddress();
        if (bound instanceof Inet6Address v6 && !bound.isAnyLocalAddress()) {
            return v6;
        }
        if (!(bound instanceof Inet6Address)) {
            return null; // an IPv4 listener: IPv6 peers cannot reach it
        }
        for (InetAddress a : hostAddresses) {
            if (a instanceof Inet6Address v6 && isGlobalUnicast(v6)) {
                return v6;
            }
        }
        return null;
    }

    /** {@link #choose} with this host's interfaces (those that are up). */
    static Inet6Address of(InetSocketAddress listen) {
        if (!(listen.getAddress() instanceof Inet6Address) || !listen.getAddress().isAnyLocalAddress()) {
            return choose(listen, List.of());
        }
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (ni.isUp() && !ni.isLoopback()) {
                    addresses.addAll(Collections.list(ni.getInetAddresses()));
                }
            }
        } catch (SocketException e) {
            log.debug("cannot list network interfaces ({}); no ipv6= in announces", e.toString());
        }
        return choose(listen, addresses);
    }

    static boolean isGlobalUnicast(Inet6Address a) {
        byte[] b = a.getAddress();
        boolean uniqueLocal = (b[0] & 0xfe) == 0xfc; // RFC 4193
        return !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isSiteLocalAddress() && !a.isMulticastAddress()
                && !a.isAnyLocalAddress() && !uniqueLocal && !a.isIPv4CompatibleAddress();
    }
}
