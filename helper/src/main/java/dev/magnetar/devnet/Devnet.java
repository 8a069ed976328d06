package dev.magnetar.devnet;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded TRON development node: a {@link DevnetChain} served over plaintext gRPC on 127.0.0.1,
 * {@code Wallet} and {@code WalletSolidity} on one port (so Trident's two channels can both point at
 * it), with a block producer running every {@code blockInterval} — or none, when blocks are produced on
 * demand with {@link #produceBlock()} (tests).
 */
public final class Devnet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Devnet.class);

    /** TRON's block interval. */
    public static final Duration DEFAULT_BLOCK_INTERVAL = Duration.ofSeconds(3);
    /** How many blocks on top make a block "solid" here (mainnet needs 19 of 27 witnesses; the devnet has one). */
    public static final int DEFAULT_CONFIRMATIONS = 2;

    /**
     * @param blockInterval {@code null} for on-demand blocks only
     */
    public record Config(Path dataDir, int port, Duration blockInterval, int confirmations, Clock clock) {
        public static Config onDemand(Path dataDir) {
            return new Config(dataDir, 0, null, DEFAULT_CONFIRMATIONS, Clock.systemUTC());
        }

        public Config withClock(Clock c) {
            return new Config(dataDir, port, blockInterval, confirmations, c);
        }
    }

    private final Path dataDir;
    private final DevnetChain chain;
    private final Server server;
    private final ScheduledExecutorService producer;

    private Devnet(Path dataDir, DevnetChain chain, Server server, ScheduledExecutorService producer) {
        this.dataDir = dataDir;
        this.chain = chain;
        this.server = server;
        this.producer = producer;
    }

    /**
     * Opens the chain in {@code config.dataDir()} and starts serving; the port is bound when this
     * returns. The configured port is a preference: when another program holds it, the devnet serves
     * on a free port instead (a second user's helper must not fail to start over a port), and says
     * where in {@link DevnetEndpointFile} either way.
     */
    public static Devnet start(Config config) throws IOException {
        DevnetChain chain = DevnetChain.open(config.dataDir(), config.clock(), config.confirmations());
        Server server;
        try {
            server = serve(chain, config.port());
        } catch (IOException | RuntimeException e) {
            chain.close();
            throw e;
        }
        try {
            DevnetEndpointFile.write(config.dataDir(), new DevnetEndpointFile.Serving("127.0.0.1:" + server.getPort(),
                    ProcessHandle.current().pid()));
        } catch (IOException | RuntimeException e) {
            server.shutdownNow();
            chain.close();
            throw e;
        }
        ScheduledExecutorService producer = null;
        if (config.blockInterval() != null) {
            producer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("devnet-block-producer", true));
            long millis = config.blockInterval().toMillis();
            producer.scheduleAtFixedRate(() -> {
                try {
                    chain.produceBlock();
                } catch (RuntimeException e) {
                    LOG.error("devnet block production failed", e);
                }
            }, millis, millis, TimeUnit.MILLISECONDS);
        }
        LOG.info("devnet chain {} serving on 127.0.0.1:{}", chain.chainId(), server.getPort());
        return new Devnet(config.dataDir(), chain, server, producer);
    }

    private static Server serve(DevnetChain chain, int preferredPort) throws IOException {
        try {
            return bind(chain, preferredPort);
        } catch (IOException e) {
            if (preferredPort == 0) {
                throw e;
            }
            // Usually "address in use" (gRPC's native transport reports it as its own IOException, not a
            // BindException); whatever the reason, a free port serves as well since clients read the record.
            Server server = bind(chain, 0);
            LOG.warn("devnet port 127.0.0.1:{} is not available ({}); serving on 127.0.0.1:{} instead", preferredPort,
                    rootMessage(e), server.getPort());
            return server;
        }
    }

    private static Server bind(DevnetChain chain, int port) throws IOException {
        return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                .addService(new DevnetWalletService(chain))
                .addService(new DevnetSolidityService(chain))
                .build()
                .start();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** "127.0.0.1:port", what Trident's ApiWrapper takes for both its full and solidity endpoint. */
    public String endpoint() {
        return "127.0.0.1:" + server.getPort();
    }

    public int port() {
        return server.getPort();
    }

    public DevnetChain chain() {
        return chain;
    }

    public long chainId() {
        return chain.chainId();
    }

    public DevnetChain.StoredBlock produceBlock() {
        return chain.produceBlock();
    }

    /** Devnet-only faucet: credits {@code sun} TRX and {@code bttBaseUnits} BTT to a 21-byte address. */
    public void faucet(ByteString address, long sun, BigInteger bttBaseUnits) {
        chain.faucet(address, sun, bttBaseUnits);
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.shutdownNow();
        }
        DevnetEndpointFile.delete(dataDir); // while the data directory is still ours
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        chain.close();
    }
}
