package dev.magnetar.engine;

import static dev.magnetar.engine.EngineFixtures.assertSameFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.ChildJvm;
import dev.magnetar.testing.TestTorrents;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BEP 55 through two real NATs ({@link TwoNats}): the seeder C sits behind one, the downloader B
 * behind the other, and neither NAT lets the other's dial in. The relay A, outside, is reachable by
 * both; it wants no file, so it can pass on nothing but introductions. A tells B of C through PEX; B's
 * dial to C's outside address fails (its SYNs dropped, its TCP reset), so B asks A for a rendezvous on
 * its own; A's connects make B and C dial each other over uTP at once, which opens both NATs, and B
 * downloads the torrent from C over that connection. Each engine is a child JVM in its namespace.
 */
class HolepunchThroughNatTest {

    @TempDir
    Path dir;

    @Test
    void aDownloaderBehindOneNatGetsTheTorrentFromASeederBehindAnotherThroughAPunchedUtpConnection() throws Exception {
        Path content = dir.resolve("content");
        TorrentInfo info = TestTorrents.multiFile(content, "nat", 16 * 1024, 300_000, 12_345);
        Path infoFile = dir.resolve("nat.info");
        Files.write(infoFile, info.infoBytes());
        try (TwoNats nats = TwoNats.create(dir);
                Probe a = Probe.start(nats.wan, "relay", infoFile, dir.resolve("a-out"), dir.resolve("a"));
                Probe c = Probe.start(nats.lanC, "seeder", infoFile, content, dir.resolve("c"));
                Probe b = Probe.start(nats.lanB, "downloader", infoFile, dir.resolve("b-out"), dir.resolve("b"))) {
            a.awaitReady(); // the three start side by side
            c.awaitReady();
            b.awaitReady();

            c.send("peer " + nats.wanTowardC + " " + a.port);
            String[] cAtA = a.expect("CONNECTED");
            assertTrue(cAtA[1].startsWith(nats.outsideC + ":"), "A sees C at its NAT's outside address: " + cAtA[1]);
            b.send("peer " + nats.wanTowardB + " " + a.port);
            b.expect("CONNECTED"); // A

            String[] bSawC = b.expect("CONNECTED");
            assertEquals(nats.outsideC + ":" + c.port, bSawC[1],
                    "B's connection to C runs to C's NAT's outside address, at the port masquerade kept for C's UDP socket");
            String[] done = b.expect("COMPLETE");
            assertTrue(Long.parseLong(done[1]) >= info.totalLength(), "the torrent came over uTP: " + done[1] + " B");
            assertEquals("1", done[3], "B asked for one rendezvous, after its dial to C failed");
            assertEquals("refused", dialFromLanB(nats, c.port),
                    "and a dial of its own still cannot reach C: only the punch got through C's NAT");
        }
        assertSameFiles(info, content, dir.resolve("b-out"));
    }

    /** A TCP dial from B's network to C's outside endpoint, as B's own dial went: C's NAT resets it. */
    private static String dialFromLanB(TwoNats nats, int port) throws Exception {
        String script = "import socket,sys\n"
                + "try:\n"
                + "  socket.create_connection((sys.argv[1],int(sys.argv[2])),timeout=20)\n"
                + "  print('connected')\n"
                + "except ConnectionRefusedError:\n"
                + "  print('refused')\n";
        dev.magnetar.testing.ExternalTools.Result r = dev.magnetar.testing.ExternalTools.run(java.time.Duration.ofSeconds(30),
                "ip", "netns", "exec", nats.lanB, "python3", "-c", script, nats.outsideC, String.valueOf(port));
        assertEquals(0, r.exitCode(), r.stderr());
        return r.stdout().strip();
    }

    /** A {@link NatPeerProbe} child JVM in a namespace. */
    private static final class Probe implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final Writer in;
        private final List<String> seen = new ArrayList<>();
        int port;

        private final Path log;

        private Probe(Process process, Path log) throws Exception {
            this.process = process;
            this.log = log;
            // Hang guard only (the whole child's life, start-up and checks under load included): a child that
            // never says what the test waits for is ended, so its readLine returns.
            process.onExit().completeOnTimeout(null, 4 * EngineFixtures.GUARD.toSeconds(), TimeUnit.SECONDS)
                    .thenRun(process::destroyForcibly);
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        void awaitReady() throws Exception {
            port = Integer.parseInt(expect("LISTENING")[1]);
            expect("READY");
        }

        static Probe start(String namespace, String role, Path infoFile, Path data, Path work) throws Exception {
            Files.createDirectories(work);
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
            command.addAll(ChildJvm.command(List.of("-Xmx128m", "-XX:TieredStopAtLevel=1", "-Dmagnetar.log.level=" + System.getProperty("magnetar.test.natLogLevel", "info")), NatPeerProbe.class.getName(), role,
                    infoFile.toString(), data.toString(), work.toString()));
            return new Probe(new ProcessBuilder(command).redirectError(work.resolve("stderr.log").toFile()).start(),
                    work.resolve("stderr.log"));
        }

        void send(String line) throws Exception {
            in.write(line + "\n");
            in.flush();
        }

        /** The next line starting with {@code word}; the child's stdout is the synchronisation. */
        String[] expect(String word) throws Exception {
            String line;
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.startsWith(word + " ") || line.equals(word)) {
                    return line.split(" ");
                }
            }
            List<String> logged = Files.readAllLines(log);
            throw new AssertionError("the probe ended before saying " + word + "; it said " + seen + "; its log ends:\n"
                    + String.join("\n", logged.subList(Math.max(0, logged.size() - 60), logged.size())));
        }

        @Override
        public void close() throws Exception {
            try {
                send("close");
            } catch (java.io.IOException gone) {
                // already ended
            }
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            String keep = System.getProperty("magnetar.test.natKeepLogs");
            if (keep != null) {
                Files.createDirectories(Path.of(keep));
                Files.copy(log, Path.of(keep, log.getParent().getFileName() + "-" + ProcessHandle.current().pid() + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
