package dev.magnetar.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.ChildJvm;
import dev.magnetar.testing.ExternalTools;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Port mapping against Debian's miniupnpd as the NAT gateway of a network namespace: our engine and
 * mapper run in "lan" (a child JVM that finds the gateway from the default route, as in production),
 * a peer in "wan" dials the router's external address. See {@link NatNamespaces}.
 */
class MiniupnpdPortMappingTest {

    @TempDir
    static Path dir;
    private static NatNamespaces ns;

    @BeforeAll
    static void gateway() throws Exception {
        ns = NatNamespaces.create(dir);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void pcpMapsBothPortsAPeerOutsideReachesUsAndExitRemovesThem() throws Exception {
        String infoHash = randomInfoHash();
        try (Probe probe = Probe.start("PCP,NAT_PMP,UPNP", infoHash, 7200)) {
            String[] mapped = probe.expect("MAPPED");
            assertEquals("pcp", mapped[1]);
            assertEquals(ns.externalAddress, mapped[2], "PCP tells the router's external address");
            int tcp = Integer.parseInt(mapped[3]);
            int udp = Integer.parseInt(mapped[4]);
            String rules = ns.mappingRules();
            assertTrue(rules.contains("0x6 th dport " + tcp + " dnat ip to " + ns.lanAddress + ":" + probe.port), rules);
            assertTrue(rules.contains("0x11 th dport " + udp + " dnat ip to " + ns.lanAddress + ":" + probe.port), rules);

            assertEquals(infoHash, handshakeFromOutside(tcp, infoHash), "our engine answered a peer outside through the mapped port");

            probe.close();
            String after = ns.mappingRules();
            assertFalse(after.contains("dnat ip to " + ns.lanAddress + ":" + probe.port), "exit removes the mappings:\n" + after);
        }
    }

    @Test
    void natPmpMapsReportsTheExternalAddressAndRenewsBeforeExpiry() throws Exception {
        try (Probe probe = Probe.start("NAT_PMP", randomInfoHash(), 2)) {
            String[] mapped = probe.expect("MAPPED");
            assertEquals("nat-pmp", mapped[1]);
            assertEquals(ns.externalAddress, mapped[2]);
            probe.expect("RENEWED"); // at half the 2 s lifetime, well before miniupnpd lets it lapse
            assertTrue(ns.mappingRules().contains("dnat ip to " + ns.lanAddress + ":" + probe.port));
            probe.close();
            assertFalse(ns.mappingRules().contains("dnat ip to " + ns.lanAddress + ":" + probe.port));
        }
    }

    @Test
    void upnpFindsTheGatewayBySsdpMapsWithSoapAndDeletesAtExit() throws Exception {
        try (Probe probe = Probe.start("UPNP", randomInfoHash(), 3600)) {
            String[] mapped = probe.expect("MAPPED");
            assertEquals("upnp", mapped[1]);
            assertEquals(ns.externalAddress, mapped[2], "GetExternalIPAddress");
            assertEquals(probe.port, Integer.parseInt(mapped[3]));
            String rules = ns.mappingRules();
            assertTrue(rules.contains("0x6 th dport " + probe.port + " dnat ip to " + ns.lanAddress + ":" + probe.port), rules);
            assertTrue(rules.contains("0x11 th dport " + probe.port + " dnat ip to " + ns.lanAddress + ":" + probe.port), rules);
            probe.close();
            assertFalse(ns.mappingRules().contains("dnat ip to " + ns.lanAddress + ":" + probe.port));
        }
    }

    private static String randomInfoHash() {
        byte[] h = new byte[20];
        ThreadLocalRandom.current().nextBytes(h);
        return HexFormat.of().formatHex(h);
    }

    /** A BitTorrent handshake (BEP 3) from the "wan" namespace to the router's external port; returns the info-hash answered. */
    private static String handshakeFromOutside(int port, String infoHash) throws Exception {
        String script = "import socket,sys\n"
                + "s=socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=20)\n"
                + "s.sendall(bytes([19])+b'BitTorrent protocol'+bytes(8)+bytes.fromhex(sys.argv[3])+b'-XX0000-000000000000')\n"
                + "b=b''\n"
                + "while len(b)<48:\n"
                + "  c=s.recv(48-len(b))\n"
                + "  if not c: break\n"
                + "  b+=c\n"
                + "print(b[28:48].hex())\n";
        ExternalTools.Result r = ExternalTools.run(Duration.ofSeconds(30), "ip", "netns", "exec", ns.wan, "python3", "-c", script,
                ns.externalAddress, String.valueOf(port), infoHash);
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout().strip();
    }

    /** The child JVM of {@link PortMapperProbe} in the "lan" namespace. */
    private static final class Probe implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final List<String> seen = new ArrayList<>();
        final int port;
        private boolean closed;

        private Probe(Process process) throws Exception {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.port = Integer.parseInt(expect("LISTENING")[1]);
        }

        static Probe start(String methods, String infoHash, long lifetimeSeconds) throws Exception {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.lan));
            command.addAll(ChildJvm.command(List.of("-Xmx96m"), PortMapperProbe.class.getName(), methods, infoHash,
                    dir.resolve("probe-" + infoHash.substring(0, 8)).toString(), String.valueOf(lifetimeSeconds)));
            return new Probe(new ProcessBuilder(command).redirectError(dir.resolve("probe-" + infoHash.substring(0, 8) + ".log").toFile())
                    .start());
        }

        /** The next line starting with {@code word} (earlier lines are kept for the failure message). */
        String[] expect(String word) throws Exception {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith(word + " ") || line.equals(word)) {
                    return line.split(" ");
                }
                if (line.startsWith("FAILED")) {
                    throw new AssertionError("expected " + word + ", the mapper said: " + line);
                }
            }
            throw new AssertionError("the probe ended before saying " + word + "; it said " + seen);
        }

        @Override
        public void close() throws Exception {
            if (closed) {
                return;
            }
            closed = true;
            try (Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("close\n");
            }
            try {
                expect("CLOSED");
            } finally {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
