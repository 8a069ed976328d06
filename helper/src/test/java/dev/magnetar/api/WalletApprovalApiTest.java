package dev.magnetar.api;

import static dev.magnetar.api.EventsClient.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Wallet and approval routes against a real wallet on the embedded devnet, with their events. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalletApprovalApiTest {

    static final String HASH = "00112233445566778899aabbccddeeff00112233";

    ApiHarness api;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        api = new ApiHarness(dir, 64);
        api.post("/api/v1/torrents/magnet", "{\"uri\":\"magnet:?xt=urn:btih:" + HASH + "\"}");
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @Test
    void balanceFromTheDevnet() throws Exception {
        JsonNode b = api.get("/api/v1/wallet/balance").json();
        assertEquals(api.walletAddress, b.path("address").asText());
        assertEquals("250.5", b.path("btt").asText());
        assertEquals("250500000000000000000", b.path("bttBaseUnits").asText());
        assertEquals("5", b.path("trx").asText());
        assertEquals(0, api.get("/api/v1/wallet/ledger").json().path("entries").size());
    }

    @Test
    void unlockWithAWrongPasswordIs403AndStaysLocked() throws Exception {
        api.post("/api/v1/wallet/lock", "{}");
        ApiHarness.Answer a = api.post("/api/v1/wallet/unlock", "{\"password\":\"wrong\"}");
        assertEquals(403, a.status());
        assertEquals("WRONG_PASSWORD", a.code());
        assertFalse(api.get("/api/v1/wallet").json().path("unlocked").asBoolean());
    }

    @Test
    void unlockAndLockShowInStatusAndEvents() throws Exception {
        try (EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            events.await(type("snapshot"), "snapshot");
            JsonNode unlocked = api.post("/api/v1/wallet/unlock", "{\"password\":\"" + ApiHarness.PASSWORD + "\"}").json();
            assertTrue(unlocked.path("unlocked").asBoolean());
            assertTrue(events.await(type("wallet_changed"), "unlock event").path("wallet").path("unlocked").asBoolean());
            assertFalse(api.post("/api/v1/wallet/lock", "{}").json().path("unlocked").asBoolean());
            assertFalse(events.await(type("wallet_changed"), "lock event").path("wallet").path("unlocked").asBoolean());
        }
    }

    @Test
    void boostNeedsApprovalWithThePasswordAndEveryDecisionIsAnEvent() throws Exception {
        try (EventsClient events = EventsClient.connect(api.port(), api.token, true)) {
            events.await(type("snapshot"), "snapshot");
            JsonNode filed = api.post("/api/v1/torrents/" + HASH + "/boost",
                    "{\"capBtt\":\"10.5\",\"ratePerGiBBtt\":\"0.25\",\"originPage\":\"https://example.org/\"}").json();
            String id = filed.path("id").asText();
            assertEquals("PENDING", filed.path("state").asText());
            assertEquals("10500000000000000000", filed.path("capBaseUnits").asText());
            JsonNode attention = events.await(type("approval_changed"), "filed");
            assertTrue(attention.path("needsAttention").asBoolean());

            ApiHarness.Answer wrong = api.post("/api/v1/approvals/" + id + "/approve", "{\"password\":\"nope\"}");
            assertEquals("WRONG_PASSWORD", wrong.code());
            assertEquals("PENDING", api.approvals.find(id).orElseThrow().state().name());

            JsonNode approved = api.post("/api/v1/approvals/" + id + "/approve", "{\"password\":\"" + ApiHarness.PASSWORD + "\"}").json();
            assertEquals("APPROVED", approved.path("state").asText());
            JsonNode decided = events.await(n -> type("approval_changed").test(n) && n.path("approval").path("state").asText().equals("APPROVED"), "approved");
            assertFalse(decided.path("needsAttention").asBoolean());
            assertEquals("INVALID_TRANSITION", api.post("/api/v1/approvals/" + id + "/reject", "{}").code());
            assertEquals("REVOKED", api.post("/api/v1/approvals/" + id + "/revoke", "{}").json().path("state").asText());
            events.await(n -> n.path("approval").path("state").asText().equals("REVOKED"), "revoked");
            assertEquals("INVALID_TRANSITION", api.post("/api/v1/approvals/" + id + "/revoke", "{}").code(), "a revoked budget cannot be revoked again");
            assertEquals("APPROVAL_NOT_FOUND", api.post("/api/v1/approvals/nope/revoke", "{}").code());
            assertEquals("REVOKED", api.approvals.find(id).orElseThrow().state().name());

            String second = api.post("/api/v1/torrents/" + HASH + "/boost", "{\"capBtt\":\"1\",\"ratePerGiBBtt\":\"1\"}").json().path("id").asText();
            assertEquals("REJECTED", api.post("/api/v1/approvals/" + second + "/reject", "{}").json().path("state").asText());
            events.await(n -> n.path("approval").path("state").asText().equals("REJECTED"), "rejected");
            assertEquals("APPROVAL_NOT_FOUND", api.post("/api/v1/approvals/nope/reject", "{}").code());

            JsonNode list = api.get("/api/v1/approvals").json().path("approvals");
            assertTrue(list.size() >= 2);
        }
    }

    @Test
    void boostInputIsValidated() throws Exception {
        assertEquals("INVALID_REQUEST", api.post("/api/v1/torrents/" + HASH + "/boost", "{\"capBtt\":\"0\",\"ratePerGiBBtt\":\"1\"}").code());
        assertEquals("INVALID_REQUEST", api.postInvalid("/api/v1/torrents/" + HASH + "/boost", "{\"capBtt\":\"1.0000000000000000001\",\"ratePerGiBBtt\":\"1\"}").code());
        assertEquals("TORRENT_NOT_FOUND", api.post("/api/v1/torrents/ffffffffffffffffffffffffffffffffffffffff/boost", "{\"capBtt\":\"1\",\"ratePerGiBBtt\":\"1\"}").code());
    }
}
