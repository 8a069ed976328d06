package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MovieBoxLocatorTest {

    private static final long FILE = 1_086_308_899L;

    @Test
    void anMp4WrittenMediaDataFirstHasItsMovieBoxWhereTheMdatEnds() {
        // ffmpeg's layout without +faststart: ftyp (32), free (8), mdat to 627,115 bytes before the end, moov.
        ByteBuffer head = boxes(box(32, "ftyp"), box(8, "free"), box(FILE - 40 - 627_115, "mdat"));
        assertEquals(OptionalLong.of(FILE - 627_115), MovieBoxLocator.movieBoxAfterMediaData(head, FILE));
        assertEquals(0, head.position(), "the caller's bytes are not consumed");
    }

    @Test
    void aLargeMdatTakesItsSizeFromTheSixtyFourBitField() {
        long file = 6L << 30; // past 4 GiB: the mdat needs size 1 and a 64-bit size (§4.2)
        ByteBuffer head = boxes(box(24, "ftyp"), largeBox(file - 24 - 4_000_000, "mdat"));
        assertEquals(OptionalLong.of(file - 4_000_000), MovieBoxLocator.movieBoxAfterMediaData(head, file));
    }

    @Test
    void aMovieBoxAtTheFrontOrAFragmentedFileNeedsNothingFromTheEnd() {
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(boxes(box(32, "ftyp"), box(700_000, "moov")), FILE),
                "+faststart");
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(boxes(box(32, "ftyp"), box(3_000, "moof")), FILE));
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(boxes(box(32, "ftyp"), box(0, "mdat")), FILE),
                "an mdat to the end of the file leaves nothing after it");
    }

    @Test
    void whatIsNotAnIsoFileOrDoesNotAddUpTellsNothing() {
        ByteBuffer matroska = ByteBuffer.wrap(new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3, 0, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(matroska, FILE), "a WebM's EBML header");
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(boxes(box(32, "ftyp"), box(FILE, "mdat")), FILE),
                "an mdat past the file's end");
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(boxes(box(32, "ftyp"), box(3, "mdat")), FILE),
                "a size smaller than its own header");
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(boxes(box(32, "ftyp")), FILE),
                "the mdat's header is not among the bytes read");
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(ByteBuffer.allocate(5), FILE), "too short");
        long tail = MovieBoxLocator.MAX_TRAILING_BYTES + 1;
        assertEquals(OptionalLong.empty(), MovieBoxLocator.movieBoxAfterMediaData(boxes(box(32, "ftyp"), box(FILE - 32 - tail, "mdat")), FILE),
                "more after the media data than any movie box: a second mdat, or a wrong size");
    }

    /** Box headers laid out as the file has them, each box's body left out but for the space it takes. */
    private static ByteBuffer boxes(byte[]... headers) {
        ByteBuffer out = ByteBuffer.allocate(4096);
        for (byte[] h : headers) {
            long size = ByteBuffer.wrap(h).getInt() & 0xffffffffL;
            out.put(h);
            // Within the bytes read, a box's body is skipped as zeros; bigger boxes end beyond them.
            if (size > h.length && out.position() + size - h.length <= out.capacity()) {
                out.position((int) (out.position() + size - h.length));
            }
        }
        return out.flip();
    }

    private static byte[] box(long size, String type) {
        return ByteBuffer.allocate(8).putInt((int) size).put(type.getBytes(StandardCharsets.US_ASCII)).array();
    }

    private static byte[] largeBox(long size, String type) {
        return ByteBuffer.allocate(16).putInt(1).put(type.getBytes(StandardCharsets.US_ASCII)).putLong(size).array();
    }
}
