package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.cli.WalletCommand;
import dev.magnetar.engine.Engine;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.TronNetwork;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import picocli.CommandLine;

/**
 * The buying side of the selling tests: a helper daemon with its own data folder and wallet that uses
 * the seller's devnet (settings' {@code chainEndpoint}) and boosts one torrent through the API the way
 * the extension does — add paused, boost, approve with the wallet password, resume.
 */
final class BoostingBuyer {

    static final String PASSWORD = "seller and buyer";
    static final BigInteger BTT = BigInteger.TEN.pow(18);
    static final BigInteger CAP = BTT.multiply(BigInteger.valueOf(40));

    /** What the trade came to: the approval as filed, the buyer's ledger, what reached the seller, the chain's id. */
    record Trade(JsonNode approval, JsonNode ledger, BigInteger paid, long chainId) {}

    private BoostingBuyer() {}

    static TronAddress createWallet(Path data) throws Exception {
        Keystore keystore = new Keystore(Keystore.defaultFile(data), DaemonFixtures.FAST_SCRYPT, new SecureRandom());
        return keystore.create(TronKey.generate(new SecureRandom()), null, PASSWORD.toCharArray());
    }

    /** Test money on the devnet of {@code data}, with {@code magnetar wallet faucet} (nobody may serve that devnet yet). */
    static void fund(Path data, TronAddress to) {
        fund(data, to, "1000");
    }

    static void fund(Path data, TronAddress to, String trx) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new WalletCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        int exit = cli.execute("faucet", "--address", to.toBase58(), "--trx", trx, "--btt", "100", "--data-dir", data.toString());
        assertEquals(0, exit, err.toString());
    }

    /**
     * A buyer folder with a wallet that pays every 1 BTT owed (so payments happen while the download runs);
     * fund its address before the seller's devnet is taken by a long-running process.
     */
    static TronAddress prepare(Path buyer) throws Exception {
        Files.writeString(buyer.resolve("speed.json"), "{\"paymentThresholdBtt\":\"1\",\"disconnectThresholdBtt\":\"3\"}");
        return createWallet(buyer);
    }

    /**
     * Starts the buyer on the devnet at {@code devnet}, downloads {@code infoHash} from the seller at
     * {@code sellerPeerPort} under a 40 BTT budget bid at 2000 BTT/GiB, checks the bytes against
     * {@code original}, and waits until every BTT it confirmed as sent is on {@code seller}'s address.
     */
    static Trade buy(Path buyer, String devnet, String infoHash, int sellerPeerPort, Path original, TronAddress seller) throws Exception {
        DaemonFixtures.writeSettings(buyer, "\"devnetPort\":0,\"chainEndpoint\":\"" + devnet + "\"");
        try (TronChainClient chain = new TronChainClient(TronNetwork.devnet(devnet));
             Daemon daemon = Daemon.start(DaemonFixtures.offlineOptions(buyer, new Engine[1]))) {
            assertEquals(BigInteger.ZERO, chain.bttBalance(seller));
            assertTrue(Files.notExists(buyer.resolve("devnet").resolve("serving.json")), "the buyer runs no devnet of its own");
            DaemonApi api = new DaemonApi(daemon);
            JsonNode approval = boost(api, infoHash, sellerPeerPort);
            long size = Files.size(original);
            api.await("/api/v1/torrents/" + infoHash, t -> t.path("status").path("verifiedBytes").asLong() == size, "the download");
            assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(buyer.resolve("dl").resolve(original.getFileName())));

            // Read together: a late payment may still be on its way when the download ends.
            JsonNode sent = api.await("/api/v1/wallet/ledger", l -> allSentSettled(l) && sum(l, "SENT", "CONFIRMED").signum() > 0
                    && sum(l, "SENT", "CONFIRMED").equals(balance(chain, seller)), "the buyer's payments to reach the seller");
            BigInteger paid = sum(sent, "SENT", "CONFIRMED");
            assertTrue(paid.compareTo(CAP) <= 0, "never beyond the approved cap: " + paid);
            return new Trade(approval, sent, paid, chain.chainId());
        }
    }

    /**
     * What the extension does for a boost: adds the magnet (paused, so no byte comes before the budget
     * is approved), files the boost, approves it with the wallet password, resumes; the approval as filed.
     */
    static JsonNode boost(DaemonApi api, String infoHash, int sellerPeerPort) throws Exception {
        String magnet = "magnet:?xt=urn:btih:" + infoHash + "&x.pe=127.0.0.1:" + sellerPeerPort;
        assertEquals(201, api.post("/api/v1/torrents/magnet", "{\"uri\":\"" + magnet + "\",\"paused\":true}").status());
        DaemonApi.Answer filed = api.post("/api/v1/torrents/" + infoHash + "/boost", "{\"capBtt\":\"40\",\"ratePerGiBBtt\":\"2000\"}");
        assertEquals(201, filed.status(), filed.json().toString());
        String budget = filed.json().path("id").asText();
        assertEquals(200, api.post("/api/v1/approvals/" + budget + "/approve", "{\"password\":\"" + PASSWORD + "\"}").status());
        assertEquals(200, api.post("/api/v1/torrents/" + infoHash + "/resume", "{}").status());
        return filed.json();
    }

    static BigInteger sum(JsonNode ledger, String direction, String status) {
        BigInteger total = BigInteger.ZERO;
        for (JsonNode e : ledger.path("entries")) {
            if (e.path("direction").asText().equals(direction) && (status == null || e.path("status").asText().equals(status))) {
                total = total.add(new BigInteger(e.path("amountBaseUnits").asText()));
            }
        }
        return total;
    }

    private static BigInteger balance(TronChainClient chain, TronAddress who) {
        try {
            return chain.bttBalance(who);
        } catch (Exception e) {
            throw new AssertionError("the seller's devnet did not answer: " + e.getMessage(), e);
        }
    }

    private static boolean allSentSettled(JsonNode ledger) {
        for (JsonNode e : ledger.path("entries")) {
            if (e.path("direction").asText().equals("SENT") && !e.path("status").asText().matches("CONFIRMED|FAILED")) {
                return false;
            }
        }
        return true;
    }
}
