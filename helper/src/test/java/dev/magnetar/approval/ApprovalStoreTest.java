package dev.magnetar.approval;

import static dev.magnetar.approval.Fixtures.ONE_BTT;
import static dev.magnetar.approval.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.JsonMutations;
import dev.magnetar.testing.MutableClock;
import dev.magnetar.util.RecordJson;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalStoreTest {

    @TempDir Path dataDir;
    private final MutableClock clock = new MutableClock(T0);

    private ApprovalStore open() throws Exception {
        return ApprovalStore.open(ApprovalStore.defaultFile(dataDir), clock);
    }

    @Test
    void filedRequestsAndDecisionsSurviveRestart() throws Exception {
        ApprovalStore store = open();
        store.file(Fixtures.boost("a", Fixtures.TORRENT_A, ONE_BTT, Duration.ofHours(1)));
        store.file(Fixtures.boost("b", Fixtures.TORRENT_B, ONE_BTT, Duration.ofHours(1)));
        store.approve("a");
        store.reject("b");

        ApprovalStore reopened = open();
        assertEquals(BudgetState.APPROVED, reopened.find("a").orElseThrow().state());
        assertEquals(BudgetState.REJECTED, reopened.find("b").orElseThrow().state());
        assertEquals(store.budgets(), reopened.budgets());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ApprovalStore.defaultFile(dataDir))));
    }

    @Test
    void hugeAmountsRoundTripExactly() throws Exception {
        BigInteger cap = new BigInteger("123456789012345678901234567890123456789");
        ApprovalStore store = open();
        store.file(Fixtures.boost("a", Fixtures.TORRENT_A, cap, Duration.ofHours(1)));
        assertEquals(cap, open().find("a").orElseThrow().request().cap());
    }

    @Test
    void listenersHearEveryChange() throws Exception {
        ApprovalStore store = open();
        List<BudgetState> seen = new ArrayList<>();
        store.addListener(b -> seen.add(b.state()));
        store.file(Fixtures.boost("a", Fixtures.TORRENT_A, ONE_BTT, Duration.ofHours(1)));
        store.approve("a");
        store.revoke("a");
        assertEquals(List.of(BudgetState.PENDING, BudgetState.APPROVED, BudgetState.REVOKED), seen);
    }

    @Test
    void duplicateIdsAndUnknownIdsAreTypedErrors() throws Exception {
        ApprovalStore store = open();
        store.file(Fixtures.boost("a", Fixtures.TORRENT_A, ONE_BTT, Duration.ofHours(1)));
        assertThrows(BudgetTransitionException.class, () -> store.file(Fixtures.boost("a", Fixtures.TORRENT_B, ONE_BTT, Duration.ofHours(1))));
        assertThrows(UnknownBudgetException.class, () -> store.approve("nope"));
    }

    @Test
    void expireDuePersistsExpiry() throws Exception {
        ApprovalStore store = open();
        store.file(Fixtures.boost("a", Fixtures.TORRENT_A, ONE_BTT, Duration.ofMinutes(10)));
        store.file(Fixtures.boost("b", Fixtures.TORRENT_B, ONE_BTT, Duration.ofHours(10)));
        store.approve("b");
        clock.advance(Duration.ofMinutes(10));
        assertEquals(1, store.expireDue().size());
        assertEquals(BudgetState.EXPIRED, open().find("a").orElseThrow().state());
        assertEquals(BudgetState.APPROVED, open().find("b").orElseThrow().state());
    }

    /**
     * The start reads the file with {@code RecordJson}, the store writes it with data binding: whatever the reader takes,
     * data binding takes as the same snapshot, and the file the store writes — every kind of budget, a reservation, the
     * optional parts present and absent — is taken. Its variants: each field left out, null and of each kind, unknown
     * fields, null and stray list elements, a field twice, the file cut off.
     */
    @Test
    void theStreamedReadTakesOnlyWhatDataBindingTakesAndAsTheSameSnapshot() throws Exception {
        ApprovalStore store = open();
        store.file(new SpendRequest("full", SpendPurpose.BOOST_TORRENT, Fixtures.TORRENT_A, "ubuntu.iso", "https://example.org/",
                ONE_BTT.multiply(BigInteger.TEN), ONE_BTT, null, "devnet", Fixtures.BTT, T0, T0.plus(Duration.ofDays(1)), 0x2b6653dcL,
                SpendRequest.FeeEstimate.of(27_000_000L, 10), SpendRequest.Coverage.of(ONE_BTT, ONE_BTT, 1L << 30)));
        store.approve("full");
        new SpendAuthorizer(store).authorize(SpendAttempt.boost(Fixtures.TORRENT_A, Fixtures.PEER, ONE_BTT, "devnet", Fixtures.BTT));
        store.file(Fixtures.send("send", Fixtures.OTHER_PEER, ONE_BTT));
        store.reject("send");
        byte[] written = Files.readAllBytes(ApprovalStore.defaultFile(dataDir));
        ApprovalStore.Snapshot expected = ApprovalStore.mapper().readValue(written, ApprovalStore.Snapshot.class);
        assertEquals(expected, RecordJson.read(written, ApprovalStore.Snapshot.class), "the file the store writes");
        assertEquals(2, expected.budgets().size());
        assertEquals(1, expected.reservations().size());

        int taken = 0;
        int refusedByBoth = 0;
        for (byte[] variant : JsonMutations.of(written)) {
            ApprovalStore.Snapshot streamed;
            try {
                streamed = RecordJson.read(variant, ApprovalStore.Snapshot.class);
            } catch (IOException refused) {
                refusedByBoth += refusedByDataBinding(variant) ? 1 : 0;
                continue;
            }
            ApprovalStore.Snapshot bound = ApprovalStore.mapper().readValue(variant, ApprovalStore.Snapshot.class);
            assertEquals(bound, streamed, () -> new String(variant, StandardCharsets.UTF_8));
            taken++;
        }
        assertTrue(taken > 20 && refusedByBoth > 100, taken + " variants taken, " + refusedByBoth + " refused by both");
    }

    private static boolean refusedByDataBinding(byte[] content) {
        try {
            ApprovalStore.mapper().readValue(content, ApprovalStore.Snapshot.class);
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    @Test
    void damagedFileIsATypedErrorNotAnEmptyStore() throws Exception {
        Files.writeString(ApprovalStore.defaultFile(dataDir), "{\"version\":1,\"budgets\":[{\"state\":\"BOGUS\"}]");
        ApprovalStoreException e = assertThrows(ApprovalStoreException.class, this::open);
        assertTrue(e.getMessage().contains("move it aside"), e.getMessage());
    }

    @Test
    void threeHundredRejectedBoostsLeaveOnlyTheNewestHundredInMemoryTheFileAndAReopenedStore() throws Exception {
        ApprovalStore store = open();
        store.file(Fixtures.boost("live", Fixtures.TORRENT_B, ONE_BTT, Duration.ofDays(365)));
        store.approve("live");
        for (int i = 0; i < 300; i++) {
            clock.advance(Duration.ofSeconds(1));
            store.file(Fixtures.boost("r" + i, Fixtures.TORRENT_A, ONE_BTT, Duration.ofDays(365)));
            store.reject("r" + i);
        }
        int kept = DecidedRequestRetention.DEFAULT.maxKept();
        assertEquals(kept + 1, store.budgets().size(), "the newest decisions and the live budget");
        assertTrue(store.find("live").isPresent(), "an approved budget is never forgotten");
        assertTrue(store.find("r299").isPresent());
        assertTrue(store.find("r" + (300 - kept)).isPresent());
        assertTrue(store.find("r" + (299 - kept)).isEmpty());
        assertEquals(store.budgets(), open().budgets(), "the file holds what memory holds");
        assertTrue(Files.size(ApprovalStore.defaultFile(dataDir)) < 200_000, "the file stays small");
    }

    @Test
    void decisionsOlderThanTheRetentionAreForgottenAtTheNextChangeOrExpiryPass() throws Exception {
        ApprovalStore store = open();
        store.file(Fixtures.boost("old", Fixtures.TORRENT_A, ONE_BTT, Duration.ofDays(365)));
        store.reject("old");
        store.file(Fixtures.boost("waiting", Fixtures.TORRENT_B, ONE_BTT, Duration.ofDays(365)));
        clock.advance(DecidedRequestRetention.DEFAULT.maxAge().minusSeconds(1));
        store.expireDue();
        assertTrue(store.find("old").isPresent(), "kept for the whole retention");
        clock.advance(Duration.ofSeconds(2));
        store.expireDue();
        assertTrue(store.find("old").isEmpty());
        assertTrue(open().find("old").isEmpty(), "and gone from the file");
        assertEquals(BudgetState.PENDING, open().find("waiting").orElseThrow().state(), "a pending request stays whatever its age");
    }

    @Test
    void aRevokedBudgetWithAPaymentInFlightIsKeptUntilThePaymentIsSettled() throws Exception {
        ApprovalStore store = ApprovalStore.open(ApprovalStore.defaultFile(dataDir), clock, new DecidedRequestRetention(Duration.ofDays(1), 0));
        SpendAuthorizer gate = new SpendAuthorizer(store);
        store.file(Fixtures.boost("a", Fixtures.TORRENT_A, ONE_BTT, Duration.ofDays(365)));
        store.approve("a");
        Authorization inFlight = gate.authorize(SpendAttempt.boost(Fixtures.TORRENT_A, Fixtures.PEER, BigInteger.TEN, "devnet", Fixtures.BTT));
        store.revoke("a");
        clock.advance(Duration.ofDays(2));
        store.expireDue();
        assertTrue(store.find("a").isPresent(), "committing the payment needs its budget");
        assertEquals(BigInteger.TEN, gate.commit(inFlight.reservationId()).spent());
        assertTrue(store.find("a").isEmpty(), "settled and decided: forgotten");
    }

    @Test
    void aDamagedRetentionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DecidedRequestRetention(Duration.ofDays(-1), 10));
        assertThrows(IllegalArgumentException.class, () -> new DecidedRequestRetention(Duration.ofDays(1), -1));
    }
}
