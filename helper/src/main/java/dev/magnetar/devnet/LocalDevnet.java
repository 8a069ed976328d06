package dev.magnetar.devnet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devnet of one data directory, however this process reaches it: served here (nobody held the
 * directory, so this process opened it), or served by the process that holds it (the helper daemon,
 * or a wallet command run meanwhile) at the endpoint that process recorded.
 */
public final class LocalDevnet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalDevnet.class);
    /** How long to wait for a holder that is still starting to record where it serves. */
    static final Duration HOLDER_PATIENCE = Duration.ofSeconds(15);

    private final String endpoint;
    private final Devnet own;

    private LocalDevnet(String endpoint, Devnet own) {
        this.endpoint = endpoint;
        this.own = own;
    }

    /**
     * @param preferredPort where to serve if this process serves it (0 = any free port)
     * @param blockInterval block production if this process serves it; null = blocks only on demand
     *     (a one-shot command seals what it broadcast when it closes)
     */
    public static LocalDevnet open(Path devnetDataDir, int preferredPort, Duration blockInterval) throws IOException, InterruptedException {
        try {
            Devnet devnet = Devnet.start(new Devnet.Config(devnetDataDir, preferredPort, blockInterval, Devnet.DEFAULT_CONFIRMATIONS,
                    Clock.systemUTC()));
            return new LocalDevnet(devnet.endpoint(), devnet);
        } catch (DevnetInUseException e) {
            String endpoint = DevnetEndpointFile.await(devnetDataDir, HOLDER_PATIENCE);
            LOG.info("the devnet in {} is served by another process at {}; using that one", devnetDataDir, endpoint);
            return new LocalDevnet(endpoint, null);
        }
    }

    /** "127.0.0.1:port" for Trident's full and solidity endpoints. */
    public String endpoint() {
        return endpoint;
    }

    /** The devnet when this process serves it (the faucet needs it in-process). */
    public Optional<Devnet> own() {
        return Optional.ofNullable(own);
    }

    /** Stops serving if this process served it, sealing what was broadcast into a block first so nothing is lost. */
    @Override
    public void close() {
        if (own != null) {
            if (own.chain().pendingCount() > 0) {
                own.produceBlock();
            }
            own.close();
        }
    }
}
