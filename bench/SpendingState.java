import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.Authorization;
import dev.magnetar.approval.Budget;
import dev.magnetar.approval.SpendAttempt;
import dev.magnetar.approval.SpendAuthorizer;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentStatus;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;

/**
 * The files a user who boosted and paid has in the data directory, written by the product's own classes (so their shape
 * is the one a daemon reads): {@code approvals.json} with a few boosts (approved, partly spent, one reservation in
 * flight, one rejected) and {@code wallet/ledger-NETWORK.json} with the payments behind them and some received ones.
 * Used by {@code bench/api --with-spending}. Usage: {@code java -cp magnetar.jar bench/SpendingState.java DATA_DIR [NETWORK]}.
 */
public final class SpendingState {
    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        String network = args.length > 1 ? args[1] : "devnet";
        Clock clock = Clock.systemUTC();
        Random random = new Random(1);
        HexFormat hex = HexFormat.of();
        BigInteger btt = BigInteger.TEN.pow(18);
        ApprovalStore approvals = ApprovalStore.open(ApprovalStore.defaultFile(dataDir), clock);
        SpendAuthorizer authorizer = new SpendAuthorizer(approvals);
        PaymentLedger ledger = PaymentLedger.open(dataDir.resolve("wallet").resolve("ledger-" + network + ".json"), clock);
        Instant now = clock.instant();
        for (int i = 0; i < 4; i++) {
            String infoHash = hex.formatHex(bytes(random, 20));
            SpendRequest request = new SpendRequest("boost-" + i, SpendPurpose.BOOST_TORRENT, infoHash, "Some torrent " + i,
                    "https://example.org/page-" + i, btt.multiply(BigInteger.valueOf(50)), btt.multiply(BigInteger.valueOf(20)), null,
                    network, "TFczxzPhnThNSqr5by8tvxsdCFRRz6cPNq", now, now.plus(Duration.ofDays(30)), 0x2b6653dcL,
                    SpendRequest.FeeEstimate.of(27_000_000L, 10), SpendRequest.Coverage.of(btt.multiply(BigInteger.valueOf(50)),
                            btt.multiply(BigInteger.valueOf(10)), 3L << 30));
            Budget budget = approvals.file(request);
            if (i == 3) {
                approvals.reject(budget.id());
                continue;
            }
            approvals.approve(budget.id());
            for (int p = 0; p < 3; p++) {
                String recipient = "T" + hex.formatHex(bytes(random, 16));
                BigInteger amount = btt.multiply(BigInteger.valueOf(2 + p));
                Authorization a = authorizer.authorize(SpendAttempt.boost(infoHash, recipient, amount, network, request.tokenContract()));
                if (i == 2 && p == 2) {
                    break; // one reservation still in flight, as after a crash between signing and broadcast
                }
                String txid = hex.formatHex(bytes(random, 32));
                ledger.record(new PaymentEntry("pay-" + i + "-" + p, PaymentEntry.Direction.SENT, network, txid, recipient, infoHash,
                        amount, PaymentStatus.BROADCAST, now.toEpochMilli() + 60_000, a.reservationId(), hex.formatHex(bytes(random, 300)),
                        0, 0, null, now.toEpochMilli()));
                authorizer.commit(a.reservationId());
                ledger.advance("pay-" + i + "-" + p, PaymentStatus.CONFIRMED, 1000 + p, 27_000_000L, null);
            }
        }
        for (int r = 0; r < 5; r++) {
            ledger.record(new PaymentEntry("received-" + r, PaymentEntry.Direction.RECEIVED, network, hex.formatHex(bytes(random, 32)),
                    "T" + hex.formatHex(bytes(random, 16)), hex.formatHex(bytes(random, 20)), btt.multiply(BigInteger.valueOf(r + 1)),
                    PaymentStatus.CONFIRMED, 0, null, null, 2000 + r, 0, null, now.toEpochMilli()));
        }
        System.out.println("spending state: " + approvals.budgets().size() + " budgets, " + approvals.reservations().size()
                + " reservation(s), " + ledger.entries().size() + " ledger entries in " + dataDir);
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
