package dev.magnetar.dht;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The two address families of the DHT. BEP 32 runs IPv6 as a second DHT beside the IPv4 one: the same
 * node id and messages, its own routing table, contacts in "nodes6" (38-byte entries) and peers as
 * 18-byte compact values. {@link #want} is the string that asks for a family in a query's "want" list.
 */
public enum IpFamily {
    V4("n4"),
    V6("n6");

    private final String want;

    IpFamily(String want) {
        this.want = want;
    }

    /** "n4" or "n6" (BEP 32). */
    public String want() {
        return want;
    }

    /** The family a "want" entry names, or null for one we do not know (BEP 32 says to ignore those). */
    public static IpFamily ofWant(String entry) {
        for (IpFamily f : values()) {
            if (f.want.equals(entry)) {
                return f;
            }
        }
        return null;
    }

    /** Java already turns IPv4-mapped IPv6 addresses (a dual-stack socket's IPv4 senders) into IPv4 ones. */
    public static IpFamily of(InetAddress address) {
        return address instanceof Inet4Address ? V4 : V6;
    }

    public static IpFamily of(InetSocketAddress address) {
        return of(address.getAddress());
    }
}
