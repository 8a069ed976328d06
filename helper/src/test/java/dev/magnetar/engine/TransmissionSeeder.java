package dev.magnetar.engine;

import dev.magnetar.testing.TransmissionCli;
import java.time.Duration;

/**
 * Starts transmission-cli 3.00 seeding a torrent whose data it must check first, and returns once it says
 * "Seeding". Its status loop polls the torrent every 200 ms and quits when it reads it as stopped
 * (Transmission 3.00's cli/cli.c) — and between the end of the check and the start that follows it, the
 * torrent reads as stopped. On a loaded machine a poll can land in that gap, and the program exits
 * without ever seeding (seen once in a full run at load 35: "Verifying torrent", the done script, then
 * "Removing torrent"). Started again, it finds the resume file the first run saved and seeds, so one
 * retry is what a user would do too; a second early exit fails the test.
 */
final class TransmissionSeeder {

    private TransmissionSeeder() {}

    static ChildProcess start(TransmissionCli cli, Duration guard) throws Exception {
        ChildProcess first = ChildProcess.startMerged(cli.command(), cli.environment());
        if (first.awaitLineOrEnd(l -> l.startsWith("Seeding"), guard, "Transmission verified its data and seeds") != null) {
            return first;
        }
        String firstOutput = first.output();
        first.close();
        ChildProcess second = ChildProcess.startMerged(cli.command(), cli.environment());
        if (second.awaitLineOrEnd(l -> l.startsWith("Seeding"), guard, "Transmission seeds on its second start") != null) {
            return second;
        }
        String secondOutput = second.output();
        second.close();
        throw new AssertionError("transmission-cli ended twice before seeding; first run:\n" + firstOutput
                + "\nsecond run:\n" + secondOutput);
    }
}
