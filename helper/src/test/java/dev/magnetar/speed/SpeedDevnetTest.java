package dev.magnetar.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.Budget;
import dev.magnetar.approval.BudgetState;
import dev.magnetar.approval.SpendAuthorizer;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.ChokeDecision;
import dev.magnetar.engine.Choker;
import dev.magnetar.engine.ChokerSettings;
import dev.magnetar.engine.PeerSnapshot;
import dev.magnetar.engine.TitForTatSlotPolicy;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.testing.MutableClock;
import dev.magnetar.wallet.ApprovalSpendGate;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.PaymentStatus;
import dev.magnetar.wallet.SignedTransaction;
import dev.magnetar.wallet.TronAddress;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.TronNetwork;
import dev.magnetar.wire.ExtensionHandshake;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The speed economy against the embedded devnet over real gRPC (Trident): on-chain payment checks
 * (C1–C7), the payer's budget rules, and a seeder and a payer talking through the codec with real
 * BTT moving. Blocks are produced on demand; nothing sleeps.
 */
class SpeedDevnetTest {

    private static final long TRX = 1_000_000L;
    private static final BigInteger BTT = SpeedSettings.ONE_BTT;
    private static final long GIB = 1L << 30;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InfoHash IH = InfoHash.fromHex("c0ffee".repeat(6) + "0000");

    @TempDir
    Path dir;

    private MutableClock clock;
    private Devnet devnet;
    private TronChainClient client;
    private SpeedNetwork net;
    private TronKey payer;
    private TronKey payee;
    private ApprovalStore approvals;
    private PaymentLedger payerLedger;
    private PaymentLedger payeeLedger;
    private PaymentService payerPayments;
    private PaymentVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        clock = new MutableClock(Instant.now());
        devnet = Devnet.start(Devnet.Config.onDemand(dir.resolve("devnet")).withClock(clock));
        TronNetwork tron = TronNetwork.devnet(devnet.endpoint());
        client = new TronChainClient(tron);
        net = SpeedNetwork.of(tron, devnet.chainId());
        payer = TronKey.generate(RANDOM);
        payee = TronKey.generate(RANDOM);
        devnet.faucet(bytes(payer.address()), 200 * TRX, BTT.multiply(BigInteger.valueOf(1000)));
        approvals = ApprovalStore.open(dir.resolve("approvals.json"), clock);
        payerLedger = PaymentLedger.open(dir.resolve("payer-ledger.json"), clock);
        payeeLedger = PaymentLedger.open(dir.resolve("payee-ledger.json"), clock);
        payerPayments = new PaymentService(client, payerLedger, new ApprovalSpendGate(new SpendAuthorizer(approvals), tron), () -> payer, clock);
        verifier = newVerifier(payeeLedger, BTT.multiply(BigInteger.valueOf(3)));
    }

    @AfterEach
    void stop() {
        client.close();
        devnet.close();
    }

    private PaymentVerifier newVerifier(PaymentLedger ledger, BigInteger confirmationThreshold) throws Exception {
        return new PaymentVerifier(client, net, ledger, confirmationThreshold, Duration.ofSeconds(120), clock);
    }

    private static ByteString bytes(TronAddress a) {
        return ByteString.copyFrom(a.bytes());
    }

    private void approveBudget(String id, BigInteger cap, BigInteger maxRate) throws Exception {
        approvals.file(new SpendRequest(id, SpendPurpose.BOOST_TORRENT, IH.hex(), "t", null, cap, maxRate, null, net.name(),
                net.token().toBase58(), clock.instant(), clock.instant().plus(Duration.ofHours(1))));
        approvals.approve(id);
    }

    private void confirmAll() {
        for (int i = 0; i <= devnet.chain().confirmations(); i++) {
            devnet.produceBlock();
        }
    }

    private SpeedMessage.Payment notice(SignedTransaction tx, BigInteger amount) {
        return new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(tx.txid()), amount);
    }

    private String pay(TronKey from, TronAddress to, BigInteger amount) throws Exception {
        SignedTransaction tx = client.signBttTransfer(from, to, amount);
        client.broadcast(tx);
        return tx.txid();
    }

    private PaymentRejectedException rejected(SpeedMessage.Payment n, TronAddress claimedPayer, long firstSeen) {
        return assertThrows(PaymentRejectedException.class, () -> verifier.check(n, claimedPayer, payee.address(), IH.hex(), firstSeen));
    }

    // ------------------------------------------------------------------ the payee checks payments on chain

    @Test
    void realPaymentIsCreditedOnceEvenAfterARestart() throws Exception {
        BigInteger amount = BTT.multiply(BigInteger.TWO);
        String txid = pay(payer, payee.address(), amount);
        SpeedMessage.Payment n = new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(txid), amount);
        long seen = verifier.headTimeMillis();

        assertInstanceOf(PaymentVerifier.Verdict.Pending.class, verifier.check(n, payer.address(), payee.address(), IH.hex(), seen));
        devnet.produceBlock();
        PaymentVerifier.Verdict v = verifier.check(n, payer.address(), payee.address(), IH.hex(), seen);

        assertEquals(new PaymentVerifier.Verdict.Credited(txid, amount, false), v, "small amount: credited once included");
        assertEquals(SpeedErrorCode.PAYMENT_ALREADY_CREDITED, rejected(n, payer.address(), seen).code());
        PaymentVerifier afterRestart = newVerifier(PaymentLedger.open(dir.resolve("payee-ledger.json"), clock), BTT);
        assertEquals(SpeedErrorCode.PAYMENT_ALREADY_CREDITED, assertThrows(PaymentRejectedException.class,
                () -> afterRestart.check(n, payer.address(), payee.address(), IH.hex(), seen)).code());
        confirmAll();
        assertEquals(1, verifier.settleReceived());
        assertEquals(PaymentStatus.CONFIRMED, payeeLedger.byTxid(txid).orElseThrow().status());
    }

    /** A speed peer that only records what is sent to it. */
    private static SpeedPeer recordingPeer(String name, List<SpeedMessage> sent) {
        return new SpeedPeer() {
            @Override
            public void send(SpeedMessage m) {
                sent.add(m);
            }

            @Override
            public String describe() {
                return name;
            }
        };
    }

    /** A seller with this test's settings that has completed the speed handshake with the payer behind {@code payerPeer}. */
    private SeedingSpeed sellerHandshakenWith(SpeedPeer payerPeer) {
        SpeedSettings s = settings();
        SeedingSpeed seeder = new SeedingSpeed(IH, SpeedHandshake.of(payee.address(), net, s.askPerGiB()), s, verifier);
        assertTrue(seeder.onHandshake(payerPeer, SpeedHandshake.of(payer.address(), net, BigInteger.ZERO)));
        return seeder;
    }

    /**
     * §4.5: the seller acknowledges each notice — pending while its transaction is not in a block, then
     * credited; the same proof from the same payer again is credited (not an error) and counted once; a
     * payment from someone else is rejected for good, with its error.
     */
    @Test
    void theSellerAcknowledgesEachProofCreditedOnceAndRejectsAForeignOne() throws Exception {
        List<SpeedMessage> toPayer = new ArrayList<>();
        SpeedPeer payerPeer = recordingPeer("payer", toPayer);
        SeedingSpeed seeder = sellerHandshakenWith(payerPeer);
        String txid = pay(payer, payee.address(), BTT);
        SpeedMessage.Payment notice = new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(txid), BTT);

        seeder.onMessage(payerPeer, notice);
        devnet.produceBlock();
        seeder.recheckPayments();
        seeder.onMessage(payerPeer, notice); // proved again (a lost answer, a restart)
        TronKey stranger = TronKey.generate(RANDOM);
        devnet.faucet(bytes(stranger.address()), 100 * TRX, BTT.multiply(BigInteger.TEN));
        String foreign = pay(stranger, payee.address(), BTT);
        devnet.produceBlock();
        seeder.onMessage(payerPeer, new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(foreign), BTT));

        List<SpeedMessage.PaymentAck> acks = toPayer.stream().filter(m -> m instanceof SpeedMessage.PaymentAck)
                .map(m -> (SpeedMessage.PaymentAck) m).toList();
        assertEquals(List.of(SpeedMessage.PaymentAck.Status.PENDING, SpeedMessage.PaymentAck.Status.CREDITED,
                SpeedMessage.PaymentAck.Status.CREDITED, SpeedMessage.PaymentAck.Status.REJECTED),
                acks.stream().map(SpeedMessage.PaymentAck::status).toList(), toPayer.toString());
        assertEquals(List.of(BigInteger.ZERO, BTT, BTT, BTT), acks.stream().map(SpeedMessage.PaymentAck::creditedTotal).toList(),
                "credited once");
        assertEquals(java.util.OptionalLong.of(SpeedErrorCode.PAYMENT_WRONG_SENDER.code()), acks.get(3).code());
        assertEquals(BTT, seeder.account(payer.address()).orElseThrow().credited());
        assertEquals(List.of((long) SpeedErrorCode.PAYMENT_WRONG_SENDER.code()), toPayer.stream()
                .filter(m -> m instanceof SpeedMessage.Error).map(m -> (long) ((SpeedMessage.Error) m).code()).toList(),
                "one error, for the foreign payment; none for the proof sent again");
    }

    @Test
    void largePaymentWaitsForTheSolidBlock() throws Exception {
        BigInteger amount = BTT.multiply(BigInteger.valueOf(5));
        String txid = pay(payer, payee.address(), amount);
        SpeedMessage.Payment n = new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(txid), amount);
        long seen = verifier.headTimeMillis();
        devnet.produceBlock();
        assertInstanceOf(PaymentVerifier.Verdict.Pending.class, verifier.check(n, payer.address(), payee.address(), IH.hex(), seen));
        confirmAll();
        assertEquals(new PaymentVerifier.Verdict.Credited(txid, amount, true), verifier.check(n, payer.address(), payee.address(), IH.hex(), seen));
    }

    @Test
    void fakeTransactionIdIsNeverCreditedAndTimesOut() throws Exception {
        byte[] fake = new byte[32];
        RANDOM.nextBytes(fake);
        SpeedMessage.Payment n = new SpeedMessage.Payment(new PaymentProof.Trc20Transaction(fake), BTT);
        long seen = verifier.headTimeMillis();
        devnet.produceBlock();
        assertInstanceOf(PaymentVerifier.Verdict.Pending.class, verifier.check(n, payer.address(), payee.address(), IH.hex(), seen));
        clock.advance(Duration.ofSeconds(121));
        devnet.produceBlock();
        assertEquals(SpeedErrorCode.PAYMENT_NOT_FOUND, rejected(n, payer.address(), seen).code());
        assertTrue(payeeLedger.entries().isEmpty());
    }

    @Test
    void wrongRecipientWrongTokenWrongSenderAndTooSmallAreRejected() throws Exception {
        TronKey stranger = TronKey.generate(RANDOM);
        devnet.faucet(bytes(stranger.address()), 100 * TRX, BTT.multiply(BigInteger.TEN));
        String toStranger = pay(payer, stranger.address(), BTT);
        SignedTransaction trx = client.signTrxTransfer(payer, payee.address(), TRX);
        client.broadcast(trx);
        String fromStranger = pay(stranger, payee.address(), BTT);
        String small = pay(payer, payee.address(), BTT);
        devnet.produceBlock();
        long seen = verifier.headTimeMillis();

        assertEquals(SpeedErrorCode.PAYMENT_WRONG_TRANSFER,
                rejected(new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(toStranger), BTT), payer.address(), seen).code());
        assertEquals(SpeedErrorCode.PAYMENT_WRONG_TRANSFER,
                rejected(new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(trx.txid()), BTT), payer.address(), seen).code(),
                "TRX, not the token");
        assertEquals(SpeedErrorCode.PAYMENT_WRONG_SENDER,
                rejected(new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(fromStranger), BTT), payer.address(), seen).code());
        assertEquals(SpeedErrorCode.PAYMENT_TOO_SMALL,
                rejected(new SpeedMessage.Payment(PaymentProof.Trc20Transaction.ofHex(small), BTT.add(BigInteger.ONE)), payer.address(), seen).code());
        assertEquals(SpeedErrorCode.UNSUPPORTED_PROOF,
                rejected(new SpeedMessage.Payment(new PaymentProof.Unsupported("cheque"), BTT), payer.address(), seen).code());
        assertTrue(payeeLedger.entries().isEmpty(), "nothing was credited");
    }

    @Test
    void aNoticeThatArrivesDuringAChainOutageIsCheckedOnceTheChainIsBackNotRejected() throws Exception {
        List<SpeedMessage> toPayer = new ArrayList<>();
        SpeedPeer payerPeer = recordingPeer("payer", toPayer);
        SeedingSpeed seeder = sellerHandshakenWith(payerPeer);
        SignedTransaction tx = client.signBttTransfer(payer, payee.address(), BTT); // signed while the chain is up
        int port = devnet.port();
        int confirmations = devnet.chain().confirmations();

        devnet.close();
        seeder.onMessage(payerPeer, notice(tx, BTT)); // the chain is unreachable: nothing can be checked
        assertTrue(seeder.paymentsPending());
        devnet = Devnet.start(new Devnet.Config(dir.resolve("devnet"), port, null, confirmations, clock));
        clock.advance(Duration.ofSeconds(5));
        devnet.produceBlock();
        awaitChainAnswers();

        seeder.recheckPayments();
        assertEquals(List.of(SpeedMessage.PaymentAck.Status.PENDING), ackStatuses(toPayer),
                "no PAYMENT_NOT_FOUND for a transaction the chain could not be asked about, one 'pending' answer: " + toPayer);
        assertTrue(seeder.paymentsPending(), "it waits for its transaction, from the time the chain answered");
        client.broadcast(tx);
        devnet.produceBlock();
        seeder.recheckPayments();
        assertEquals(BTT, seeder.account(payer.address()).orElseThrow().credited());
        assertEquals(List.of(SpeedMessage.PaymentAck.Status.PENDING, SpeedMessage.PaymentAck.Status.CREDITED), ackStatuses(toPayer),
                "pending, then credited, and no error: " + toPayer);
    }

    /** The statuses of the payment acknowledgements among {@code sent}; fails on any other message. */
    private static List<SpeedMessage.PaymentAck.Status> ackStatuses(List<SpeedMessage> sent) {
        return sent.stream().map(m -> m instanceof SpeedMessage.PaymentAck a ? a.status() : null).toList();
    }

    /** gRPC reconnects with a backoff after an outage; poll until the node answers (the deadline only guards hangs). */
    private void awaitChainAnswers() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                client.headBlockTimeMillis();
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the restarted devnet never answered", e);
                }
                Thread.sleep(100); // polling interval, not synchronisation
            }
        }
    }

    // ------------------------------------------------------------------ a seeder and a payer through the codec

    /** One connection: the seeder's and the payer's view of each other, with an ordered stream each way. */
    private final class Link {
        /** A speed message, or (message null) one whole piece of {@code pieceBytes}, the torrent's last when {@code last}. */
        private record Item(byte[] message, long pieceBytes, boolean last) {}

        final Deque<Item> toPayer = new ArrayDeque<>();
        final Deque<byte[]> toSeeder = new ArrayDeque<>();
        final List<SpeedMessage> sentByPayer = new ArrayList<>();
        final List<SpeedMessage.Error> errorsToPayer = new ArrayList<>();
        final SeedingSpeed seeder;
        final BoostedDownload download;
        final SpeedPeer payerAtSeeder = new SpeedPeer() {
            @Override
            public void send(SpeedMessage m) {
                toPayer.add(new Item(SpeedCodec.encode(m), 0, false));
            }

            @Override
            public String describe() {
                return "payer";
            }
        };
        final SpeedPeer seederAtPayer = new SpeedPeer() {
            @Override
            public void send(SpeedMessage m) {
                sentByPayer.add(m);
                toSeeder.add(SpeedCodec.encode(m));
            }

            @Override
            public String describe() {
                return "seeder";
            }
        };
        final Choker<SpeedPeer> choker;
        private int piecesReceived;

        Link(SpeedSettings settings) throws Exception {
            this(settings, new SeedingSpeed(IH, SpeedHandshake.of(payee.address(), net, settings.askPerGiB()), settings, verifier),
                    payerPayments, PayerSessions.inMemory());
        }

        /** A new connection to {@code seeder} from a payer whose wallet and counters are {@code payments} and {@code sessions}. */
        Link(SpeedSettings settings, SeedingSpeed seeder, PaymentService payments, PayerSessions sessions) throws Exception {
            this(settings, seeder, new BoostedDownload(IH, SpeedHandshake.of(payer.address(), net, BigInteger.ZERO), settings,
                    new BoostBudget(approvals, IH, net), new ReceiptSigner(payer, net), payments, () -> GIB / 4, sessions));
        }

        /** A new connection to {@code seeder} from a payer that is already running as {@code download}. */
        Link(SpeedSettings settings, SeedingSpeed seeder, BoostedDownload download) throws Exception {
            SpeedHandshake seederHs = SpeedHandshake.of(payee.address(), net, settings.askPerGiB());
            SpeedHandshake payerHs = SpeedHandshake.of(payer.address(), net, BigInteger.ZERO);
            this.seeder = seeder;
            this.download = download;
            choker = new Choker<>(ChokerSettings.DEFAULTS, new TitForTatSlotPolicy<>(), seeder.reservedSlots(p -> p), new Random(7), clock);
            // Handshakes travel inside real BEP 10 handshakes.
            assertTrue(seeder.onHandshake(payerAtSeeder, viaWire(payerHs)));
            download.onHandshake(seederAtPayer, viaWire(seederHs));
        }

        private SpeedHandshake viaWire(SpeedHandshake hs) throws Exception {
            return SpeedHandshake.from(ExtensionHandshake.decode(hs.addTo(ExtensionHandshake.builder(), 5).build().encode())).orElseThrow();
        }

        void pump() throws Exception {
            while (!toPayer.isEmpty() || !toSeeder.isEmpty()) {
                while (!toSeeder.isEmpty()) {
                    SpeedCodec.decode(toSeeder.poll()).ifPresent(m -> seeder.onMessage(payerAtSeeder, m));
                }
                while (!toPayer.isEmpty()) {
                    Item i = toPayer.poll();
                    if (i.message() != null) {
                        SpeedMessage m = SpeedCodec.decode(i.message()).orElseThrow();
                        if (m instanceof SpeedMessage.Error e) {
                            errorsToPayer.add(e);
                        }
                        download.onMessage(seederAtPayer, m);
                    } else {
                        // Each sendPiece is one whole piece that passes its hash check.
                        int piece = piecesReceived++;
                        download.onPieceBytesReceived(seederAtPayer, piece, i.pieceBytes());
                        download.onPieceVerified(piece, i.last());
                    }
                }
            }
        }

        ChokeDecision<SpeedPeer> rechoke() throws Exception {
            PeerSnapshot<SpeedPeer> snap = new PeerSnapshot<>(payerAtSeeder, true, true, 0, 0, clock.instant().minusSeconds(600), null, false, 0);
            ChokeDecision<SpeedPeer> d = choker.rechoke(List.of(snap), true);
            seeder.afterRechoke();
            pump();
            return d;
        }

        void sendPiece(long bytes) throws Exception {
            sendPiece(bytes, false);
        }

        void sendPiece(long bytes, boolean last) throws Exception {
            // Written first, metered after (as the engine does): a bid_result the metering triggers follows the piece.
            toPayer.add(new Item(null, bytes, last));
            seeder.onPieceBytesSent(payerAtSeeder, bytes);
            pump();
        }

        /** Loses every payment notice on its way to the seeder; returns how many. */
        int dropPaymentNoticesToSeeder() throws Exception {
            int dropped = 0;
            for (var it = toSeeder.iterator(); it.hasNext(); ) {
                if (SpeedCodec.decode(it.next()).orElse(null) instanceof SpeedMessage.Payment) {
                    it.remove();
                    dropped++;
                }
            }
            return dropped;
        }

        long bids(boolean withdrawn) {
            return sentByPayer.stream().filter(m -> m instanceof SpeedMessage.Bid b && b.withdrawn() == withdrawn).count();
        }
    }

    private SpeedSettings settings() {
        // ask 1 BTT/GiB, 2 paid slots, P = 2 BTT, D = 5 BTT, receipt step 0.5 BTT, solid view above 3 BTT
        return new SpeedSettings(BTT, 2, BTT.multiply(BigInteger.TWO), BTT.multiply(BigInteger.valueOf(5)), BTT.shiftRight(1),
                BTT.multiply(BigInteger.valueOf(3)), Duration.ofSeconds(120));
    }

    @Test
    void boostedDownloadWithoutAnApprovedBudgetNeverBidsNeverSignsNeverPays() throws Exception {
        Link link = new Link(settings());
        link.download.tick(10 * GIB);
        link.pump();
        ChokeDecision<SpeedPeer> d = link.rechoke();
        for (int i = 0; i < 8; i++) {
            link.sendPiece(GIB / 4); // served anyway (free, tit-for-tat or optimistic)
            link.download.tick(10 * GIB);
            link.pump();
        }
        link.download.finish();
        link.pump();

        assertTrue(d.reserved().isEmpty(), "no bid, no paid slot");
        assertTrue(link.sentByPayer.isEmpty(), "no bid, no receipt, no payment notice: " + link.sentByPayer);
        assertTrue(payerLedger.entries().isEmpty());
        assertEquals(0, devnet.chain().pendingCount());
        assertTrue(approvals.budgets().isEmpty(), "nothing to top up: the user never boosted this torrent");
        assertFalse(link.download.status().boosted());
    }

    @Test
    void seederIsPaidExactlyWhatTheReceiptsSayAndTheLedgersMatchTheChain() throws Exception {
        approveBudget("boost-1", BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(4)));
        Link link = new Link(settings());
        long trxBefore = client.trxBalanceSun(payer.address());
        BigInteger bttBefore = client.bttBalance(payer.address());

        link.download.tick(7 * GIB);
        link.pump();
        assertEquals(1, link.rechoke().reserved().size(), "the only bidder holds a paid slot");
        assertEquals(BTT.multiply(BigInteger.valueOf(4)), link.download.standingRate(), "bid = min(max rate, budget / remaining GiB)");
        long remaining = 7 * GIB;
        while (remaining > 0) {
            link.sendPiece(GIB / 4);
            remaining -= GIB / 4;
            link.download.tick(remaining);
            link.pump();
            devnet.produceBlock();
            link.seeder.recheckPayments();
        }
        link.download.finish();
        link.pump();
        confirmAll();
        link.seeder.recheckPayments();
        payerPayments.reconcile();
        verifier.settleReceived();

        BigInteger owed = BTT.multiply(BigInteger.valueOf(7)); // 7 GiB at the clearing price = the ask, 1 BTT/GiB
        PayeeAccount account = link.seeder.account(payer.address()).orElseThrow();
        assertEquals(owed, account.owedByMeter());
        assertEquals(owed, account.lastAcceptedReceipt().orElseThrow().receipt().amount());
        assertEquals(owed, link.download.account(payee.address()).orElseThrow().paid());
        assertEquals(owed, account.credited());
        assertEquals(owed, client.bttBalance(payee.address()));
        assertEquals(bttBefore.subtract(owed), client.bttBalance(payer.address()));
        long fees = payerLedger.entries().stream().mapToLong(PaymentEntry::feeSun).sum();
        assertTrue(fees > 0);
        assertEquals(trxBefore - fees, client.trxBalanceSun(payer.address()), "payer's TRX fell by exactly the recorded fees");
        assertEquals(owed, sum(payerLedger, PaymentEntry.Direction.SENT));
        assertEquals(owed, sum(payeeLedger, PaymentEntry.Direction.RECEIVED));
        assertTrue(payerLedger.entries().size() >= 3, "paid at the threshold along the way, not only at the end");
        for (PaymentEntry e : payerLedger.entries()) {
            assertEquals(PaymentStatus.CONFIRMED, e.status());
            assertTrue(e.amountBaseUnits().compareTo(settings().paymentThreshold()) >= 0 || e == last(payerLedger));
        }
        assertEquals(owed, approvals.find("boost-1").orElseThrow().spent(), "budget drawn down by exactly what was paid");
    }

    /**
     * A seller hangs up the moment it hears the payer has become a seed; the payer's settling runs later,
     * on the chain's thread. The last bytes, less than a receipt step, must be acknowledged before that:
     * with the last piece, not at the settling (at load 30 PayAsBidSwarmTest's payer was left with bytes
     * no receipt covered, so they were never paid).
     */
    @Test
    void theLastBytesAreAcknowledgedWithTheLastPieceBeforeTheSellerCanHangUp() throws Exception {
        approveBudget("boost-last", BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(4)));
        Link link = new Link(settings());
        link.download.tick(GIB + GIB / 8);
        link.pump();
        assertEquals(1, link.rechoke().reserved().size());
        for (int i = 0; i < 4; i++) {
            link.sendPiece(GIB / 4);
        }
        link.sendPiece(GIB / 8, true); // 0.125 BTT at the ask: under the 0.5 BTT receipt step
        link.download.onDisconnect(link.seederAtPayer); // the seller hangs up on our last HAVE
        link.download.finish();
        link.pump();

        BigInteger owed = BTT.add(BTT.shiftRight(3)); // 1.125 GiB at 1 BTT/GiB
        PayeeAccount account = link.seeder.account(payer.address()).orElseThrow();
        assertEquals(owed, account.owedByMeter());
        assertEquals(owed, account.lastAcceptedReceipt().orElseThrow().receipt().amount(),
                "the seller holds a receipt for every byte it served");
        assertEquals(BigInteger.ZERO, link.download.account(payee.address()).orElseThrow().unacknowledged());
    }

    @Test
    void whenTheBudgetRunsOutTheDownloadGoesOnUnboostedAndAsksForMore() throws Exception {
        BigInteger cap = BTT.multiply(BigInteger.valueOf(3));
        approveBudget("boost-small", cap, BTT.multiply(BigInteger.valueOf(4)));
        SpeedSettings s = settings().withThresholds(BTT, BTT.multiply(BigInteger.valueOf(5)), BTT.shiftRight(2));
        Link link = new Link(s);

        // Little left to download: the auto-bidder can afford its full approved rate until the budget is nearly gone.
        long remaining = GIB / 16;
        link.download.tick(remaining);
        link.pump();
        link.rechoke();
        for (int i = 0; i < 40; i++) {
            link.sendPiece(GIB / 4);
            link.download.tick(remaining);
            link.pump();
            devnet.produceBlock();
            link.seeder.recheckPayments();
            link.rechoke();
        }
        link.download.finish();
        link.pump();
        confirmAll();
        payerPayments.reconcile();

        BigInteger paid = link.download.account(payee.address()).orElseThrow().paid();
        BigInteger signed = link.download.account(payee.address()).orElseThrow().signedAmount();
        assertTrue(paid.compareTo(cap) <= 0, "never beyond the approved cap: " + paid);
        assertEquals(signed, paid, "everything signed was paid, nothing more");
        assertTrue(paid.compareTo(cap.subtract(s.receiptStep())) >= 0, "the budget was used: " + paid);
        assertTrue(link.bids(true) >= 1, "bids withdrawn when the budget ran out");
        assertEquals(cap.subtract(client.bttBalance(payee.address())).signum() >= 0, true);
        List<Budget> pendingMore = approvals.budgets().stream().filter(b -> b.state() == BudgetState.PENDING).toList();
        assertEquals(1, pendingMore.size(), "one request for more budget waits for the user");
        assertEquals(IH.hex(), pendingMore.get(0).request().infoHash());
        assertTrue(link.download.status().approvalPending());
        assertFalse(link.download.status().boosted());
    }

    @Test
    void aPaymentTheSellerDidNotFindIsProvedAgainOnceItIsOnChain() throws Exception {
        approveBudget("boost-resend", BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(4)));
        Link link = new Link(settings());
        link.download.tick(7 * GIB);
        link.pump();
        link.rechoke();
        for (int i = 0; i < 12 && payerLedger.entries().isEmpty(); i++) {
            link.sendPiece(GIB / 4);
            link.download.tick(7 * GIB);
        }
        assertEquals(1, payerLedger.entries().size(), "the payer paid once");
        // The notice is lost on the way (the seller's node was down, the seller restarted, …) and the seller
        // acknowledges it as not held, as it does after C2's notice timeout (§4.5).
        int dropped = link.dropPaymentNoticesToSeeder();
        assertEquals(1, dropped);
        link.download.onMessage(link.seederAtPayer, SpeedMessage.PaymentAck.of(new PaymentProof.Trc20Transaction(
                        java.util.HexFormat.of().parseHex(payerLedger.entries().get(0).txid())), SpeedMessage.PaymentAck.Status.NOT_HELD,
                SpeedErrorCode.PAYMENT_NOT_FOUND, BigInteger.ZERO));
        PayeeAccount account = link.seeder.account(payer.address()).orElseThrow();
        assertEquals(BigInteger.ZERO, account.credited());

        confirmAll();
        payerPayments.reconcile();
        link.download.settle(payerLedger);
        link.pump();
        BigInteger paid = payerLedger.entries().get(0).amountBaseUnits();
        assertEquals(paid, account.credited(), "the confirmed payment was proved again and credited");
        link.download.settle(payerLedger);
        assertEquals(0, link.dropPaymentNoticesToSeeder(), "proved again once per answer, not on every tick");
    }

    @Test
    void aPayerThatRestartsContinuesItsSessionWithoutNotMonotonicOrPayingTwice() throws Exception {
        approveBudget("boost-restart", BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(4)));
        Path sessionsFile = dir.resolve("payer-sessions.json");
        Link before = new Link(settings(), new SeedingSpeed(IH, SpeedHandshake.of(payee.address(), net, BTT), settings(), verifier),
                payerPayments, PayerSessions.open(sessionsFile));
        runPaid(before, 10);
        assertEquals(1, payerLedger.entries().size(), "paid once along the way before the restart");
        PayeeAccount account = before.seeder.account(payer.address()).orElseThrow();
        long acceptedBefore = account.lastAcceptedReceipt().orElseThrow().receipt().sequence();

        // The payer process dies (no final receipt, no final payment; its connection drops) and starts again
        // from its files only.
        before.seeder.onDisconnect(before.payerAtSeeder);
        PaymentLedger ledgerAfter = PaymentLedger.open(dir.resolve("payer-ledger.json"), clock);
        PaymentService paymentsAfter = new PaymentService(client, ledgerAfter,
                new ApprovalSpendGate(new SpendAuthorizer(ApprovalStore.open(dir.resolve("approvals.json"), clock)), TronNetwork.devnet(devnet.endpoint())),
                () -> payer, clock);
        Link after = new Link(settings(), before.seeder, paymentsAfter, PayerSessions.open(sessionsFile));
        after.download.settle(ledgerAfter);
        runPaid(after, 10);
        after.download.finish();
        after.pump();
        confirmAll();
        after.seeder.recheckPayments();
        paymentsAfter.reconcile();

        assertEquals(List.of(), before.errorsToPayer);
        assertEquals(List.of(), after.errorsToPayer, "the seeder accepted every receipt of the resumed session");
        assertTrue(account.lastAcceptedReceipt().orElseThrow().receipt().sequence() > acceptedBefore);
        BigInteger owed = account.owedByMeter(); // 20 pieces of 1/4 GiB at 1 BTT/GiB
        assertEquals(BTT.multiply(BigInteger.valueOf(5)), owed);
        assertEquals(owed, account.lastAcceptedReceipt().orElseThrow().receipt().amount());
        assertEquals(owed, sum(ledgerAfter, PaymentEntry.Direction.SENT), "paid exactly once for everything, across the restart");
        assertEquals(owed, account.credited());
        assertEquals(owed, client.bttBalance(payee.address()));
    }

    @Test
    void aSellerThatRestartsContinuesTheSessionWithoutBytesNotServedOrCreditingTwice() throws Exception {
        approveBudget("boost-seller-restart", BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(4)));
        Path booksFile = dir.resolve("seller-books.json");
        SpeedHandshake sellerHs = SpeedHandshake.of(payee.address(), net, BTT);
        Link before = new Link(settings(), new SeedingSpeed(IH, sellerHs, settings(), verifier, PayeeBooks.open(booksFile)),
                payerPayments, PayerSessions.inMemory());
        runPaid(before, 10);
        assertEquals(1, payerLedger.entries().size(), "paid once along the way before the restart");
        BigInteger creditedBefore = before.seeder.account(payer.address()).orElseThrow().credited();

        // The seller process dies (its connection drops) and starts again from its files only; the payer
        // stays up and reconnects.
        before.download.onDisconnect(before.seederAtPayer);
        PaymentLedger sellerLedgerAfter = PaymentLedger.open(dir.resolve("payee-ledger.json"), clock);
        SeedingSpeed sellerAfter = new SeedingSpeed(IH, sellerHs, settings(), newVerifier(sellerLedgerAfter, BTT.multiply(BigInteger.valueOf(3))),
                PayeeBooks.open(booksFile));
        Link after = new Link(settings(), sellerAfter, before.download);
        runPaid(after, 10);
        after.download.finish();
        after.pump();
        confirmAll();
        after.seeder.recheckPayments();
        payerPayments.reconcile();

        assertEquals(List.of(), before.errorsToPayer);
        assertEquals(List.of(), after.errorsToPayer, "the restarted seller accepted every receipt of the resumed session");
        PayeeAccount account = sellerAfter.account(payer.address()).orElseThrow();
        BigInteger owed = BTT.multiply(BigInteger.valueOf(5)); // 20 pieces of 1/4 GiB at 1 BTT/GiB
        assertEquals(owed, account.owedByMeter(), "the seller's meter went on across its restart");
        assertEquals(owed, account.lastAcceptedReceipt().orElseThrow().receipt().amount());
        assertEquals(owed, sum(payerLedger, PaymentEntry.Direction.SENT), "paid exactly once for everything");
        assertEquals(owed, account.credited(), "the credit from before the restart (" + creditedBefore + ") is still counted, once");
        assertEquals(owed, sum(sellerLedgerAfter, PaymentEntry.Direction.RECEIVED));
        assertEquals(owed, client.bttBalance(payee.address()));
        assertEquals(BigInteger.ZERO, account.unpaidDebt());
    }

    @Test
    void aChainOutageMidSessionPaysNothingTwiceLosesNoPaymentAndTheSessionResumes() throws Exception {
        approveBudget("boost-outage", BTT.multiply(BigInteger.valueOf(50)), BTT.multiply(BigInteger.valueOf(4)));
        Link link = new Link(settings());
        runPaid(link, 10);
        assertEquals(1, payerLedger.entries().size(), "paid once before the outage");
        int port = devnet.port();
        int confirmations = devnet.chain().confirmations();

        // The chain goes away while the payer buys: the seller serves on until the unpaid debt reaches D.
        devnet.close();
        for (int i = 0; i < 24; i++) { // 6 GiB at 1 BTT/GiB: well past D = 5 BTT
            link.sendPiece(GIB / 4);
            link.download.tick(7 * GIB);
            link.pump();
            link.seeder.recheckPayments();
        }
        PayeeAccount account = link.seeder.account(payer.address()).orElseThrow();
        assertTrue(link.errorsToPayer.stream().anyMatch(e -> e.code() == SpeedErrorCode.DEBT_LIMIT.code()),
                "paid service stopped at D with a clear reason: " + link.errorsToPayer);
        assertFalse(link.seeder.holdsPaidSlot(link.payerAtSeeder));

        devnet = Devnet.start(new Devnet.Config(dir.resolve("devnet"), port, null, confirmations, clock));
        clock.advance(Duration.ofSeconds(5));
        devnet.produceBlock();
        awaitChainAnswers();
        // Back: the payer pays what it owes, the seller credits it and sells it a slot again.
        for (int i = 0; i < 4; i++) {
            link.download.tick(7 * GIB);
            link.pump();
            devnet.produceBlock();
            link.seeder.recheckPayments();
            payerPayments.reconcile();
            link.download.settle(payerLedger);
            link.pump();
        }
        link.rechoke();
        assertTrue(link.seeder.holdsPaidSlot(link.payerAtSeeder), "paid service resumed once the debt was paid");
        runPaid(link, 4);
        link.download.finish();
        link.pump();
        confirmAll();
        link.seeder.recheckPayments();
        payerPayments.reconcile();
        link.download.settle(payerLedger);
        link.pump();

        BigInteger owed = account.owedByMeter();
        assertEquals(owed, account.lastAcceptedReceipt().orElseThrow().receipt().amount(), "both sides agree on what was owed");
        assertEquals(owed, sum(payerLedger, PaymentEntry.Direction.SENT), "paid exactly what was owed: nothing twice");
        assertEquals(owed, account.credited(), "every payment made was credited: none lost");
        assertEquals(owed, client.bttBalance(payee.address()), "and the chain agrees");
        assertEquals(payerLedger.entries().size(), payerLedger.entries().stream().map(PaymentEntry::txid).distinct().count());
        assertTrue(link.errorsToPayer.stream().noneMatch(e -> e.code() == SpeedErrorCode.PAYMENT_NOT_FOUND.code()
                || e.code() == SpeedErrorCode.PAYMENT_ALREADY_CREDITED.code() || e.code() == SpeedErrorCode.BYTES_NOT_SERVED.code()
                || e.code() == SpeedErrorCode.NOT_MONOTONIC.code()), "no payment or receipt refused: " + link.errorsToPayer);
    }

    /** Serves {@code pieces} quarter-GiB pieces at the ask over {@code link}, with the payer's ticks and payments between. */
    private void runPaid(Link link, int pieces) throws Exception {
        link.download.tick(7 * GIB);
        link.pump();
        link.rechoke();
        for (int i = 0; i < pieces; i++) {
            link.sendPiece(GIB / 4);
            link.download.tick(7 * GIB);
            link.pump();
            devnet.produceBlock();
            link.seeder.recheckPayments();
        }
    }

    private static BigInteger sum(PaymentLedger ledger, PaymentEntry.Direction direction) {
        return ledger.entries().stream().filter(e -> e.direction() == direction && e.status() != PaymentStatus.FAILED)
                .map(PaymentEntry::amountBaseUnits).reduce(BigInteger.ZERO, BigInteger::add);
    }

    private static PaymentEntry last(PaymentLedger ledger) {
        List<PaymentEntry> all = ledger.entries();
        return all.get(all.size() - 1);
    }
}
