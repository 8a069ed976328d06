package dev.magnetar.wallet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.magnetar.testing.JsonMutations;
import dev.magnetar.util.RecordJson;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaymentLedgerTest {

    private static final TypeReference<List<PaymentEntry>> ENTRIES = new TypeReference<>() {};

    @TempDir Path dir;
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private Path file() {
        return dir.resolve("ledger-devnet.json");
    }

    private PaymentLedger ledgerWithEachKindOfEntry() throws Exception {
        PaymentLedger ledger = PaymentLedger.open(file(), clock);
        ledger.record(new PaymentEntry("sent-1", PaymentEntry.Direction.SENT, "devnet", "aa".repeat(32), "TUg28KYvCXWW81EqMUeZvCZmZw2BChk1HQ",
                "bb".repeat(20), new BigInteger("123456789012345678901234567890"), PaymentStatus.PREPARED, 1_767_225_660_000L, "reservation-1",
                "0a0b".repeat(100), 0, 0, null, clock.millis()));
        ledger.advance("sent-1", PaymentStatus.CONFIRMED, 1234, 27_000_000L, null);
        ledger.record(new PaymentEntry("received-1", PaymentEntry.Direction.RECEIVED, "devnet", "cc".repeat(32), "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH",
                null, BigInteger.TEN.pow(18), PaymentStatus.BROADCAST, 0, null, null, 0, 0, null, clock.millis()));
        ledger.record(new PaymentEntry("sent-2", PaymentEntry.Direction.SENT, "devnet", "dd".repeat(32), "TUg28KYvCXWW81EqMUeZvCZmZw2BChk1HQ",
                "bb".repeat(20), BigInteger.ONE, PaymentStatus.PREPARED, 1_767_225_660_000L, "reservation-2", "0c".repeat(50), 0, 0, null,
                clock.millis()));
        ledger.advance("sent-2", PaymentStatus.FAILED, 0, 0, "the node refused it");
        return ledger;
    }

    @Test
    void everyEntryComesBackAfterARestart() throws Exception {
        PaymentLedger ledger = ledgerWithEachKindOfEntry();
        PaymentLedger reopened = PaymentLedger.open(file(), clock);
        assertEquals(ledger.entries(), reopened.entries());
        assertEquals("sent-1", reopened.byTxid("aa".repeat(32)).orElseThrow().paymentId());
    }

    /**
     * The start reads the ledger with {@code RecordJson}, payments write it with data binding: whatever the reader takes,
     * data binding takes as the same entries, and the file the ledger writes is taken; its variants as in
     * {@link JsonMutations}.
     */
    @Test
    void theStreamedReadTakesOnlyWhatDataBindingTakesAndAsTheSameEntries() throws Exception {
        ledgerWithEachKindOfEntry();
        byte[] written = Files.readAllBytes(file());
        List<PaymentEntry> expected = PaymentLedger.Binding.JSON.readValue(written, ENTRIES);
        assertEquals(expected, RecordJson.readList(written, PaymentEntry.class), "the file the ledger writes");
        assertEquals(3, expected.size());

        int taken = 0;
        int refusedByBoth = 0;
        for (byte[] variant : JsonMutations.of(written)) {
            List<PaymentEntry> streamed;
            try {
                streamed = RecordJson.readList(variant, PaymentEntry.class);
            } catch (IOException refused) {
                refusedByBoth += refusedByDataBinding(variant) ? 1 : 0;
                continue;
            }
            List<PaymentEntry> bound = PaymentLedger.Binding.JSON.readValue(variant, ENTRIES);
            assertEquals(bound, streamed, () -> new String(variant, StandardCharsets.UTF_8));
            taken++;
        }
        assertTrue(taken > 20 && refusedByBoth > 100, taken + " variants taken, " + refusedByBoth + " refused by both");
    }

    private static boolean refusedByDataBinding(byte[] content) {
        try {
            PaymentLedger.Binding.JSON.readValue(content, ENTRIES);
            return false;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    @Test
    void aDamagedLedgerIsRefusedSayingWhatToDo() throws Exception {
        ledgerWithEachKindOfEntry();
        byte[] written = Files.readAllBytes(file());
        Files.write(file(), java.util.Arrays.copyOf(written, written.length / 2));
        LedgerStorageException cut = assertThrows(LedgerStorageException.class, () -> PaymentLedger.open(file(), clock));
        assertTrue(cut.getMessage().contains("move it aside"), cut.getMessage());
        Files.writeString(file(), "[null]");
        LedgerStorageException nullEntry = assertThrows(LedgerStorageException.class, () -> PaymentLedger.open(file(), clock));
        assertTrue(nullEntry.getMessage().contains("null element"), nullEntry.getMessage());
    }
}
