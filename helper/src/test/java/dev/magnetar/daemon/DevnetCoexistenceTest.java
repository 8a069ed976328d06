package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.cli.WalletCommand;
import dev.magnetar.devnet.DevnetEndpointFile;
import dev.magnetar.engine.Engine;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.TronNetwork;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two helpers on one machine (two users, or two data folders) and programs that hold the devnet's
 * port: the devnet's port is a preference, where it really serves is recorded in its data folder, and
 * the wallet commands find it there rather than assuming the port.
 */
class DevnetCoexistenceTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    /** {@code magnetar wallet ARGS --data-dir DATA}, with the port and network left to the data folder's settings. */
    private static Run wallet(Path data, String... args) {
        CommandLine cli = new CommandLine(new WalletCommand());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--data-dir";
        all[args.length + 1] = data.toString();
        return new Run(cli.execute(all), out.toString(), err.toString());
    }

    /**
     * A daemon for {@code data} that serves its devnet: the balance route starts its chain (a daemon with a
     * wallet and no torrents leaves it off until something needs it).
     */
    private static Daemon startedWithItsDevnet(Path data, Engine[] engine) throws Exception {
        new Keystore(Keystore.defaultFile(data), DaemonFixtures.FAST_SCRYPT, new SecureRandom())
                .create(TronKey.generate(new SecureRandom()), null, "password".toCharArray());
        Daemon daemon = Daemon.start(DaemonFixtures.offlineOptions(data, engine));
        try {
            new DaemonApi(daemon).awaitChain();
            return daemon;
        } catch (Exception | AssertionError e) {
            daemon.close();
            throw e;
        }
    }

    private static int health(Daemon daemon) throws Exception {
        String token = ApiToken.read(ApiToken.defaultFile(daemon.dataDir()));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.port() + "/api/v1/health"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void aTakenDevnetPortNeitherStopsTheDaemonNorHidesItsDevnetFromTheWalletCommands() throws Exception {
        String someone = TronKey.generate(new SecureRandom()).address().toBase58();
        try (ServerSocket squatter = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            DaemonFixtures.writeSettings(dir, "\"devnetPort\":" + squatter.getLocalPort());
            // Before the daemon runs, the command serves the folder's devnet itself, and steps aside from the taken port too.
            Run funded = wallet(dir, "faucet", "--address", someone, "--trx", "5", "--btt", "7");
            assertEquals(0, funded.exit(), funded.err());

            Engine[] engine = new Engine[1];
            try (Daemon daemon = startedWithItsDevnet(dir, engine)) {
                assertEquals(200, health(daemon));
                String endpoint = DevnetEndpointFile.read(dir.resolve("devnet")).orElseThrow();
                assertNotEquals("127.0.0.1:" + squatter.getLocalPort(), endpoint, "the squatter keeps its port");

                // The daemon holds the folder now: the command reads where it serves and asks that devnet.
                Run balance = wallet(dir, "balance", "--address", someone);
                assertEquals(0, balance.exit(), balance.err());
                assertTrue(balance.out().contains("BTT: 7\n"), balance.out());
                assertTrue(balance.out().contains("TRX: 5\n"), balance.out());
            }
            assertTrue(DevnetEndpointFile.read(dir.resolve("devnet")).isEmpty(), "a stopped devnet leaves no endpoint behind");
        }
    }

    @Test
    void twoDaemonsWithTwoDataFoldersAndTheSameDevnetPortRunSideBySide() throws Exception {
        Path first = Files.createDirectory(dir.resolve("first"));
        Path second = Files.createDirectory(dir.resolve("second"));
        DaemonFixtures.writeSettings(first, "\"devnetPort\":0");
        Engine[] engines = new Engine[1];
        try (Daemon one = startedWithItsDevnet(first, new Engine[1])) {
            String firstEndpoint = DevnetEndpointFile.read(first.resolve("devnet")).orElseThrow();
            int takenPort = Integer.parseInt(firstEndpoint.substring(firstEndpoint.lastIndexOf(':') + 1));
            // The second user's settings name the same port (the default port is the same for everybody).
            DaemonFixtures.writeSettings(second, "\"devnetPort\":" + takenPort);
            try (Daemon two = startedWithItsDevnet(second, engines)) {
                assertEquals(200, health(one));
                assertEquals(200, health(two));
                String secondEndpoint = DevnetEndpointFile.read(second.resolve("devnet")).orElseThrow();
                assertNotEquals(firstEndpoint, secondEndpoint);

                // Each folder's wallet commands reach that folder's own devnet, wherever it got to serve.
                String someone = TronKey.generate(new SecureRandom()).address().toBase58();
                long firstChain;
                long secondChain;
                try (TronChainClient a = new TronChainClient(TronNetwork.devnet(firstEndpoint));
                     TronChainClient b = new TronChainClient(TronNetwork.devnet(secondEndpoint))) {
                    firstChain = a.chainId();
                    secondChain = b.chainId();
                }
                Run inFirst = wallet(first, "balance", "--address", someone);
                Run inSecond = wallet(second, "balance", "--address", someone);
                assertEquals(0, inFirst.exit(), inFirst.err());
                assertEquals(0, inSecond.exit(), inSecond.err());
                assertNotEquals(firstChain, secondChain, "two genesis blocks, two chains");
            }
        }
    }
}
