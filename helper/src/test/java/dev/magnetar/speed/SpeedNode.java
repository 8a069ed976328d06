package dev.magnetar.speed;

import com.google.protobuf.ByteString;
import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.SpendAuthorizer;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.devnet.Devnet;
import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.Torrent;
import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.wallet.ApprovalSpendGate;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentService;
import dev.magnetar.wallet.PaymentStatus;
import dev.magnetar.wallet.TronChainClient;
import dev.magnetar.wallet.TronKey;
import dev.magnetar.wallet.TronNetwork;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One Magnetar peer for speed tests: a real engine on 127.0.0.1 with the speed economy plugged in, its
 * own wallet key, ledger, approval store and payment service against the shared devnet (real gRPC).
 */
final class SpeedNode implements AutoCloseable {

    static final BigInteger BTT = SpeedSettings.ONE_BTT;
    static final long TRX = 1_000_000L;
    private static final SecureRandom RANDOM = new SecureRandom();

    final String name;
    final TronKey key;
    final TronChainClient chain;
    final SpeedNetwork network;
    final ApprovalStore approvals;
    final PaymentLedger ledger;
    final PaymentService payments;
    final SpeedEconomy economy;
    final Engine engine;

    SpeedNode(String name, Path root, Devnet devnet, SpeedSettings settings, int unpaidUploadPercent, long uploadBytesPerSecond,
              PaymentService.KeySource keySourceOverride) throws Exception {
        this.name = name;
        this.key = TronKey.generate(RANDOM);
        TronNetwork tron = TronNetwork.devnet(devnet.endpoint());
        this.chain = new TronChainClient(tron);
        this.network = SpeedNetwork.of(tron, devnet.chainId());
        devnet.faucet(ByteString.copyFrom(key.address().bytes()), 500 * TRX, BTT.multiply(BigInteger.valueOf(1000)));
        Clock clock = Clock.systemUTC();
        this.approvals = ApprovalStore.open(root.resolve(name + "-approvals.json"), clock);
        this.ledger = PaymentLedger.open(root.resolve(name + "-ledger.json"), clock);
        PaymentService.KeySource keys = keySourceOverride != null ? keySourceOverride : () -> key;
        this.payments = new PaymentService(chain, ledger, new ApprovalSpendGate(new SpendAuthorizer(approvals), tron), keys, clock);
        PaymentVerifier verifier = new PaymentVerifier(chain, network, ledger, settings.confirmationThreshold(), settings.noticeTimeout(), clock);
        this.economy = new SpeedEconomy(new SpeedEconomy.Config(network, key.address(), settings, unpaidUploadPercent),
                new ReceiptSigner(key, network), payments, ledger, verifier, approvals);
        EngineSettings es = EngineSettings.builder(root.resolve(name + "-downloads"), root.resolve(name + "-resume"))
                .listen("127.0.0.1", 0).utp(dev.magnetar.engine.EngineFixtures.UTP).build();
        this.engine = Engine.start(es);
        engine.setEconomy(economy);
        engine.setRateLimits(0, uploadBytesPerSecond);
    }

    Torrent add(TorrentInfo info, Path dir) throws Exception {
        return engine.add(info, dir, List.of(), AddOptions.defaults());
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", engine.listenAddress().getPort());
    }

    TorrentSpeed speed(Torrent t) {
        return economy.torrent(t.infoHash()).orElseThrow();
    }

    /** Files and approves a boost budget, as the user would through the API and the pop-up. */
    void approveBoost(String id, TorrentInfo info, BigInteger cap, BigInteger maxRatePerGiB) throws Exception {
        approvals.file(new SpendRequest(id, SpendPurpose.BOOST_TORRENT, info.infoHash().hex(), info.name(), null, cap, maxRatePerGiB, null,
                network.name(), network.token().toBase58(), approvals.clock().instant(), approvals.clock().instant().plus(Duration.ofHours(1))));
        approvals.approve(id);
    }

    BigInteger btt() throws Exception {
        return chain.bttBalance(key.address());
    }

    long trxSun() throws Exception {
        return chain.trxBalanceSun(key.address());
    }

    BigInteger ledgerSum(PaymentEntry.Direction direction) {
        return ledger.entries().stream().filter(e -> e.direction() == direction && e.status() != PaymentStatus.FAILED)
                .map(PaymentEntry::amountBaseUnits).reduce(BigInteger.ZERO, BigInteger::add);
    }

    long ledgerFees() {
        return ledger.entries().stream().filter(e -> e.direction() == PaymentEntry.Direction.SENT).mapToLong(PaymentEntry::feeSun).sum();
    }

    @Override
    public void close() {
        engine.close();
        economy.close();
        chain.close();
    }

    /** Polls a condition; the deadline only guards against hangs. */
    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50); // polling interval, not synchronisation
        }
    }
}
