package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PaidUploadSharesTest {

    private static final BigInteger BTT = BigInteger.TEN.pow(18);

    private static BigInteger btt(long v) {
        return BTT.multiply(BigInteger.valueOf(v));
    }

    @Test
    void twiceTheRateBuysTwiceTheShare() {
        Map<String, Long> parts = PaidUploadShares.split(900, Map.of("a", btt(300), "c", btt(150)));
        assertEquals(600, parts.get("a"));
        assertEquals(300, parts.get("c"));
    }

    @Test
    void equalRatesSplitEvenly() {
        Map<String, Long> parts = PaidUploadShares.split(1000, Map.of("a", btt(120), "c", btt(120)));
        assertEquals(500, parts.get("a"));
        assertEquals(500, parts.get("c"));
    }

    @Test
    void aSoleHolderGetsEverything() {
        assertEquals(Map.of("a", 4096L), PaidUploadShares.split(4096, Map.of("a", BigInteger.ONE)));
    }

    @Test
    void aTinyRateBesideAHugeOneStillGetsAByteASecond() {
        Map<String, Long> parts = PaidUploadShares.split(1000, Map.of("rich", btt(1_000_000_000L), "poor", BigInteger.ONE));
        assertEquals(1, parts.get("poor"));
        assertEquals(999, parts.get("rich"));
    }

    @Test
    void rejectsANonPositiveRateOrUpload() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> PaidUploadShares.split(1000, Map.of("a", btt(1), "free", BigInteger.ZERO)));
        assertTrue(zero.getMessage().contains("free"), zero.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PaidUploadShares.split(1000, Map.of("a", btt(-1))));
        assertThrows(IllegalArgumentException.class, () -> PaidUploadShares.split(0, Map.of("a", btt(1))));
    }

    @Test
    void noHoldersNoParts() {
        assertTrue(PaidUploadShares.split(1000, Map.of()).isEmpty());
    }

    /** Parts never add up to more than the paid upload (beyond the one-byte floor), and follow the rates' order. */
    @Property(tries = 500)
    void partsStayWithinTheUploadAndFollowTheRates(@ForAll @LongRange(min = 1, max = 1L << 33) long upload,
                                                   @ForAll @Size(min = 1, max = 6) List<@LongRange(min = 1, max = Long.MAX_VALUE) Long> rates) {
        Map<Integer, BigInteger> byHolder = new LinkedHashMap<>();
        for (int i = 0; i < rates.size(); i++) {
            byHolder.put(i, BigInteger.valueOf(rates.get(i)).multiply(BTT));
        }
        Map<Integer, Long> parts = PaidUploadShares.split(upload, byHolder);
        long sum = parts.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(sum <= upload + rates.size(), "parts " + parts + " exceed " + upload);
        assertTrue(sum >= upload - rates.size(), "parts " + parts + " leave more than rounding of " + upload);
        for (int i = 0; i < rates.size(); i++) {
            for (int j = 0; j < rates.size(); j++) {
                if (rates.get(i) > rates.get(j)) {
                    assertTrue(parts.get(i) >= parts.get(j), "a higher rate never buys less: " + rates + " -> " + parts);
                }
            }
        }
    }
}
