package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.cli.Main;
import dev.magnetar.devnet.DevnetEndpointFile;
import dev.magnetar.engine.Engine;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.testing.ChildJvm;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.testing.TorrentFiles;
import dev.magnetar.wallet.TronAddress;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code magnetar seed --ask}: the command a user runs to sell, as its own process, paid by a helper
 * daemon that boosts; and the ways it refuses to start, each saying what to do.
 */
class SeedCommandSellsTest {

    private static final Pattern SEEDING_ON = Pattern.compile("seeding .* on 127\\.0\\.0\\.1:(\\d+);");

    @TempDir
    Path dir;

    record Run(int exit, String err) {}

    private static Run seedInProcess(String... args) {
        CommandLine cli = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void aSeedWithAnAskIsPaidInBttByABoostingHelper() throws Exception {
        Path seller = Files.createDirectory(dir.resolve("seller"));
        Path buyer = Files.createDirectory(dir.resolve("buyer"));
        TorrentInfo info = TestTorrents.singleFile(seller.resolve("content"), "sold.bin", 256 * 1024, 12L * 1024 * 1024);
        Path torrent = TorrentFiles.write(info, dir.resolve("sold.torrent"));
        TronAddress sellerAddress = BoostingBuyer.createWallet(seller);
        DaemonFixtures.writeSettings(seller, "\"devnetPort\":0");
        BoostingBuyer.fund(seller, BoostingBuyer.prepare(buyer));

        Process seed = new ProcessBuilder(ChildJvm.command("dev.magnetar.cli.Main", "seed", torrent.toString(),
                "--dir", seller.resolve("content").toString(), "--port", "0", "--bind", "127.0.0.1", "--max-up", "2048",
                "--no-dht", "--no-pex", "--no-lsd", "--ask", "1000", "--data-dir", seller.toString()))
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(seed.getInputStream(), StandardCharsets.UTF_8));
            int peerPort = -1;
            String selling = null;
            while (selling == null) {
                String line = out.readLine();
                if (line == null) {
                    break; // the seed ended: the assertion below says so
                }
                Matcher m = SEEDING_ON.matcher(line);
                if (m.find()) {
                    peerPort = Integer.parseInt(m.group(1));
                }
                if (line.startsWith("selling paid slots")) {
                    selling = line;
                }
            }
            assertTrue(selling != null && peerPort > 0, "the seed says where it seeds and that it sells");
            assertTrue(selling.contains("1000 BTT/GiB") && selling.contains(sellerAddress.toBase58()), selling);
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "seed-output");
            drain.setDaemon(true);
            drain.start();

            // Nobody else served the seller's devnet: the seed serves it, with blocks, and says where.
            String devnet = DevnetEndpointFile.read(seller.resolve("devnet")).orElseThrow();
            BoostingBuyer.Trade trade = BoostingBuyer.buy(buyer, devnet, info.infoHash().hex(), peerPort,
                    seller.resolve("content").resolve("sold.bin"), sellerAddress);
            assertTrue(trade.paid().signum() > 0);
        } finally {
            seed.destroy(); // SIGTERM: the seed stops the way Ctrl-C stops it
            assertTrue(seed.waitFor(DaemonApi.HANG_GUARD.toSeconds(), TimeUnit.SECONDS), "the seed stops on SIGTERM");
        }
        // What the seller earned is in its wallet's ledger for its helper to show later.
        String ledger = Files.readString(seller.resolve("wallet").resolve("ledger-devnet.json"));
        assertTrue(ledger.contains("RECEIVED"), ledger);
        assertTrue(DevnetEndpointFile.read(seller.resolve("devnet")).isEmpty(), "the seed's devnet stopped with it");
    }

    @Test
    void aSeedCannotSellWithoutAWalletWithABadAskOrBesideTheHelperOfItsDataFolder() throws Exception {
        TorrentInfo info = TestTorrents.singleFile(dir.resolve("content"), "x.bin", 16 * 1024, 64 * 1024);
        String torrent = TorrentFiles.write(info, dir.resolve("x.torrent")).toString();
        Path data = Files.createDirectory(dir.resolve("data"));
        DaemonFixtures.writeLocalSettings(data);
        String[] common = {"seed", torrent, "--dir", dir.resolve("content").toString(), "--port", "0", "--bind", "127.0.0.1",
                "--no-dht", "--no-pex", "--no-lsd", "--data-dir", data.toString()};

        Run badAsk = seedInProcess(with(common, "--ask", "1,000"));
        assertEquals(2, badAsk.exit(), badAsk.err());
        assertTrue(badAsk.err().contains("--ask"), badAsk.err());

        Run noWallet = seedInProcess(with(common, "--ask", "100"));
        assertEquals(1, noWallet.exit(), noWallet.err());
        assertTrue(noWallet.err().contains("magnetar wallet create"), noWallet.err());

        BoostingBuyer.createWallet(data);
        try (Daemon helper = Daemon.start(DaemonFixtures.offlineOptions(data, new Engine[1]))) {
            Run besideTheHelper = seedInProcess(with(common, "--ask", "100"));
            assertEquals(1, besideTheHelper.exit(), besideTheHelper.err());
            assertTrue(besideTheHelper.err().contains("helper is running") && besideTheHelper.err().contains("options page"),
                    besideTheHelper.err());
            assertEquals(200, new DaemonApi(helper).get("/api/v1/health").status(), "the helper is untouched");
        }
    }

    private static String[] with(String[] common, String... more) {
        String[] all = java.util.Arrays.copyOf(common, common.length + more.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return all;
    }
}
