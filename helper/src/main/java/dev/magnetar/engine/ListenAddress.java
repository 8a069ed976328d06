package dev.magnetar.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the peer sockets (TCP listener, and its UDP twin for uTP and the DHT) bind, and what to do on
 * a host without IPv6.
 *
 * <p>The default, {@value #ANY}, is one dual-stack socket per protocol rather than one socket per
 * family: peers learn a single port from trackers, the DHT and PEX, and both families must find us on
 * it; one socket keeps one accept loop, and on Linux/macOS/Windows Java (and Netty's epoll) clear
 * {@code IPV6_V6ONLY}, so IPv4 peers arrive as plain IPv4 addresses ({@code ::ffff:a.b.c.d} is mapped
 * back) and ban lists, PEX and trackers keep seeing them as IPv4. libtorrent binds per interface and
 * family because it must choose source addresses per interface; we bind the wildcard only.
 *
 * <p>A host where IPv6 is switched off (kernel {@code ipv6.disable=1}, or a JVM with
 * {@code java.net.preferIPv4Stack}) refuses an IPv6 socket: we then listen on {@value #ANY_IPV4} and
 * say so in the log, rather than not starting.
 */
final class ListenAddress {

    private static final Logger log = LoggerFactory.getLogger(ListenAddress.class);

    /** Every address of both families, on one dual-stack socket. */
    static final String ANY = "::";
    static final String ANY_IPV4 = "0.0.0.0";

    /** Binds one socket; its failure is the exception thrown. */
    @FunctionalInterface
    interface Binder<T> {
        T bind(InetSocketAddress address) throws Exception;
    }

    private ListenAddress() {}

    /**
     * Binds {@code address:port}; when {@code address} is the IPv6 wildcard and that fails, binds the
     * IPv4 wildcard instead (logged). If that fails too, the first failure is thrown (the second
     * suppressed in it): a port in use is reported as it was asked for.
     */
    static <T> T bind(String address, int port, Binder<T> binder) throws Exception {
        try {
            return binder.bind(new InetSocketAddress(address, port));
        } catch (Exception dualStack) {
            if (!isIpv6Wildcard(address)) {
                throw dualStack;
            }
            try {
                T v4 = binder.bind(new InetSocketAddress(ANY_IPV4, port));
                log.info("No IPv6 here: cannot listen on [::]:{} ({}); accepting peers over IPv4 only, on {}:{}",
                        port, dualStack.toString(), ANY_IPV4, port);
                return v4;
            } catch (Exception v4Failure) {
                dualStack.addSuppressed(v4Failure);
                throw dualStack;
            }
        }
    }

    static boolean isIpv6Wildcard(String address) {
        if (!address.contains(":")) {
            return false;
        }
        try {
            return InetAddress.getByName(address).isAnyLocalAddress(); // a literal: no lookup
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
