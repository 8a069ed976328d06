package dev.magnetar.speed;

import static dev.magnetar.speed.SpeedNode.BTT;
import static dev.magnetar.speed.SpeedNode.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.Metainfo;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentCreator;
import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TransmissionCli;
import dev.magnetar.tracker.EmbeddedTracker;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7 acceptance: peers that do not speak {@code mg_speed} — libtorrent, aria2 and Transmission — in
 * a swarm where a Magnetar seeder sells a paid slot to a boosting Magnetar downloader are served as
 * before: they complete with the right bytes while the boosted download pays.
 */
class SpeedInteropTest {

    static final long MIB = 1L << 20;
    /** Transmission has been seen to take minutes over its first peer (shared/TESTING.md); only a hang guard. */
    static final Duration TRANSMISSION_GUARD = Duration.ofMinutes(5);

    @TempDir
    Path root;

    @Test
    void libtorrentAria2AndTransmissionCompleteBesideABoostedMagnetar() throws Exception {
        Path python = ExternalTools.requireLibtorrentPython();
        Path aria2c = ExternalTools.requireExecutable("aria2c");
        Path transmissionCli = ExternalTools.requireExecutable("transmission-cli");
        Path content = root.resolve("content");
        TestTorrents.singleFile(content, "interop.bin", 256 * 1024, 16 * MIB);
        try (Devnet devnet = BlockProducingDevnet.start(root.resolve("devnet"));
                EmbeddedTracker tracker = EmbeddedTracker.start(0)) {
            byte[] torrentBytes = TorrentCreator.create(content.resolve("interop.bin"), new TorrentCreator.Options(
                    List.of(List.of(tracker.announceUri().toString())), 256 * 1024, false, null, "Magnetar test", null), n -> { });
            Path torrentFile = root.resolve("interop.torrent");
            Files.write(torrentFile, torrentBytes);
            Metainfo metainfo = MetainfoParser.parse(torrentBytes);
            SpeedSettings seller = SpeedSwarmTest.sellerSettings();
            Process lt = null;
            Process aria2 = null;
            Process transmission = null;
            try (SpeedNode seeder = new SpeedNode("seeder", root, devnet, seller, 25, 4 * MIB, null);
                    SpeedNode a = new SpeedNode("a", root, devnet, seller.withAsk(BigInteger.ZERO), 25, 0, null)) {
                Torrent seeding = seeder.engine.add(metainfo, content, AddOptions.defaults());
                seeding.completion().get(60, TimeUnit.SECONDS);
                a.approveBoost("boost", metainfo.info(), BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(200)));
                Torrent ta = a.engine.add(metainfo, root.resolve("a"), AddOptions.defaults());
                ta.addPeer(seeder.address());

                Path ltDir = Files.createDirectories(root.resolve("lt"));
                lt = new ProcessBuilder(python.toString(), script("lt_download.py"), torrentFile.toString(), ltDir.toString(),
                        "127.0.0.1:" + seeder.address().getPort()).redirectError(root.resolve("lt.err").toFile()).start();
                CompletableFuture<Boolean> ltDone = linesUntil(lt, "DONE");
                Path ariaDir = Files.createDirectories(root.resolve("aria2"));
                aria2 = new ProcessBuilder(aria2c.toString(), "--no-conf", "--seed-time=0", "--enable-dht=false", "--enable-dht6=false",
                        "--enable-peer-exchange=false", "--bt-enable-lpd=false", "--listen-port=" + freePort(), "--interface=127.0.0.1",
                        "--bt-external-ip=127.0.0.1", "--summary-interval=0", "--console-log-level=warn", "--disable-ipv6=true",
                        "-d", ariaDir.toString(), torrentFile.toString())
                        .redirectErrorStream(true).redirectOutput(root.resolve("aria2.log").toFile()).start();

                Path trDir = Files.createDirectories(root.resolve("transmission"));
                int trPort = freePort();
                TransmissionCli cli = TransmissionCli.prepare(transmissionCli, Files.createDirectories(root.resolve("transmission-home")),
                        trPort, trDir, torrentFile);
                Path trLog = root.resolve("transmission.log");
                ProcessBuilder trBuilder = new ProcessBuilder(cli.command()).redirectErrorStream(true).redirectOutput(trLog.toFile());
                trBuilder.environment().putAll(cli.environment());
                transmission = trBuilder.start();
                // Don't wait for Transmission's own tracker cycle: the seeder dials it once it listens (it binds
                // its port before its first status line).
                awaitWhileAlive(transmission, () -> outputLines(trLog).stream().anyMatch(TransmissionCli::isStatusLine), trLog,
                        "Transmission's first status line");
                seeding.addPeer(new InetSocketAddress("127.0.0.1", trPort));

                ta.completion().get(120, TimeUnit.SECONDS);
                assertTrue(ltDone.get(120, TimeUnit.SECONDS), "libtorrent completed: " + Files.readString(root.resolve("lt.err")));
                assertTrue(aria2.waitFor(120, TimeUnit.SECONDS), "aria2 finished");
                assertEquals(0, aria2.exitValue(), "aria2 completed: " + Files.readString(root.resolve("aria2.log")));
                byte[] expected = sha256(content.resolve("interop.bin"));
                assertArrayEquals(expected, sha256(ltDir.resolve("interop.bin")), "libtorrent got the right bytes");
                assertArrayEquals(expected, sha256(ariaDir.resolve("interop.bin")), "aria2 got the right bytes");
                awaitWhileAlive(transmission, () -> Files.exists(cli.doneMarker()), trLog, "Transmission ran its done-script");
                assertArrayEquals(expected, sha256(trDir.resolve("interop.bin")), "Transmission got the right bytes");
                TorrentSpeed speed = a.speed(ta);
                awaitCondition(() -> speed.download().account(seeder.key.address()).map(x -> x.paid().signum() > 0).orElse(false),
                        "the boosted Magnetar paid the seeder");
            } finally {
                for (Process p : new Process[] {lt, aria2, transmission}) {
                    if (p != null && p.isAlive()) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }

    /** Polls {@code condition} while {@code p} runs; the guard only stops a hang. */
    private static void awaitWhileAlive(Process p, BooleanSupplier condition, Path log, String what) throws Exception {
        long deadline = System.nanoTime() + TRANSMISSION_GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (!p.isAlive()) {
                throw new AssertionError(what + ": the process exited with " + p.exitValue() + " first; output:\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within the " + TRANSMISSION_GUARD + " hang guard; output:\n" + tail(log));
            }
            p.waitFor(100, TimeUnit.MILLISECONDS); // poll interval that also returns at once if it exits
        }
    }

    /** Its output so far, split on \r too: Transmission redraws its status line with \r. */
    private static List<String> outputLines(Path log) {
        try {
            return List.of(Files.readString(log, StandardCharsets.ISO_8859_1).split("[\r\n]+"));
        } catch (java.io.IOException e) {
            return List.of();
        }
    }

    private static String tail(Path log) {
        List<String> lines = outputLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static CompletableFuture<Boolean> linesUntil(Process p, String line) {
        return CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (l.equals(line)) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static String script(String name) throws Exception {
        return Path.of(SpeedInteropTest.class.getResource("/interop/" + name).toURI()).toString();
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
