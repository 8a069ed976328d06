package dev.magnetar.api;

import static dev.magnetar.api.EventsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.magnetar.wallet.InvalidMnemonicException;
import dev.magnetar.wallet.Keystore;
import dev.magnetar.wallet.Mnemonic;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Making a wallet through the API as the extension does (a new phrase, confirmed, then imported; or the
 * user's own phrase or key), and the devnet faucet: against a real keystore and the embedded devnet.
 */
class WalletSetupApiTest {

    private static final String NEW_PASSWORD = "\"password\":\"" + ApiHarness.PASSWORD + "\"";
    /** The well-known secp256k1 test key (Keccak-256 of "cow") and its TRON address. */
    private static final String COW_KEY = "c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4";
    private static final String COW_ADDRESS = "TUg28KYvCXWW81EqMUeZvCZmZw2BChk1HQ";

    @Test
    void aNewPhraseMakesNoWalletUntilItIsImportedThenTheWalletIsUnlockedAndAnnounced(@TempDir Path dir) throws Exception {
        try (ApiHarness api = ApiHarness.withWalletAndFaucet(dir, false, false);
             EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            events.await(type("snapshot"), "snapshot");
            String phrase = api.post("/api/v1/wallet/recovery-phrase", "{}").json().path("recoveryPhrase").asText();
            assertEquals(12, phrase.split(" ").length, phrase.length() + " characters");
            assertNotEquals(phrase, api.post("/api/v1/wallet/recovery-phrase", "{}").json().path("recoveryPhrase").asText());
            assertFalse(api.get("/api/v1/wallet").json().path("exists").asBoolean(), "a phrase alone makes no wallet");

            ApiHarness.Answer created = api.post("/api/v1/wallet/import", "{\"recoveryPhrase\":\"" + phrase + "\"," + NEW_PASSWORD + "}");

            assertEquals(201, created.status(), created.body());
            String expected = Mnemonic.parse(phrase).toTronKey("").address().toBase58();
            assertEquals(expected, created.json().path("address").asText());
            assertTrue(created.json().path("unlocked").asBoolean());
            JsonNode event = events.await(type("wallet_changed"), "the new wallet's event").path("wallet");
            assertEquals(expected, event.path("address").asText());
            Path keystore = Keystore.defaultFile(dir);
            String stored = Files.readString(keystore);
            // Single words can be ordinary JSON ("salt" is a BIP-39 word): look for neighbouring pairs of the phrase.
            String[] words = phrase.split(" ");
            for (int i = 0; i + 1 < words.length; i++) {
                assertFalse(stored.matches("(?s).*\\b" + words[i] + "\\W+" + words[i + 1] + "\\b.*"),
                        "the keystore holds no part of the phrase in clear");
            }
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
            // The phrase is written down nowhere else in the data directory either.
            try (var files = Files.walk(dir)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.startsWith(dir.resolve("devnet"))).toList()) {
                    assertFalse(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1).contains(phrase), f.toString());
                }
            }
        }
    }

    @Test
    void aPrivateKeyCanBeImportedInsteadOfAPhrase(@TempDir Path dir) throws Exception {
        try (ApiHarness api = ApiHarness.withWalletAndFaucet(dir, false, false)) {
            ApiHarness.Answer created = api.post("/api/v1/wallet/import", "{\"privateKeyHex\":\"" + COW_KEY + "\"," + NEW_PASSWORD + "}");
            assertEquals(201, created.status(), created.body());
            assertEquals(COW_ADDRESS, created.json().path("address").asText());
        }
    }

    @Test
    void badPhrasesKeysAndPasswordsGetClearErrorsAndMakeNoWallet(@TempDir Path dir) throws Exception {
        try (ApiHarness api = ApiHarness.withWalletAndFaucet(dir, false, false)) {
            String phrase = api.post("/api/v1/wallet/recovery-phrase", "{}").json().path("recoveryPhrase").asText();
            String[] words = phrase.split(" ");
            String misspelt = phrase.replaceFirst("^" + words[0], "zzzqx");
            ApiHarness.Answer a = api.post("/api/v1/wallet/import", "{\"recoveryPhrase\":\"" + misspelt + "\"," + NEW_PASSWORD + "}");
            assertEquals("INVALID_REQUEST", a.code(), a.body());
            assertTrue(a.json().path("message").asText().contains("word 1 is not in the BIP-39"), a.body());
            assertFalse(a.body().contains("zzzqx"), "the words of a phrase are never echoed (messages reach logs)");

            String swapped = aWordSwapThatBreaksTheChecksum(words);
            assertEquals("INVALID_REQUEST", api.post("/api/v1/wallet/import", "{\"recoveryPhrase\":\"" + swapped + "\"," + NEW_PASSWORD + "}").code());
            a = api.postInvalid("/api/v1/wallet/import", "{\"recoveryPhrase\":\"" + phrase + "\",\"password\":\"short\"}");
            assertEquals("INVALID_REQUEST", a.code());
            assertTrue(a.json().path("message").asText().contains("at least 8 characters"), a.body());
            assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/wallet/import",
                    "{\"recoveryPhrase\":\"" + phrase + "\",\"privateKeyHex\":\"" + COW_KEY + "\"," + NEW_PASSWORD + "}").code());
            assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/wallet/import", "{" + NEW_PASSWORD + "}").code());
            assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/wallet/import", "{\"privateKeyHex\":\"xyz\"," + NEW_PASSWORD + "}").code());

            assertFalse(api.get("/api/v1/wallet").json().path("exists").asBoolean());
            assertFalse(Files.exists(Keystore.defaultFile(dir)));
        }
    }

    /**
     * Real words in a wrong order. A 12-word phrase carries only a 4-bit checksum, so one swap in sixteen still
     * passes it; the swap is chosen among word pairs until the checksum rejects it, so the test never depends on luck.
     */
    private static String aWordSwapThatBreaksTheChecksum(String[] words) {
        for (int i = 0; i < words.length; i++) {
            for (int j = i + 1; j < words.length; j++) {
                if (words[i].equals(words[j])) {
                    continue;
                }
                String[] candidate = words.clone();
                candidate[i] = words[j];
                candidate[j] = words[i];
                String phrase = String.join(" ", candidate);
                try {
                    Mnemonic.parse(phrase);
                } catch (InvalidMnemonicException expected) {
                    return phrase;
                }
            }
        }
        throw new AssertionError("no swap of two words breaks the checksum of " + words.length + " words");
    }

    @Test
    void anExistingWalletIsNeverReplaced(@TempDir Path dir) throws Exception {
        try (ApiHarness api = ApiHarness.withWalletAndFaucet(dir, true, false)) {
            byte[] before = Files.readAllBytes(Keystore.defaultFile(dir));

            ApiHarness.Answer a = api.post("/api/v1/wallet/import", "{\"privateKeyHex\":\"" + COW_KEY + "\",\"password\":\"another password\"}");

            assertEquals(409, a.status());
            assertEquals("WALLET_EXISTS", a.code());
            assertEquals(api.walletAddress, api.get("/api/v1/wallet").json().path("address").asText());
            assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(Keystore.defaultFile(dir))), "the keystore is untouched");
            assertTrue(api.post("/api/v1/wallet/unlock", "{" + NEW_PASSWORD + "}").json().path("unlocked").asBoolean(),
                    "the old password still unlocks it");
        }
    }

    @Test
    void theDevnetFaucetCreditsThisWalletAndAnnouncesIt(@TempDir Path dir) throws Exception {
        try (ApiHarness api = ApiHarness.withWalletAndFaucet(dir, true, true);
             EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            events.await(type("snapshot"), "snapshot");
            JsonNode before = api.get("/api/v1/wallet/balance").json();

            JsonNode after = api.post("/api/v1/wallet/faucet", "{}").json();

            assertEquals(new BigInteger(before.path("bttBaseUnits").asText()).add(DevnetFaucet.BTT_BASE_UNITS),
                    new BigInteger(after.path("bttBaseUnits").asText()));
            assertEquals(new BigInteger(before.path("trxSun").asText()).add(BigInteger.valueOf(DevnetFaucet.TRX_SUN)),
                    new BigInteger(after.path("trxSun").asText()));
            events.await(type("wallet_changed"), "the faucet's event");
        }
    }

    @Test
    void withoutTheDevnetsOwnFaucetOrAWalletTheFaucetSaysWhy(@TempDir Path dir) throws Exception {
        try (ApiHarness withWallet = ApiHarness.withWalletAndFaucet(dir.resolve("a"), true, false);
             ApiHarness noWallet = ApiHarness.withWalletAndFaucet(dir.resolve("b"), false, true)) {
            ApiHarness.Answer a = withWallet.post("/api/v1/wallet/faucet", "{}");
            assertEquals(409, a.status());
            assertEquals("FAUCET_UNAVAILABLE", a.code());
            assertEquals("NO_WALLET", noWallet.post("/api/v1/wallet/faucet", "{}").code());
        }
    }

    @Test
    void theNewWalletRoutesNeedTheToken(@TempDir Path dir) throws Exception {
        try (ApiHarness api = ApiHarness.withWalletAndFaucet(dir, false, true)) {
            for (String path : List.of("/api/v1/wallet/recovery-phrase", "/api/v1/wallet/import", "/api/v1/wallet/faucet")) {
                ApiHarness.Answer a = api.raw("POST", path, "Host: 127.0.0.1:" + api.port() + "\r\nContent-Type: application/json\r\n",
                        "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertEquals(401, a.status(), path);
                assertEquals("UNAUTHORIZED", a.code(), "no phrase without the token");
            }
            assertFalse(api.get("/api/v1/wallet").json().path("exists").asBoolean());
        }
    }
}
