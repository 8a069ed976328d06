package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.GUARD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ChildJvm;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenAddressTest {

    @TempDir
    Path root;

    @Test
    void theDefaultIsTheDualStackWildcard() {
        assertEquals("::", EngineSettings.defaults(root, root).listenAddress());
        assertTrue(ListenAddress.isIpv6Wildcard("::"));
        assertTrue(ListenAddress.isIpv6Wildcard("[::]"));
        assertFalse(ListenAddress.isIpv6Wildcard("::1"));
        assertFalse(ListenAddress.isIpv6Wildcard("0.0.0.0"));
        assertFalse(ListenAddress.isIpv6Wildcard("localhost"));
    }

    @Test
    void withoutIpv6TheWildcardFallsBackToIpv4() throws Exception {
        List<InetSocketAddress> tried = new ArrayList<>();
        InetSocketAddress bound = ListenAddress.bind("::", 6881, a -> {
            tried.add(a);
            if (a.getAddress() instanceof java.net.Inet6Address) {
                throw new UnsupportedAddressTypeException();
            }
            return a;
        });
        assertEquals(new InetSocketAddress("0.0.0.0", 6881), bound);
        assertEquals(2, tried.size());
    }

    @Test
    void aPortInUseIsReportedAsAskedNotAsAnIpv4Fallback() {
        List<BindException> failures = new ArrayList<>();
        BindException thrown = assertThrows(BindException.class, () -> ListenAddress.bind("::", 6881, a -> {
            failures.add(new BindException("Address already in use: " + a));
            throw failures.get(failures.size() - 1);
        }));
        assertSame(failures.get(0), thrown);
        assertEquals(1, thrown.getSuppressed().length, "the IPv4 attempt is kept as suppressed");
    }

    @Test
    void anExplicitAddressIsNeverReplaced() {
        List<InetSocketAddress> tried = new ArrayList<>();
        assertThrows(BindException.class, () -> ListenAddress.bind("::1", 6881, a -> {
            tried.add(a);
            throw new BindException("no");
        }));
        assertEquals(1, tried.size());
    }

    /**
     * A JVM told to keep to IPv4 ({@code java.net.preferIPv4Stack}) refuses IPv6 sockets as a host
     * without IPv6 does: the engine still starts, on IPv4 with uTP beside it, and says why in its log.
     */
    @Test
    void anEngineOnAHostWithoutIpv6StartsOnIpv4AndSaysSo() throws Exception {
        List<String> command = ChildJvm.command(List.of("-Djava.net.preferIPv4Stack=true", "-Xmx64m"),
                Ipv4OnlyHostMain.class.getName(), root.toString());
        try (ChildProcess child = ChildProcess.startMerged(command)) {
            child.awaitLine(l -> l.contains("No IPv6 here") && l.contains("IPv4 only"), GUARD, "the fallback's log line");
            String listening = child.awaitLine(l -> l.startsWith("LISTENING "), GUARD, "the engine's address");
            assertTrue(listening.matches("LISTENING 0\\.0\\.0\\.0:\\d+ UTP true"), listening);
            assertEquals(0, child.waitFor(GUARD));
        }
    }

    /** The child of {@link #anEngineOnAHostWithoutIpv6StartsOnIpv4AndSaysSo}: the default listener, no discovery. */
    public static final class Ipv4OnlyHostMain {
        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            EngineSettings s = EngineSettings.builder(dir.resolve("downloads"), dir.resolve("resume"))
                    .discovery(PeerDiscoverySettings.offline()).utp(true).build();
            try (Engine engine = Engine.start(s)) {
                System.out.println("LISTENING " + Engine.hostPort(engine.listenAddress()) + " UTP " + (engine.utp() != null));
            }
        }
    }
}
