package dev.magnetar.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.api.Settings;
import dev.magnetar.daemon.ApiToken;
import dev.magnetar.daemon.Daemon;
import dev.magnetar.daemon.DaemonState;
import dev.magnetar.daemon.DaemonStateFile;
import dev.magnetar.daemon.EngineLauncher;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.nativehost.DaemonClient;
import dev.magnetar.testing.ChildJvm;
import dev.magnetar.wallet.ScryptParams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code magnetar download} with the user's helper running: the job goes to the helper over its API;
 * without a usable helper it runs in this process, or stops when the helper's files are wrong.
 */
class HelperDownloadTest {

    private static final long GUARD_SECONDS = 120;

    @TempDir
    Path dir;

    private Path home;
    private Path torrent;
    private byte[] content;
    private Engine seeder;

    private record Run(int exit, String err) {}

    @BeforeEach
    void seedAFile() throws Exception {
        home = Files.createDirectories(dir.resolve("home"));
        content = new byte[3 * 256 * 1024 + 12_345];
        new Random(23).nextBytes(content);
        Path seedDir = Files.createDirectories(dir.resolve("seed"));
        Path data = Files.write(seedDir.resolve("data.bin"), content);
        torrent = dir.resolve("t.torrent");
        assertEquals(0, run("create", data.toString(), "--out", torrent.toString()).exit());
        seeder = Engine.start(EngineSettings.builder(dir.resolve("sd"), dir.resolve("sr")).listen("127.0.0.1", 0)
                .discovery(PeerDiscoverySettings.offline()).utp(false).build());
        seeder.add(MetainfoParser.parse(Files.readAllBytes(torrent)), seedDir, AddOptions.defaults())
                .completion().get(GUARD_SECONDS, TimeUnit.SECONDS);
    }

    @AfterEach
    void stopSeeder() {
        seeder.close();
    }

    private String seederPeer() {
        return "127.0.0.1:" + seeder.listenAddress().getPort();
    }

    private static Run run(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        return new Run(cl.execute(args), err.toString());
    }

    /** The user's helper, as the daemon command starts it, with nothing reaching past loopback. */
    private Daemon startHelper() throws Exception {
        writeHelperSettings();
        return Daemon.start(new Daemon.Options(home, 0, (dataDir, s) -> Engine.open(EngineLauncher.settingsFor(dataDir, s)
                .toBuilder().discovery(PeerDiscoverySettings.offline()).build()), new ScryptParams(1 << 4, 8, 1)));
    }

    private void writeHelperSettings() throws IOException {
        Files.writeString(home.resolve("settings.json"), "{\"downloadDir\":\"" + home.resolve("dl") + "\",\"quitWithBrowser\":false,"
                + "\"listenPort\":0,\"network\":\"devnet\",\"devnetPort\":0}");
    }

    private String helperToken() throws Exception {
        return ApiToken.read(ApiToken.defaultFile(home));
    }

    @Test
    void downloadIsHandedToTheRunningHelperWhichVerifiesItAndSeedsOn() throws Exception {
        try (Daemon helper = startHelper()) {
            Path out = dir.resolve("out");
            Run r = run("download", torrent.toString(), "--dir", out.toString(), "--data-dir", home.toString(), "--peer", seederPeer());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.err().contains("handed to the running helper (pid " + ProcessHandle.current().pid() + ")"), r.err());
            assertTrue(r.err().contains("goes on seeding it"), r.err());
            assertArrayEquals(content, Files.readAllBytes(out.resolve("data.bin")));
            String hash = MetainfoParser.parse(Files.readAllBytes(torrent)).info().infoHash().hex();
            DaemonClient.Answer detail = new DaemonClient().get(helper.port(), helperToken(), "/torrents/" + hash);
            assertEquals("SEEDING", detail.body().path("status").path("state").asText());
            assertEquals(out.toAbsolutePath().toString(), detail.body().path("saveFolder").asText());
        }
    }

    /**
     * A helper still bringing its last session back answers the torrent routes 503 HELPER_STARTING: the
     * command says so, asks again, and hands the download over once the helper is past its start, rather
     * than failing or guessing that the torrent is not there.
     */
    @Test
    void aHelperStillStartingIsAskedAgainUntilItCanTakeTheDownload() throws Exception {
        CountDownLatch mayRestore = new CountDownLatch(1);
        Daemon.EngineFactory restoreHeldBack = new Daemon.EngineFactory() {
            @Override
            public TorrentControl open(Path dataDir, Settings s) throws Exception {
                return Engine.open(EngineLauncher.settingsFor(dataDir, s).toBuilder().discovery(PeerDiscoverySettings.offline()).build());
            }

            @Override
            public void restoreSession(Engine engine) {
                try {
                    assertTrue(mayRestore.await(GUARD_SECONDS, TimeUnit.SECONDS), "the test never let the helper restore its session");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                engine.restoreSession();
            }
        };
        writeHelperSettings();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            // No wait at the gate: every torrent route answers 503 HELPER_STARTING until the session is back.
            Future<Daemon> starting = threads.submit(() -> Daemon.start(new Daemon.Options(home, 0, restoreHeldBack,
                    new ScryptParams(1 << 4, 8, 1)).withStartupWait(Duration.ZERO)));
            awaitAnnounced(starting);
            Path out = dir.resolve("out");
            LineSignal err = new LineSignal("is still starting; waiting for it");
            Future<Integer> download = threads.submit(() -> {
                CommandLine cl = Main.newCommandLine();
                cl.setErr(new PrintWriter(err, true));
                cl.setOut(new PrintWriter(new StringWriter()));
                return cl.execute("download", torrent.toString(), "--dir", out.toString(), "--data-dir", home.toString(), "--peer", seederPeer());
            });
            assertTrue(err.seen.await(GUARD_SECONDS, TimeUnit.SECONDS), "the command never heard the helper was starting: " + err);
            assertFalse(download.isDone(), "it waits for the helper rather than giving up: " + err);
            mayRestore.countDown();
            try (Daemon helper = starting.get(GUARD_SECONDS, TimeUnit.SECONDS)) {
                assertEquals(0, download.get(GUARD_SECONDS, TimeUnit.SECONDS), err.toString());
                assertTrue(err.toString().contains("handed to the running helper"), err.toString());
                assertArrayEquals(content, Files.readAllBytes(out.resolve("data.bin")));
            }
        } finally {
            mayRestore.countDown();
            threads.shutdownNow();
        }
    }

    /** What the command writes to its error stream; {@link #seen} once a line holds {@code wanted}. */
    private static final class LineSignal extends StringWriter {
        final CountDownLatch seen = new CountDownLatch(1);
        private final String wanted;

        LineSignal(String wanted) {
            this.wanted = wanted;
        }

        @Override
        public void flush() {
            super.flush();
            if (toString().contains(wanted)) {
                seen.countDown();
            }
        }
    }

    private void awaitAnnounced(Future<Daemon> starting) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
        while (DaemonStateFile.read(DaemonStateFile.defaultFile(home)).isEmpty()) {
            if (starting.isDone()) {
                starting.get(); // throws what ended the start
                throw new AssertionError("the start ended without announcing the helper");
            }
            assertTrue(System.nanoTime() < deadline, "the helper was never announced");
            TimeUnit.MILLISECONDS.sleep(10); // polling interval, not synchronisation
        }
    }

    @Test
    void withoutAHelperTheDownloadRunsInThisProcess() throws Exception {
        // What a crashed helper leaves: daemon.json naming a live process (this one) and a port where nothing listens.
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ApiToken.write(ApiToken.defaultFile(home), ApiToken.generate(new SecureRandom()));
        DaemonStateFile.write(DaemonStateFile.defaultFile(home), new DaemonState(ProcessHandle.current().pid(), closedPort, "test",
                "2026-01-01T00:00:00Z", ApiToken.defaultFile(home).toString()));
        Path out = dir.resolve("out");
        Run r = run("download", torrent.toString(), "--dir", out.toString(), "--data-dir", home.toString(), "--peer", seederPeer(),
                "--bind", "127.0.0.1", "--no-dht", "--no-lsd");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("helper"), r.err());
        assertArrayEquals(content, Files.readAllBytes(out.resolve("data.bin")));
        assertTrue(Files.isDirectory(home.resolve("resume")), "the in-process engine keeps its resume data in the data folder");
    }

    @Test
    void aHelperThatRefusesTheTokenFileStopsTheCommandWithTheReasonAndAddsNothing() throws Exception {
        try (Daemon helper = startHelper()) {
            String real = helperToken();
            Path tokenFile = ApiToken.defaultFile(home);
            ApiToken.write(tokenFile, ApiToken.generate(new SecureRandom()));
            Path out = dir.resolve("out");
            Run refused = run("download", torrent.toString(), "--dir", out.toString(), "--data-dir", home.toString(), "--peer", seederPeer());
            assertEquals(DownloadCommand.EXIT_FAILED, refused.exit(), refused.err());
            assertTrue(refused.err().startsWith("error: ") && refused.err().contains("refused the token in " + tokenFile)
                    && refused.err().contains("--standalone"), refused.err());

            Files.writeString(tokenFile, "not a token\r\nX-Injected: 1");
            Run garbage = run("download", torrent.toString(), "--dir", out.toString(), "--data-dir", home.toString(), "--peer", seederPeer());
            assertEquals(DownloadCommand.EXIT_FAILED, garbage.exit(), garbage.err());
            assertTrue(garbage.err().contains("holds no token"), garbage.err());

            Files.delete(tokenFile);
            Run missing = run("download", torrent.toString(), "--dir", out.toString(), "--data-dir", home.toString(), "--peer", seederPeer());
            assertEquals(DownloadCommand.EXIT_FAILED, missing.exit(), missing.err());
            assertTrue(missing.err().contains("cannot read the helper's token file " + tokenFile), missing.err());

            assertEquals(0, helper.torrentCount());
            assertFalse(Files.exists(out.resolve("data.bin")));
            assertEquals(200, new DaemonClient().get(helper.port(), real, "/health").status(), "the helper itself is untouched");
        }
    }

    @Test
    void ctrlCTakesATorrentItHandedOverBackOutOfTheHelperAndLeavesOneThatWasThere() throws Exception {
        try (Daemon helper = startHelper()) {
            int nobody;
            try (ServerSocket s = new ServerSocket(0)) {
                nobody = s.getLocalPort(); // a peer that is never there: the download cannot finish before the signal
            }
            Process cli = startCli("--peer", "127.0.0.1:" + nobody);
            awaitErrLine(cli, "handed to the running helper");
            assertEquals(1, helper.torrentCount());
            cli.destroy(); // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C's SIGINT
            assertTrue(cli.waitFor(GUARD_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, helper.torrentCount(), "the hook removed the torrent before the process ended");

            String hash = MetainfoParser.parse(Files.readAllBytes(torrent)).info().infoHash().hex();
            String body = "{\"torrentBase64\":\"" + java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(torrent))
                    + "\",\"downloadDir\":\"" + dir.resolve("theirs").toAbsolutePath() + "\"}";
            assertEquals(201, new DaemonClient().post(helper.port(), helperToken(), "/torrents/file",
                    new com.fasterxml.jackson.databind.ObjectMapper().readTree(body)).status());
            Process follower = startCli("--peer", "127.0.0.1:" + nobody);
            awaitErrLine(follower, "already has");
            follower.destroy();
            assertTrue(follower.waitFor(GUARD_SECONDS, TimeUnit.SECONDS));
            assertEquals(200, new DaemonClient().get(helper.port(), helperToken(), "/torrents/" + hash).status(),
                    "a torrent someone else added stays");
        }
    }

    private Process startCli(String... extra) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("download", torrent.toString(), "--dir",
                dir.resolve("out").toString(), "--data-dir", home.toString()));
        args.addAll(java.util.List.of(extra));
        return new ProcessBuilder(ChildJvm.command("dev.magnetar.cli.Main", args.toArray(String[]::new)))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Reads the child's stderr until a line holds {@code wanted}; the rest is drained so the child never blocks. */
    private static void awaitErrLine(Process p, String wanted) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains(wanted)) {
                Thread drain = new Thread(() -> {
                    try {
                        in.transferTo(java.io.Writer.nullWriter());
                    } catch (java.io.IOException ignored) {
                        // the child ended
                    }
                }, "cli-stderr-drain");
                drain.setDaemon(true);
                drain.start();
                return;
            }
        }
        throw new AssertionError("the CLI ended (exit " + p.waitFor() + ") without saying \"" + wanted + "\":\n" + seen);
    }
}
