package dev.magnetar.approval;

import static dev.magnetar.approval.Fixtures.BTT;
import static dev.magnetar.approval.Fixtures.ONE_BTT;
import static dev.magnetar.approval.Fixtures.OTHER_PEER;
import static dev.magnetar.approval.Fixtures.PEER;
import static dev.magnetar.approval.Fixtures.T0;
import static dev.magnetar.approval.Fixtures.TORRENT_A;
import static dev.magnetar.approval.Fixtures.TORRENT_B;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.approval.SpendRefusedException.Reason;
import dev.magnetar.testing.MutableClock;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpendAuthorizerTest {

    @TempDir Path dataDir;
    private final MutableClock clock = new MutableClock(T0);
    private ApprovalStore store;
    private SpendAuthorizer gate;

    @BeforeEach
    void openStore() throws Exception {
        store = ApprovalStore.open(ApprovalStore.defaultFile(dataDir), clock);
        gate = new SpendAuthorizer(store);
    }

    private Budget approvedBoost(String id, String torrent, BigInteger cap) throws Exception {
        store.file(Fixtures.boost(id, torrent, cap, Duration.ofHours(1)));
        return store.approve(id);
    }

    private Reason refusal(SpendAttempt attempt) {
        return assertThrows(SpendRefusedException.class, () -> gate.authorize(attempt)).reason();
    }

    private static SpendAttempt boostA(BigInteger amount) {
        return SpendAttempt.boost(TORRENT_A, PEER, amount, "devnet", BTT);
    }

    @Test
    void refusesWhenNoBudgetExists() {
        assertEquals(Reason.NO_BUDGET, refusal(boostA(BigInteger.ONE)));
        assertEquals(Reason.NO_BUDGET, refusal(new SpendAttempt("ghost", SpendPurpose.SEND, null, PEER, BigInteger.ONE, "devnet", BTT)));
    }

    @Test
    void refusesPendingAndRejectedBudgets() throws Exception {
        store.file(Fixtures.boost("p", TORRENT_A, ONE_BTT, Duration.ofHours(1)));
        assertEquals(Reason.PENDING, refusal(boostA(BigInteger.ONE)));
        store.reject("p");
        assertEquals(Reason.REJECTED, refusal(boostA(BigInteger.ONE)));
    }

    @Test
    void approvedBudgetAuthorisesAndCommitDrawsItDownExactly() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        BigInteger amount = new BigInteger("123456789012345678");
        Authorization auth = gate.authorize(boostA(amount));
        assertEquals("a", auth.budgetId());
        assertEquals(amount, store.find("a").orElseThrow().reserved());
        Budget after = gate.commit(auth.reservationId());
        assertEquals(amount, after.spent());
        assertEquals(BigInteger.ZERO, after.reserved());
        assertEquals(ONE_BTT.subtract(amount), after.remaining());
        assertThrows(UnknownBudgetException.class, () -> gate.commit(auth.reservationId()), "a reservation commits once");
    }

    @Test
    void refusesAnotherTorrentsPayment() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        assertEquals(Reason.NO_BUDGET, refusal(SpendAttempt.boost(TORRENT_B, PEER, BigInteger.ONE, "devnet", BTT)));
        // Naming torrent A's budget while paying for torrent B does not help either.
        assertEquals(Reason.WRONG_TORRENT, refusal(new SpendAttempt("a", SpendPurpose.BOOST_TORRENT, TORRENT_B, PEER, BigInteger.ONE, "devnet", BTT)));
    }

    @Test
    void refusesWrongNetworkTokenAndPurpose() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        assertEquals(Reason.WRONG_NETWORK, refusal(SpendAttempt.boost(TORRENT_A, PEER, BigInteger.ONE, "mainnet", BTT)));
        assertEquals(Reason.WRONG_TOKEN, refusal(SpendAttempt.boost(TORRENT_A, PEER, BigInteger.ONE, "devnet", null)));
        assertEquals(Reason.WRONG_PURPOSE, refusal(new SpendAttempt("a", SpendPurpose.SEND, TORRENT_A, PEER, BigInteger.ONE, "devnet", BTT)));
    }

    @Test
    void refusesOnceExpired() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        gate.authorize(boostA(BigInteger.ONE));
        clock.advance(Duration.ofHours(1));
        assertEquals(Reason.EXPIRED, refusal(boostA(BigInteger.ONE)));
    }

    @Test
    void refusesAfterRevokeButStillCommitsWhatWasAlreadyBroadcast() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        Authorization inFlight = gate.authorize(boostA(BigInteger.TEN));
        store.revoke("a");
        assertEquals(Reason.REVOKED, refusal(boostA(BigInteger.ONE)));
        Budget after = gate.commit(inFlight.reservationId());
        assertEquals(BigInteger.TEN, after.spent());
        assertEquals(BudgetState.REVOKED, after.state());
    }

    @Test
    void refusesOneUnitOverRemainingAndAcceptsExactlyRemaining() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        Authorization first = gate.authorize(boostA(ONE_BTT.subtract(BigInteger.valueOf(100))));
        gate.commit(first.reservationId());
        assertEquals(Reason.OVER_REMAINING, refusal(boostA(BigInteger.valueOf(101))));
        Authorization last = gate.authorize(boostA(BigInteger.valueOf(100)));
        Budget exhausted = gate.commit(last.reservationId());
        assertEquals(BudgetState.EXHAUSTED, exhausted.state());
        assertEquals(Reason.EXHAUSTED, refusal(boostA(BigInteger.ONE)));
    }

    @Test
    void reservationsCountAgainstRemainingUntilReleased() throws Exception {
        approvedBoost("a", TORRENT_A, BigInteger.valueOf(100));
        Authorization held = gate.authorize(boostA(BigInteger.valueOf(60)));
        assertEquals(Reason.OVER_REMAINING, refusal(boostA(BigInteger.valueOf(41))));
        gate.release(held.reservationId());
        gate.authorize(boostA(BigInteger.valueOf(100)));
    }

    @Test
    void refusesZeroAndNegativeAmounts() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        assertEquals(Reason.INVALID_AMOUNT, refusal(boostA(BigInteger.ZERO)));
        assertEquals(Reason.INVALID_AMOUNT, refusal(boostA(BigInteger.valueOf(-5))));
    }

    @Test
    void sendBudgetPaysOnlyItsRecipient() throws Exception {
        Budget send = store.file(Fixtures.send("s", PEER, BigInteger.valueOf(500)));
        store.approve("s");
        assertEquals(Reason.WRONG_RECIPIENT, refusal(SpendAttempt.under(send, OTHER_PEER, BigInteger.ONE)));
        Authorization ok = gate.authorize(SpendAttempt.under(send, PEER, BigInteger.valueOf(500)));
        assertEquals(PEER, ok.recipient());
    }

    @Test
    void aNewApprovalForTheSameTorrentReplacesTheOldBudgetInsteadOfStacking() throws Exception {
        approvedBoost("old", TORRENT_A, BigInteger.valueOf(1000));
        gate.commit(gate.authorize(boostA(BigInteger.valueOf(400))).reservationId());
        approvedBoost("new", TORRENT_A, BigInteger.valueOf(100));
        assertEquals(BudgetState.REPLACED, store.find("old").orElseThrow().state());
        // The 600 the old budget left is not added: only the newly approved cap can be spent.
        assertEquals(Reason.OVER_REMAINING, refusal(boostA(BigInteger.valueOf(101))));
        assertEquals("new", gate.authorize(boostA(BigInteger.valueOf(100))).budgetId());
        assertEquals(Reason.REPLACED, refusal(SpendAttempt.under(store.find("old").orElseThrow(), PEER, BigInteger.ONE)));
    }

    @Test
    void aReplacedBudgetStillCommitsThePaymentItHadInFlight() throws Exception {
        approvedBoost("old", TORRENT_A, BigInteger.valueOf(1000));
        Authorization inFlight = gate.authorize(boostA(BigInteger.valueOf(300)));
        approvedBoost("new", TORRENT_A, BigInteger.valueOf(100));
        Budget old = gate.commit(inFlight.reservationId());
        assertEquals(BigInteger.valueOf(300), old.spent());
        assertEquals(BigInteger.ZERO, old.reserved());
        assertEquals(BudgetState.REPLACED, old.state());
        assertEquals(BigInteger.ZERO, store.find("new").orElseThrow().spent());
    }

    @Test
    void approvalsForOtherTorrentsOrNetworksAreNotReplaced() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        approvedBoost("b", TORRENT_B, ONE_BTT);
        SpendRequest nile = new SpendRequest("a-nile", SpendPurpose.BOOST_TORRENT, TORRENT_A, "ubuntu.iso", null,
                ONE_BTT, ONE_BTT, null, "nile", BTT, T0, T0.plus(Duration.ofHours(1)));
        store.file(nile);
        store.approve("a-nile");
        assertEquals(BudgetState.APPROVED, store.find("a").orElseThrow().state());
        assertEquals(BudgetState.APPROVED, store.find("b").orElseThrow().state());
    }

    @Test
    void anApprovalThatFailsReplacesNothing() throws Exception {
        approvedBoost("old", TORRENT_A, ONE_BTT);
        store.file(Fixtures.boost("late", TORRENT_A, ONE_BTT, Duration.ofMinutes(5)));
        clock.advance(Duration.ofMinutes(5));
        assertThrows(BudgetTransitionException.class, () -> store.approve("late"));
        assertEquals(BudgetState.APPROVED, store.find("old").orElseThrow().state());
    }

    @Test
    void concurrentReservationsNeverExceedTheCap() throws Exception {
        BigInteger cap = BigInteger.valueOf(1000);
        approvedBoost("a", TORRENT_A, cap);
        int threads = 8;
        BigInteger each = BigInteger.valueOf(300); // any 4 together exceed the cap; at most 3 may pass
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        gate.authorize(boostA(each));
                        return true;
                    } catch (SpendRefusedException e) {
                        assertEquals(Reason.OVER_REMAINING, e.reason());
                        return false;
                    }
                }));
            }
            start.countDown();
            int granted = 0;
            for (Future<Boolean> f : results) {
                if (f.get(30, TimeUnit.SECONDS)) {
                    granted++;
                }
            }
            assertEquals(3, granted);
            Budget b = store.find("a").orElseThrow();
            assertEquals(each.multiply(BigInteger.valueOf(3)), b.reserved());
            assertTrue(b.reserved().compareTo(cap) <= 0);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reloadFromDiskKeepsSpentAndReservedExact() throws Exception {
        approvedBoost("a", TORRENT_A, ONE_BTT);
        BigInteger spent = new BigInteger("333333333333333333");
        gate.commit(gate.authorize(boostA(spent)).reservationId());
        Authorization inFlight = gate.authorize(boostA(BigInteger.valueOf(7)));

        // Restart: a new store and gate over the same file.
        ApprovalStore reopened = ApprovalStore.open(ApprovalStore.defaultFile(dataDir), clock);
        SpendAuthorizer gate2 = new SpendAuthorizer(reopened);
        Budget b = reopened.find("a").orElseThrow();
        assertEquals(spent, b.spent());
        assertEquals(BigInteger.valueOf(7), b.reserved());
        assertEquals(1, reopened.reservations().size(), "an in-flight payment stays held across a crash");
        BigInteger remaining = ONE_BTT.subtract(spent).subtract(BigInteger.valueOf(7));
        assertEquals(remaining, b.remaining());
        assertThrows(SpendRefusedException.class, () -> gate2.authorize(boostA(remaining.add(BigInteger.ONE))));
        assertEquals(spent.add(BigInteger.valueOf(7)), gate2.commit(inFlight.reservationId()).spent());
    }
}
