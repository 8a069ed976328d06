package dev.magnetar.speed;

import dev.magnetar.devnet.Devnet;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The devnet the speed-economy swarm tests run against: a block every 200 ms on the system clock, so
 * payments land while a swarm transfers, and two confirmations, so a seeder's credit waits for a real
 * inclusion rather than a broadcast.
 */
final class BlockProducingDevnet {

    static final Duration BLOCK_INTERVAL = Duration.ofMillis(200);
    static final int CONFIRMATIONS = 2;

    private BlockProducingDevnet() {
    }

    /** Starts the devnet in {@code dataDir} on a free loopback port. */
    static Devnet start(Path dataDir) throws IOException {
        return Devnet.start(new Devnet.Config(dataDir, 0, BLOCK_INTERVAL, CONFIRMATIONS, Clock.systemUTC()));
    }
}
