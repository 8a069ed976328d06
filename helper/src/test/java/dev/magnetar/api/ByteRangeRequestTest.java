package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.api.ByteRangeRequest.Kind;
import org.junit.jupiter.api.Test;

class ByteRangeRequestTest {

    private static ByteRangeRequest.Resolved of(String header) {
        return ByteRangeRequest.resolve(header, 1000);
    }

    @Test
    void singleRangesOfEveryFormResolveAgainstTheSize() {
        assertEquals(new ByteRangeRequest(0, 99), of("bytes=0-99").range());
        assertEquals(new ByteRangeRequest(990, 999), of("bytes=-10").range());
        assertEquals(new ByteRangeRequest(0, 999), of("bytes=-5000").range(), "a suffix longer than the file is all of it");
        assertEquals(new ByteRangeRequest(500, 999), of("bytes=500-").range());
        assertEquals(new ByteRangeRequest(500, 999), of("bytes=500-123456").range(), "clipped at the end");
        assertEquals("bytes 500-999/1000", of("bytes=500-").range().contentRange(1000));
        assertEquals(500, of("bytes=500-").range().length());
    }

    @Test
    void rangesStartingAtOrPastTheEndAreUnsatisfiable() {
        assertEquals(Kind.UNSATISFIABLE, of("bytes=1000-").kind());
        assertEquals(Kind.UNSATISFIABLE, of("bytes=1000-2000").kind());
        assertEquals(Kind.UNSATISFIABLE, of("bytes=-0").kind());
        assertEquals(Kind.UNSATISFIABLE, ByteRangeRequest.resolve("bytes=0-", 0).kind(), "an empty file has no byte 0");
    }

    @Test
    void malformedAndMultipleRangesAreIgnoredForTheWholeFile() {
        for (String h : new String[] {null, "bytes=9-2", "items=0-5", "bytes=0-1,5-9", "bytes=-", "bytes=a-b", "bytes=99999999999999999999-",
                "bytes= 0-5"}) {
            assertEquals(Kind.WHOLE, of(h).kind(), h);
        }
    }
}
