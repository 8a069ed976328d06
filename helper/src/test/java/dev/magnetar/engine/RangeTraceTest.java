package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RangeTraceTest {

    private static final long MS = 1_000_000;

    @Test
    void aReadThatWaitedSaysForWhichPiecesHowFarTheyWereAndWhenEachVerified() {
        RangeTrace trace = new RangeTrace(1000 * MS);
        trace.reads(5_000_000);
        trace.reads(5_131_072); // later reads do not move where it started
        trace.waits(4, "not requested", 1002 * MS);
        trace.waits(4, "3/64 blocks in, 61 requested", 1100 * MS); // the same wait, asked again
        trace.verified(4, 1480 * MS);
        trace.waits(5, "verified", 1481 * MS);
        trace.verified(7, 1490 * MS); // not waited for: not listed
        assertEquals("from byte 5000000: first bytes 500 ms after the request; piece 4 (not requested at 2 ms) verified 480 ms;"
                + " piece 5 (verified at 481 ms) verified - ms", trace.served(1500 * MS));
    }

    @Test
    void aReadServedAtOnceSaysSo() {
        RangeTrace trace = new RangeTrace(0);
        trace.reads(0);
        assertEquals("from byte 0: first bytes 3 ms after the request, nothing waited for", trace.served(3 * MS));
    }
}
