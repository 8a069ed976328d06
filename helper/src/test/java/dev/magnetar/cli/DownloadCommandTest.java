package dev.magnetar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input to {@code download} and {@code seed}: a clear message and exit code 2, never a stack trace. */
class DownloadCommandTest {

    @TempDir
    Path dir;

    private record Run(int exit, String err) {}

    private Run run(String... args) {
        CommandLine cl = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }

    @Test
    void transferSummaryGivesBytesSecondsAndRate() {
        // 3 MiB in 1.5 s: what bench/swarm parses to compare with libtorrent's in-process timing.
        assertEquals("downloaded 3.0 MiB in 1.50 s (2.0 MiB/s)",
                DownloadCommand.transferSummary(3L << 20, 1_500_000_000L));
    }

    @Test
    void missingTorrentFileIsBadInput() {
        Run r = run("download", dir.resolve("nope.torrent").toString(), "--dir", dir.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void garbageTorrentIsBadInput() throws Exception {
        Path t = Files.write(dir.resolve("bad.torrent"), "d4:infoi3ee".getBytes());
        Run r = run("download", t.toString(), "--dir", dir.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: "), r.err());
    }

    @Test
    void malformedMagnetIsBadInput() {
        Run r = run("download", "magnet:?xt=urn:btih:nothex", "--dir", dir.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("error: "), r.err());
    }

    @Test
    void malformedPeerIsBadInput() throws Exception {
        Run r = run("download", "magnet:?xt=urn:btih:" + "ab".repeat(20), "--dir", dir.toString(), "--peer", "nohostport");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("HOST:PORT"), r.err());
    }

    @Test
    void malformedDhtBootstrapNodeIsBadInput() {
        Run r = run("download", "magnet:?xt=urn:btih:" + "ab".repeat(20), "--dir", dir.toString(),
                "--dht-bootstrap", "router-without-port");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("router-without-port") && r.err().contains("host:port"), r.err());
    }

    @Test
    void dhtPortOutOfRangeIsBadInput() {
        Run r = run("download", "magnet:?xt=urn:btih:" + "ab".repeat(20), "--dir", dir.toString(), "--dht-port", "70000");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--dht-port"), r.err());
    }

    @Test
    void metadataOnlyStopsOnceTheMetadataIsVerifiedAndPrintsTheTime() throws Exception {
        Path content = dir.resolve("content");
        var info = dev.magnetar.testing.TestTorrents.multiFile(content, "meta-only", 16 * 1024, 100_000);
        var settings = dev.magnetar.engine.EngineSettings.builder(dir.resolve("sd"), dir.resolve("sr"))
                .listen("127.0.0.1", 0).discovery(dev.magnetar.engine.PeerDiscoverySettings.offline()).build();
        try (var seeder = dev.magnetar.engine.Engine.start(settings)) {
            seeder.add(info, content, java.util.List.of(), dev.magnetar.engine.AddOptions.defaults())
                    .completion().get(60, java.util.concurrent.TimeUnit.SECONDS);
            CommandLine cl = Main.newCommandLine();
            StringWriter out = new StringWriter();
            cl.setOut(new PrintWriter(out));
            cl.setErr(new PrintWriter(new StringWriter()));
            int exit = cl.execute("download", "magnet:?xt=urn:btih:" + info.infoHash().hex(), "--dir",
                    dir.resolve("out").toString(), "--resume-dir", dir.resolve("r").toString(), "--bind", "127.0.0.1",
                    "--no-dht", "--no-lsd", "--metadata-only", "--peer", "127.0.0.1:" + seeder.listenAddress().getPort());
            assertEquals(0, exit);
            assertTrue(out.toString().matches("(?s)metadata meta-only in \\d+ ms\\R"), out.toString());
        }
    }

    @Test
    void downloadWithUtpFetchesFromALibtorrentSeederThatSpeaksOnlyUtp() throws Exception {
        Path python = dev.magnetar.testing.ExternalTools.requireLibtorrentPython();
        Path data = Files.write(dir.resolve("data.bin"), new java.util.Random(5).ints(300_000).collect(
                java.io.ByteArrayOutputStream::new, (o, i) -> o.write(i), (a, b) -> a.writeBytes(b.toByteArray())).toByteArray());
        Path t = dir.resolve("t.torrent");
        assertEquals(0, run("create", data.toString(), "--out", t.toString()).exit());
        String script = Path.of(DownloadCommandTest.class.getResource("/interop/lt_utp.py").toURI()).toString();
        Process seeder = new ProcessBuilder(python.toString(), script, "seed", t.toString(), dir.toString(), "utp-only")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String ready = new java.io.BufferedReader(new java.io.InputStreamReader(seeder.getInputStream())).readLine();
            assertTrue(ready != null && ready.startsWith("READY "), "libtorrent seeder: " + ready);
            // libtorrent takes no TCP here: only a download that speaks uTP can finish.
            Run r = run("download", t.toString(), "--dir", dir.resolve("out").toString(), "--resume-dir",
                    dir.resolve("r").toString(), "--bind", "127.0.0.1", "--no-dht", "--no-lsd", "--utp",
                    "--peer", "127.0.0.1:" + ready.substring(6).strip());
            assertEquals(0, r.exit(), r.err());
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(data), Files.readAllBytes(dir.resolve("out").resolve("data.bin"))));
        } finally {
            seeder.destroy();
            seeder.waitFor();
        }
    }

    @Test
    void seedOfAMissingTorrentIsBadInput() {
        Run r = run("seed", dir.resolve("nope.torrent").toString(), "--dir", dir.toString(), "--port", "0");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("does not exist"), r.err());
    }

    @Test
    void seedTakesTheSameDiscoveryOptionsAsDownload() throws Exception {
        Path data = Files.write(dir.resolve("data.bin"), new byte[40_000]);
        Path t = dir.resolve("t.torrent");
        assertEquals(0, run("create", data.toString(), "--out", t.toString()).exit());
        // A bad discovery option is refused by name before anything starts...
        Run bad = run("seed", t.toString(), "--dir", dir.toString(), "--port", "0", "--dht-bootstrap", "nohostport");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("nohostport"), bad.err());
        // ...and the switches are known options: with them, what fails is the bad port, not the parsing.
        Run off = run("seed", t.toString(), "--dir", dir.toString(), "--port", "70000", "--no-dht", "--no-lsd", "--no-pex");
        assertEquals(2, off.exit());
        assertTrue(off.err().contains("--port"), off.err());
    }

    @Test
    void utpIsOnByDefaultAndUtpOrNoUtpSaySo() {
        DownloadCommand on = new DownloadCommand();
        new picocli.CommandLine(on).parseArgs("x.torrent", "--dir", "out", "--utp");
        assertTrue(on.transportOptions.utp);
        DownloadCommand byDefault = new DownloadCommand();
        new picocli.CommandLine(byDefault).parseArgs("x.torrent", "--dir", "out");
        assertTrue(byDefault.transportOptions.utp);
        DownloadCommand off = new DownloadCommand();
        new picocli.CommandLine(off).parseArgs("x.torrent", "--dir", "out", "--no-utp");
        org.junit.jupiter.api.Assertions.assertFalse(off.transportOptions.utp);
        SeedCommand seedOff = new SeedCommand();
        new picocli.CommandLine(seedOff).parseArgs("x.torrent", "--dir", "out", "--port", "0", "--no-utp");
        org.junit.jupiter.api.Assertions.assertFalse(seedOff.transportOptions.utp);
    }
}
