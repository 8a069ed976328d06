package dev.magnetar.webseed;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a host is on this machine or its local network, or on the public Internet. A web seed's
 * redirect must stay in the scope it started in: a public server must not steer the helper at
 * 127.0.0.1 or the LAN (server-side request forgery; libtorrent's {@code ssrf_mitigation} refuses the
 * same), and a loopback server — every test's — must never send it out to a public address.
 */
public enum AddressScope {
    LOCAL, PUBLIC;

    /** The scope of {@code host}'s addresses (looked up; blocking for a name) — LOCAL if any address is. */
    public static AddressScope of(String host) throws UnknownHostException {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        for (InetAddress a : InetAddress.getAllByName(bare)) {
            if (isLocal(a)) {
                return LOCAL;
            }
        }
        return PUBLIC;
    }

    static boolean isLocal(InetAddress a) {
        if (a.isLoopbackAddress() || a.isAnyLocalAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        // RFC 4193 unique local fc00::/7 and RFC 6598 shared address space 100.64.0.0/10: private too.
        return (b.length == 16 && (b[0] & 0xfe) == 0xfc)
                || (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64);
    }
}
