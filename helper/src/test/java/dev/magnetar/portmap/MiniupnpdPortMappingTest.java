package dev.magnetar.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.ChildProcess;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.ChildJvm;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 *
 * <p>End to end: a tracker in "wan" (outside the NAT) must hear the port the router granted, and
 * libtorrent there, which knows us only from that tracker and accepts no connection itself, downloads
 * from us through the mapping — over TCP, and over uTP (the UDP mapping).
 */
class MiniupnpdPortMappingTest {

    /** Patient: child JVMs and libtorrent start slowly on a loaded machine; nothing here waits on time. */
    private static final Duration GUARD = Duration.ofSeconds(120);
    /** Below the ephemeral range, where the other tests' engines listen. */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT_LISTEN_PORT = new java.util.concurrent.atomic.AtomicInteger(21_000);

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

    @Test
    void aPeerOutsideFindsTheMappedPortAtTheTrackerAndDownloadsThroughItOverTcp() throws Exception {
        downloadFromOutside("tcp");
    }

    @Test
    void aPeerOutsideFindsTheMappedPortAtTheTrackerAndDownloadsThroughItOverUtp() throws Exception {
        downloadFromOutside("utp");
    }

    /**
     * Our listen port is taken on the router by another host's TCP mapping, so the router grants another
     * external port for TCP: the tracker must hear that one (not our local one), UDP must be mapped at the
     * same number (peers dial uTP at the port trackers name, though our own number is free for UDP), and
     * a peer outside reaches us only there.
     */
    private static void downloadFromOutside(String transport) throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        String name = "mapped-" + transport + ".bin";
        Path content = dir.resolve("content-" + transport);
        TorrentInfo info = TestTorrents.singleFile(content, name, 32 * 1024, 3 * 1024 * 1024 + 321);
        Path torrent = TorrentFiles.write(info, dir.resolve(transport + ".torrent"));
        Path saved = dir.resolve("outside-" + transport);
        int listen = NEXT_LISTEN_PORT.getAndAdd(2); // the LAN namespace is the test's own: nothing else listens there
        ns.occupyExternalTcpPort(listen, listen + 1);
        try (ChildProcess tracker = ChildProcess.start(List.of("ip", "netns", "exec", ns.wan, python.toString(),
                script("http_tracker.py"), ns.wanAddress), null)) {
            String url = "http://" + ns.wanAddress + ":" + tracker.awaitLine(l -> l.startsWith("READY "), GUARD, "the tracker listening")
                    .split(" ")[1] + "/announce";
            try (Probe probe = Probe.start("PCP,NAT_PMP,UPNP", info.infoHash().hex(), 3600, "listen=" + listen,
                    "seed=" + torrent + "," + content + "," + url)) {
                String[] mapped = probe.expect("MAPPED");
                int tcp = Integer.parseInt(mapped[3]);
                assertNotEquals(listen, tcp, "our port is taken on the router: it granted another");
                assertEquals(tcp, Integer.parseInt(mapped[4]), "UDP (uTP, the DHT) at the external port peers are told, as TCP");
                tracker.awaitLine(l -> l.startsWith("ANNOUNCE " + ns.externalAddress + " " + tcp + " "), GUARD,
                        "our seeder announcing the mapped port " + tcp + " (listening on " + listen + ")");

                try (ChildProcess leecher = ChildProcess.start(List.of("ip", "netns", "exec", ns.wan, python.toString(),
                        script("lt_tracker_download.py"), torrent.toString(), saved.toString(), ns.wanAddress, url, transport), null)) {
                    String dial = leecher.awaitLine(l -> l.startsWith("DIAL "), GUARD, "libtorrent dialling the peer the tracker named");
                    assertTrue(dial.startsWith("DIAL " + ns.externalAddress + " " + tcp + " "), "it dialled the router's mapped port: " + dial);
                    leecher.awaitLine("DONE"::equals, GUARD, "libtorrent's download through the mapping");
                }
                String[] incoming = probe.expect("INCOMING");
                assertEquals(ns.wanAddress, incoming[1], "our engine was dialled from outside the NAT");
            }
        }
        assertEquals(-1L, Files.mismatch(content.resolve(name), saved.resolve(name)), "every byte arrived intact");
    }

    private static String script(String name) throws Exception {
        return Path.of(MiniupnpdPortMappingTest.class.getResource("/interop/" + name).toURI()).toString();
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

        static Probe start(String methods, String infoHash, long lifetimeSeconds, String... options) throws Exception {
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", ns.lan));
            List<String> args = new ArrayList<>(List.of(methods, infoHash, dir.resolve("probe-" + infoHash.substring(0, 8)).toString(),
                    String.valueOf(lifetimeSeconds)));
            args.addAll(List.of(options));
            command.addAll(ChildJvm.command(List.of("-Xmx96m"), PortMapperProbe.class.getName(), args.toArray(String[]::new)));
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
