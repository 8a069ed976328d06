package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.Authorization;
import dev.magnetar.approval.Budget;
import dev.magnetar.approval.BudgetState;
import dev.magnetar.approval.DecidedRequestRetention;
import dev.magnetar.approval.SpendAttempt;
import dev.magnetar.approval.SpendAuthorizer;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.testing.MutableClock;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoostBudgetTest {

    private static final InfoHash TORRENT = InfoHash.fromHex("cccccccccccccccccccccccccccccccccccccccc");
    private static final SpeedNetwork NET = new SpeedNetwork("devnet", 777, TestAddresses.BTT);
    private static final BigInteger CAP = BigInteger.valueOf(1000);
    private static final String PAYEE = "TUg28KYvCXWW81EqMUeZvCZmZw2BChk1HQ";

    @TempDir Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    @Test
    void askingForMoreNamesAFreshRequestEvenAfterTheStoreForgotEarlierOnes() throws Exception {
        // Keeps one decided request: each used-up budget pushes the one before it out.
        ApprovalStore store = ApprovalStore.open(ApprovalStore.defaultFile(dataDir), clock, new DecidedRequestRetention(Duration.ofDays(30), 1));
        SpendAuthorizer gate = new SpendAuthorizer(store);
        BoostBudget budget = new BoostBudget(store, TORRENT, NET);
        store.file(new SpendRequest("first", SpendPurpose.BOOST_TORRENT, TORRENT.hex(), "t", null, CAP, BigInteger.ONE, null,
                NET.name(), NET.token().toBase58(), clock.instant(), clock.instant().plus(Duration.ofDays(1))));
        String id = "first";
        for (int round = 0; round < 4; round++) {
            store.approve(id);
            clock.advance(Duration.ofSeconds(1));
            Authorization all = gate.authorize(SpendAttempt.boost(TORRENT.hex(), PAYEE, CAP, NET.name(), NET.token().toBase58()));
            assertEquals(BudgetState.EXHAUSTED, gate.commit(all.reservationId()).state());
            clock.advance(Duration.ofSeconds(1));
            Budget more = budget.requestMore().orElseThrow();
            assertEquals(BudgetState.PENDING, more.state());
            assertTrue(!more.id().equals(id));
            id = more.id();
        }
    }
}
