package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.approval.ApprovalStore;
import dev.magnetar.approval.SpendPurpose;
import dev.magnetar.approval.SpendRequest;
import dev.magnetar.util.JvmFlags;
import dev.magnetar.wallet.PaymentEntry;
import dev.magnetar.wallet.PaymentLedger;
import dev.magnetar.wallet.PaymentStatus;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's start reads and writes its files (settings.json, daemon.json, the token, and the approvals file and payment
 * ledger when they exist) without Jackson's data binding:
 * building the first {@code ObjectMapper} loads and initialises ~450 classes, which cost the main thread ~0.1 s before
 * the API could answer (bench/README.md, start-up, session 20). The daemon runs in a process of its own with the
 * product's JVM flags and a settings file, and logs every class it loads to its standard output, where it also prints
 * "daemon listening" once its start has returned: every class above that line was loaded before the API answered.
 */
class DataBindingAfterStartTest {

    private static final Pattern DAEMON_LISTENING = Pattern.compile("daemon listening on 127\\.0\\.0\\.1:(\\d+)");
    private static final String OBJECT_MAPPER = "com.fasterxml.jackson.databind.ObjectMapper ";

    @TempDir
    Path dir;

    @Test
    void noObjectMapperIsBuiltBeforeTheStartHasReturned() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        assertNoMapperBeforeTheStartReturns();
    }

    /**
     * A user who approved a boost and paid has an approvals file and a payment ledger, which the start reads before the API
     * answers ({@code RecordJson}, not data binding: ~0.15 s of CPU with both files, bench/README.md, start-up, session 21).
     */
    @Test
    void noObjectMapperIsBuiltBeforeTheStartHasReturnedWhenApprovalsAndALedgerExist() throws Exception {
        DaemonFixtures.writeLocalSettings(dir);
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        BigInteger oneBtt = BigInteger.TEN.pow(18);
        ApprovalStore approvals = ApprovalStore.open(ApprovalStore.defaultFile(dir), clock);
        approvals.file(new SpendRequest("boost", SpendPurpose.BOOST_TORRENT, "ab".repeat(20), "a torrent", null, oneBtt, oneBtt, null,
                "devnet", null, now, now.plus(Duration.ofDays(1))));
        approvals.approve("boost");
        PaymentLedger ledger = PaymentLedger.open(dir.resolve("wallet").resolve("ledger-devnet.json"), clock);
        ledger.record(new PaymentEntry("paid", PaymentEntry.Direction.SENT, "devnet", "cd".repeat(32), "TUg28KYvCXWW81EqMUeZvCZmZw2BChk1HQ",
                "ab".repeat(20), oneBtt, PaymentStatus.CONFIRMED, 0, null, "00", 1, 0, null, clock.millis()));
        assertNoMapperBeforeTheStartReturns();
    }

    private void assertNoMapperBeforeTheStartReturns() throws Exception {
        Path output = dir.resolve("daemon.out");
        List<String> flags = new ArrayList<>(JvmFlags.HELPER);
        flags.add("-Xlog:class+load=info:stdout");
        HelperProcess.Started started = HelperProcess.start(flags, "OfflineDaemonMain", output, DAEMON_LISTENING,
                "daemon", "--data-dir", dir.toString(), "--port", "0");
        try (HelperProcess daemon = started.helper()) {
            List<String> beforeReady = linesBefore(output, DAEMON_LISTENING);
            assertTrue(beforeReady.size() > 1000, "the class log is there: " + beforeReady.size() + " lines");
            List<String> mappers = beforeReady.stream().filter(l -> l.contains(OBJECT_MAPPER)).toList();
            assertEquals(List.of(), mappers, () -> "ObjectMapper loaded before the start returned, after these classes of ours:\n"
                    + String.join("\n", oursBefore(beforeReady, mappers.get(0))));

            // The same log sees it once a route that answers through data binding has run.
            assertEquals(200, new DaemonApi(started.port(), dir).get("/api/v1/torrents").status());
            assertTrue(Files.readAllLines(output, StandardCharsets.UTF_8).stream().anyMatch(l -> l.contains(OBJECT_MAPPER)),
                    "the torrent list loads ObjectMapper, and the log shows it");
        }
    }

    /** The last of our classes loaded before {@code line}: what built the mapper is among them. */
    private static List<String> oursBefore(List<String> lines, String line) {
        List<String> ours = lines.subList(0, lines.indexOf(line)).stream().filter(l -> l.contains(" dev.magnetar.")).toList();
        return ours.subList(Math.max(0, ours.size() - 25), ours.size());
    }

    private static List<String> linesBefore(Path output, Pattern marker) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (marker.matcher(line).find()) {
                return lines;
            }
            lines.add(line);
        }
        throw new AssertionError("no line says the daemon listens");
    }
}
