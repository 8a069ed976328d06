package dev.magnetar.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.testing.ChildJvm;
import dev.magnetar.testing.MutableClock;
import dev.magnetar.devnet.DevnetChain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tron.trident.proto.Chain.Transaction;

/** BTT payments between two wallets on the embedded devnet, through Trident over loopback gRPC. */
class PaymentServiceTest {

    private static final long TRX = 1_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private MutableClock clock;
    private Devnet devnet;
    private TronChainClient client;
    private TronKey alice;
    private TronKey bob;
    private PaymentLedger ledger;
    private FileBudgetGate gate;
    private final AtomicInteger keyRequests = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(java.time.Instant.now());
        devnet = Devnet.start(Devnet.Config.onDemand(dir.resolve("devnet")).withClock(clock));
        client = new TronChainClient(TronNetwork.devnet(devnet.endpoint()));
        alice = TronKey.generate(RANDOM);
        bob = TronKey.generate(RANDOM);
        devnet.faucet(bytes(alice.address()), 100 * TRX, BttAmount.parseBtt("1000"));
        ledger = PaymentLedger.open(dir.resolve("alice-ledger.json"), clock);
        gate = FileBudgetGate.approve(dir.resolve("alice-budget.json"), BttAmount.parseBtt("50"));
    }

    @AfterEach
    void stop() {
        client.close();
        devnet.close();
    }

    private static ByteString bytes(TronAddress a) {
        return ByteString.copyFrom(a.bytes());
    }

    private PaymentService service(PaymentLedger l, SpendGate g) {
        return new PaymentService(client, l, g, () -> {
            keyRequests.incrementAndGet();
            return alice;
        }, clock);
    }

    private void confirmAll() {
        for (int i = 0; i <= devnet.chain().confirmations(); i++) {
            devnet.produceBlock();
        }
    }

    @Test
    void twoWalletsPayBttExactlyAndEverythingSurvivesRestart() throws Exception {
        BigInteger amount = BttAmount.parseBtt("12.345678901234567891");
        PaymentEntry sent = service(ledger, gate).pay("pay-1", bob.address(), amount, "infohash-1");
        assertEquals(PaymentStatus.BROADCAST, sent.status());
        assertEquals(1, devnet.chain().pendingCount());

        confirmAll();
        List<PaymentEntry> settled = service(ledger, gate).reconcile();

        PaymentEntry confirmed = settled.get(0);
        assertEquals(PaymentStatus.CONFIRMED, confirmed.status());
        long expectedFee = 29_650 * DevnetChain.ENERGY_PRICE_SUN; // TRC-20 transfer to a new holder, burnt at the chain's energy price
        assertEquals(expectedFee, confirmed.feeSun());
        assertEquals(BttAmount.parseBtt("1000").subtract(amount), client.bttBalance(alice.address()));
        assertEquals(amount, client.bttBalance(bob.address()));
        assertEquals(100 * TRX - expectedFee, client.trxBalanceSun(alice.address()));
        assertEquals(0, client.trxBalanceSun(bob.address()));
        assertEquals(BttAmount.parseBtt("50").subtract(amount), gate.remaining());

        PaymentLedger bobLedger = PaymentLedger.open(dir.resolve("bob-ledger.json"), clock);
        PaymentService bobService = new PaymentService(client, bobLedger, gate, () -> bob, clock);
        PaymentEntry received = bobService.recordIncoming(sent.txid(), bob.address(), "infohash-1").orElseThrow();
        assertEquals(amount, received.amountBaseUnits());
        assertEquals(alice.address().toBase58(), received.counterparty());
        assertEquals(PaymentEntry.Direction.RECEIVED, received.direction());

        // Stop the devnet and the client; start both again from their data directories.
        client.close();
        devnet.close();
        devnet = Devnet.start(Devnet.Config.onDemand(dir.resolve("devnet")).withClock(clock));
        client = new TronChainClient(TronNetwork.devnet(devnet.endpoint()));
        PaymentLedger aliceAgain = PaymentLedger.open(dir.resolve("alice-ledger.json"), clock);
        PaymentLedger bobAgain = PaymentLedger.open(dir.resolve("bob-ledger.json"), clock);

        assertEquals(BttAmount.parseBtt("1000").subtract(amount), client.bttBalance(alice.address()));
        assertEquals(amount, client.bttBalance(bob.address()));
        assertEquals(100 * TRX - expectedFee, client.trxBalanceSun(alice.address()));
        assertEquals(confirmed, aliceAgain.byPaymentId("pay-1").orElseThrow());
        assertEquals(received, bobAgain.byTxid(sent.txid()).orElseThrow());
        assertEquals(1, aliceAgain.entries().size());

        // Paying the same payment id again is answered from the ledger: nothing is signed or sent.
        int keysBefore = keyRequests.get();
        PaymentEntry again = service(aliceAgain, gate).pay("pay-1", bob.address(), amount, "infohash-1");
        assertEquals(PaymentStatus.CONFIRMED, again.status());
        assertEquals(keysBefore, keyRequests.get());
        assertEquals(0, devnet.chain().pendingCount());
    }

    @Test
    void spendWithoutApprovalIsRefusedBeforeAnythingIsSigned() throws Exception {
        FileBudgetGate none = FileBudgetGate.approve(dir.resolve("none.json"), BigInteger.ZERO);

        assertThrows(PaymentRefusedException.class,
                () -> service(ledger, none).pay("pay-x", bob.address(), BttAmount.parseBtt("1"), "infohash"));

        assertEquals(0, keyRequests.get());
        assertEquals(0, devnet.chain().pendingCount());
        assertTrue(ledger.entries().isEmpty());
        assertEquals(BttAmount.parseBtt("1000"), client.bttBalance(alice.address()));
    }

    @Test
    void budgetIsDrawnDownExactlyAndThenRefuses() throws Exception {
        FileBudgetGate ten = FileBudgetGate.approve(dir.resolve("ten.json"), BttAmount.parseBtt("10"));
        PaymentService service = service(ledger, ten);
        service.pay("a", bob.address(), BttAmount.parseBtt("4"), "t");
        service.pay("b", bob.address(), BttAmount.parseBtt("6"), "t");
        confirmAll();
        service.reconcile();

        assertEquals(BigInteger.ZERO, ten.remaining());
        assertEquals(BttAmount.parseBtt("10"), service.totalSent());
        assertThrows(PaymentRefusedException.class, () -> service.pay("c", bob.address(), BigInteger.ONE, "t"));
        assertEquals(BttAmount.parseBtt("10"), client.bttBalance(bob.address()));
    }

    @Test
    void transferTheTokenWouldRefuseIsNotSignedAndReleasesTheReservation() throws Exception {
        TronKey poor = TronKey.generate(RANDOM);
        devnet.faucet(bytes(poor.address()), 100 * TRX, BigInteger.ZERO);
        PaymentService service = new PaymentService(client, ledger, gate, () -> poor, clock);

        TransactionRejectedException e = assertThrows(TransactionRejectedException.class,
                () -> service.pay("p", bob.address(), BttAmount.parseBtt("1"), "t"));

        assertEquals("CONTRACT_EXE_ERROR", e.code());
        assertEquals(BttAmount.parseBtt("50"), gate.remaining());
        assertTrue(ledger.entries().isEmpty());
    }

    @Test
    void tooLowFeeLimitBurnsTheFeeLimitAndFailsWithOutOfEnergy() throws Exception {
        SignedTransaction good = client.signBttTransfer(alice, bob.address(), BttAmount.parseBtt("1"));
        long feeLimit = 1_000 * DevnetChain.ENERGY_PRICE_SUN; // buys 1,000 energy; a transfer needs ~30,000
        Transaction unsigned = good.transaction().toBuilder().clearSignature()
                .setRawData(good.transaction().getRawData().toBuilder().setFeeLimit(feeLimit)).build();
        SignedTransaction cheap = SignedTransaction.of(unsigned.toBuilder()
                .addSignature(ByteString.copyFrom(alice.sign(TransactionIds.txidBytes(unsigned)))).build());

        client.broadcast(cheap);
        confirmAll();
        TransactionStatus status = client.status(cheap.txid());

        assertEquals(TransactionStatus.State.FAILED, status.state());
        assertTrue(status.failure().startsWith("OUT_OF_ENERGY"), status.failure());
        assertEquals(feeLimit, status.feeSun());
        assertEquals(100 * TRX - feeLimit, client.trxBalanceSun(alice.address()));
        assertEquals(BigInteger.ZERO, client.bttBalance(bob.address()));
    }

    /** The estimate shown before approval is what the chain then burns for a payment to a new holder; one to a holder costs less. */
    @Test
    void theFeeEstimateIsWhatAPaymentToANewHolderBurnsOnThisChain() throws Exception {
        long estimate = client.estimateBttTransferFeeSun(alice.address());
        assertEquals(29_650L * DevnetChain.ENERGY_PRICE_SUN, estimate);
        assertTrue(client.estimateBttTransferFeeSun(bob.address()) >= estimate,
                "a payer without BTT cannot dry-run a transfer: its figure is the conservative one, never less");

        service(ledger, gate).pay("first", bob.address(), BttAmount.parseBtt("1"), "t");
        confirmAll();
        PaymentEntry first = service(ledger, gate).reconcile().get(0);
        service(ledger, gate).pay("second", bob.address(), BttAmount.parseBtt("2"), "t");
        confirmAll();
        PaymentEntry second = service(ledger, gate).reconcile().get(0);
        assertEquals(estimate, first.feeSun(), "bob held no BTT: the costlier case, as estimated");
        assertTrue(second.feeSun() < estimate, "bob holds BTT now: " + second.feeSun());
    }

    @Test
    void aWalletWhoseTrxCannotCoverTheFeeSignsNothingAndLosesNothing() throws Exception {
        TronKey poor = TronKey.generate(RANDOM);
        devnet.faucet(bytes(poor.address()), 2 * TRX, BttAmount.parseBtt("10")); // a transfer to a new holder burns ~6.2 TRX
        PaymentService service = new PaymentService(client, ledger, gate, () -> poor, clock);

        InsufficientTrxException e = assertThrows(InsufficientTrxException.class,
                () -> service.pay("poor-1", bob.address(), BttAmount.parseBtt("1"), "t"));

        assertEquals(2 * TRX, e.balanceSun());
        assertEquals(29_650L * DevnetChain.ENERGY_PRICE_SUN, e.feeSun());
        assertTrue(e.getMessage().contains("add TRX"), e.getMessage());
        assertTrue(ledger.entries().isEmpty(), "nothing signed, nothing recorded");
        assertEquals(0, devnet.chain().pendingCount(), "nothing broadcast");
        confirmAll();
        assertEquals(2 * TRX, client.trxBalanceSun(poor.address()), "no TRX burnt");
        assertEquals(BttAmount.parseBtt("50"), gate.remaining(), "the budget's reservation was released");
    }

    /** Fees of payments not mined yet do not show in the balance: the next payment must leave TRX for them too. */
    @Test
    void theTrxOfPaymentsStillBeingConfirmedIsNotSpentTwice() throws Exception {
        TronKey payer = TronKey.generate(RANDOM);
        devnet.faucet(bytes(payer.address()), 8 * TRX, BttAmount.parseBtt("10")); // one transfer to a new holder: ~6.2 TRX
        PaymentService service = new PaymentService(client, ledger, gate, () -> payer, clock);
        service.pay("one", bob.address(), BttAmount.parseBtt("1"), "t");

        InsufficientTrxException e = assertThrows(InsufficientTrxException.class,
                () -> service.pay("two", bob.address(), BttAmount.parseBtt("2"), "t"));

        assertTrue(e.getMessage().contains("1 payment still being confirmed"), e.getMessage());
        confirmAll();
        PaymentEntry one = service.reconcile().get(0);
        assertEquals(PaymentStatus.CONFIRMED, one.status());
        assertEquals(8 * TRX - one.feeSun(), client.trxBalanceSun(payer.address()), "only the payment that could pay its fee burnt TRX");
        assertEquals(1, ledger.entries().size());
    }

    @Test
    void feeLimitComesFromTheChainsEnergyPriceAndEstimate() throws Exception {
        SignedTransaction tx = client.signBttTransfer(alice, bob.address(), BigInteger.ONE);
        long expected = 29_650L * 120 / 100 * DevnetChain.ENERGY_PRICE_SUN;
        assertEquals(expected, tx.transaction().getRawData().getFeeLimit());
    }

    @Test
    void paymentRecordedButNeverSentIsResentWithTheSameBytes() throws Exception {
        SignedTransaction signed = client.signBttTransfer(alice, bob.address(), BttAmount.parseBtt("2"));
        String reservation = gate.reserve("lost", "t", bob.address(), BttAmount.parseBtt("2"));
        ledger.record(prepared("lost", signed, reservation, BttAmount.parseBtt("2")));

        service(ledger, gate).reconcile(); // not on chain, not expired: re-send the same signed transaction
        confirmAll();
        PaymentEntry done = service(ledger, gate).reconcile().get(0);

        assertEquals(PaymentStatus.CONFIRMED, done.status());
        assertEquals(signed.txid(), done.txid());
        assertEquals(0, keyRequests.get());
        assertEquals(BttAmount.parseBtt("2"), client.bttBalance(bob.address()));
    }

    @Test
    void paymentThatExpiredWithoutLandingIsFailedAndItsReservationReleased() throws Exception {
        SignedTransaction signed = client.signBttTransfer(alice, bob.address(), BttAmount.parseBtt("3"));
        String reservation = gate.reserve("stale", "t", bob.address(), BttAmount.parseBtt("3"));
        ledger.record(prepared("stale", signed, reservation, BttAmount.parseBtt("3")));
        assertEquals(BttAmount.parseBtt("47"), gate.remaining());

        clock.advance(Duration.ofMinutes(2)); // past the transaction's 60 s expiration
        devnet.produceBlock();
        PaymentEntry failed = service(ledger, gate).reconcile().get(0);

        assertEquals(PaymentStatus.FAILED, failed.status());
        assertEquals(BttAmount.parseBtt("50"), gate.remaining());
        assertEquals(BigInteger.ZERO, client.bttBalance(bob.address()));
        assertEquals(0, devnet.chain().pendingCount());
    }

    private PaymentEntry prepared(String id, SignedTransaction signed, String reservation, BigInteger amount) {
        return new PaymentEntry(id, PaymentEntry.Direction.SENT, "devnet", signed.txid(), bob.address().toBase58(), "t", amount,
                PaymentStatus.PREPARED, signed.expirationMillis(), reservation, signed.toHex(), 0, 0, "", clock.millis());
    }

    @Test
    void twoPaymentsOfTheSameAmountToTheSameRecipientInTheSameMillisecondAreTwoTransactions() throws Exception {
        // The clock does not move between the two: same head block, same expiry, same node-side timestamp.
        BigInteger amount = BttAmount.parseBtt("1.5");
        PaymentService service = service(ledger, gate);
        PaymentEntry first = service.pay("pay-1", bob.address(), amount, "infohash-1");
        PaymentEntry second = service.pay("pay-2", bob.address(), amount, "infohash-1");

        assertTrue(!first.txid().equals(second.txid()), "one transaction id for two payments: " + first.txid());
        assertEquals(PaymentStatus.BROADCAST, second.status());
        assertEquals(2, devnet.chain().pendingCount());
        confirmAll();
        service.reconcile();
        assertEquals(List.of(PaymentStatus.CONFIRMED, PaymentStatus.CONFIRMED), ledger.entries().stream().map(PaymentEntry::status).toList());
        assertEquals(amount.add(amount), client.bttBalance(bob.address()), "both payments arrived");
        assertEquals(BttAmount.parseBtt("50").subtract(amount.add(amount)), gate.remaining());
    }

    @Test
    void ledgerRefusesTheSamePaymentIdOrTransactionTwice() throws Exception {
        SignedTransaction signed = client.signBttTransfer(alice, bob.address(), BigInteger.TEN);
        ledger.record(prepared("one", signed, "r1", BigInteger.TEN));

        assertThrows(DuplicatePaymentException.class, () -> ledger.record(prepared("one", signed, "r1", BigInteger.TEN)));
        assertThrows(DuplicatePaymentException.class, () -> ledger.record(prepared("two", signed, "r2", BigInteger.TEN)));
        assertEquals(1, PaymentLedger.open(dir.resolve("alice-ledger.json"), clock).entries().size());
    }

    /**
     * kill -9 between broadcast and ledger write: a real child JVM pays, the node accepts the
     * transaction, the child is SIGKILLed before recording BROADCAST. After restart, reconcile must
     * find the transaction on chain and never sign another one.
     */
    @Test
    void killDashNineBetweenBroadcastAndLedgerWriteNeverPaysTwice() throws Exception {
        Path ledgerFile = dir.resolve("child-ledger.json");
        Path gateFile = dir.resolve("child-budget.json");
        FileBudgetGate childGate = FileBudgetGate.approve(gateFile, BttAmount.parseBtt("20"));
        BigInteger amount = BttAmount.parseBtt("7.5");
        Path stderr = dir.resolve("child.stderr");
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(PayingChild.class.getName(),
                devnet.endpoint(), ledgerFile.toString(), gateFile.toString(), HexFormat.of().formatHex(alice.privateKeyBytes()),
                bob.address().toBase58(), amount.toString(), "crash-pay"))
                .redirectError(stderr.toFile());
        Process child = pb.start();
        String broadcastLine;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            broadcastLine = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        if (line.startsWith("BROADCAST ") || line.startsWith("UNEXPECTED")) {
                            return line;
                        }
                    }
                    return "EOF";
                } catch (java.io.IOException e) {
                    return "IO " + e;
                }
            }).get(180, TimeUnit.SECONDS); // hang guard only: a child JVM loading the TRON client took over 60 s at load 30
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die");
        }
        assertTrue(broadcastLine.startsWith("BROADCAST "), () -> broadcastLine + " / stderr: " + readQuietly(stderr));
        String txid = broadcastLine.substring("BROADCAST ".length()).trim();

        // The crash left the payment PREPARED: the node has it, the ledger does not know that.
        PaymentLedger restarted = PaymentLedger.open(ledgerFile, clock);
        assertEquals(PaymentStatus.PREPARED, restarted.byPaymentId("crash-pay").orElseThrow().status());
        assertEquals(1, devnet.chain().pendingCount());

        PaymentService recovered = new PaymentService(client, restarted, childGate, () -> {
            keyRequests.incrementAndGet();
            return alice;
        }, clock);
        recovered.reconcile();
        confirmAll();
        recovered.reconcile();
        PaymentEntry again = recovered.pay("crash-pay", bob.address(), amount, "crash-test-torrent");
        confirmAll();

        assertEquals(PaymentStatus.CONFIRMED, again.status());
        assertEquals(txid, again.txid());
        assertEquals(0, keyRequests.get(), "recovery must never sign a new transaction");
        assertEquals(1, restarted.entries().size());
        assertEquals(1, transfersOnChainFrom(alice.address()));
        assertEquals(amount, client.bttBalance(bob.address()));
        assertEquals(BttAmount.parseBtt("1000").subtract(amount), client.bttBalance(alice.address()));
        assertEquals(BttAmount.parseBtt("20").subtract(amount), childGate.remaining());
        assertFalse(childGate.state().committed().isEmpty());
    }

    private int transfersOnChainFrom(TronAddress owner) throws Exception {
        int count = 0;
        for (long n = 0; n <= devnet.chain().head().number(); n++) {
            for (Transaction tx : devnet.chain().blockByNumber(n).orElseThrow().block().getTransactionsList()) {
                var trigger = tx.getRawData().getContract(0).getParameter()
                        .unpack(org.tron.trident.proto.Contract.TriggerSmartContract.class);
                if (trigger.getOwnerAddress().equals(bytes(owner))) {
                    count++;
                }
            }
        }
        return count;
    }

    private static String readQuietly(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Test
    void approvedBoostBudgetFromTheApprovalStoreCoversExactlyItsTorrent() throws Exception {
        var store = dev.magnetar.approval.ApprovalStore.open(dir.resolve("approvals.json"), clock);
        BigInteger cap = BttAmount.parseBtt("5");
        store.file(new dev.magnetar.approval.SpendRequest("b1", dev.magnetar.approval.SpendPurpose.BOOST_TORRENT, "aa".repeat(20),
                "ubuntu.iso", "https://example.org/", cap, BttAmount.parseBtt("1"), null, "devnet",
                TronNetwork.DEVNET_BTT_CONTRACT.toBase58(), clock.instant(), clock.instant().plus(Duration.ofHours(1))));
        store.approve("b1");
        PaymentService service = service(ledger, new ApprovalSpendGate(new dev.magnetar.approval.SpendAuthorizer(store), client.network()));

        assertThrows(PaymentRefusedException.class, () -> service.pay("other", bob.address(), BigInteger.ONE, "bb".repeat(20)));
        service.pay("p1", bob.address(), BttAmount.parseBtt("5"), "aa".repeat(20));
        confirmAll();
        service.reconcile();

        assertEquals(BttAmount.parseBtt("5"), store.find("b1").orElseThrow().spent());
        assertThrows(PaymentRefusedException.class, () -> service.pay("p2", bob.address(), BigInteger.ONE, "aa".repeat(20)));
        assertEquals(BttAmount.parseBtt("5"), client.bttBalance(bob.address()));
    }

    private dev.magnetar.approval.SpendRequest boostRequest(String id, String btt) throws Exception {
        return new dev.magnetar.approval.SpendRequest(id, dev.magnetar.approval.SpendPurpose.BOOST_TORRENT, "aa".repeat(20),
                "ubuntu.iso", null, BttAmount.parseBtt(btt), BttAmount.parseBtt("1"), null, "devnet",
                TronNetwork.DEVNET_BTT_CONTRACT.toBase58(), clock.instant(), clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void revokedOrReplacedBudgetSignsNothingMore() throws Exception {
        var store = dev.magnetar.approval.ApprovalStore.open(dir.resolve("approvals.json"), clock);
        store.file(boostRequest("first", "5"));
        store.approve("first");
        PaymentService service = service(ledger, new ApprovalSpendGate(new dev.magnetar.approval.SpendAuthorizer(store), client.network()));
        service.pay("p1", bob.address(), BttAmount.parseBtt("1"), "aa".repeat(20));

        store.file(boostRequest("second", "2"));
        store.approve("second");
        assertEquals(dev.magnetar.approval.BudgetState.REPLACED, store.find("first").orElseThrow().state());
        // The 4 BTT "first" left are not added to "second": 3 is over the new cap.
        int keysBefore = keyRequests.get();
        assertThrows(PaymentRefusedException.class, () -> service.pay("p2", bob.address(), BttAmount.parseBtt("3"), "aa".repeat(20)));
        service.pay("p3", bob.address(), BttAmount.parseBtt("1.5"), "aa".repeat(20));

        store.revoke("second");
        int keysAfterLastPayment = keyRequests.get();
        assertThrows(PaymentRefusedException.class, () -> service.pay("p4", bob.address(), BigInteger.ONE, "aa".repeat(20)));
        assertEquals(keysAfterLastPayment, keyRequests.get(), "a refused payment never asks for the key");
        assertTrue(keysAfterLastPayment > keysBefore);
        confirmAll();
        service.reconcile();
        assertEquals(BttAmount.parseBtt("2.5"), client.bttBalance(bob.address()));
        assertEquals(BttAmount.parseBtt("1"), store.find("first").orElseThrow().spent());
        assertEquals(BttAmount.parseBtt("1.5"), store.find("second").orElseThrow().spent());
    }
}
