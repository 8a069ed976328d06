package dev.magnetar.wire;

import static dev.magnetar.wire.WireFixtures.decoderChannel;
import static dev.magnetar.wire.WireFixtures.encode;
import static dev.magnetar.wire.WireFixtures.hashes;
import static dev.magnetar.wire.WireFixtures.root;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.wire.PeerMessage.HashReject;
import dev.magnetar.wire.PeerMessage.HashRequest;
import dev.magnetar.wire.PeerMessage.Hashes;
import dev.magnetar.wire.PeerMessage.Have;
import dev.magnetar.wire.PeerProtocolException.Violation;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEP 52's hash request (21), hashes (22) and hash reject (23) on the wire. */
class HashMessageCodecTest {

    private static final WireOptions OPTIONS = WireOptions.defaults();
    private static final String ROOT_HEX = HexFormat.of().formatHex(root());

    @Test
    void writesBep52sByteLayout() {
        // <len=49><id=21><pieces root><base layer><index><length><proof layers>
        assertEquals("00000031" + "15" + ROOT_HEX + "00000002" + "00000200" + "00000200" + "0000000a",
                hex(new HashRequest(new HashRange(root(), 2, 512, 512, 10))));
        assertEquals("00000031" + "17" + ROOT_HEX + "00000000" + "00000000" + "00000002" + "00000000",
                hex(new HashReject(new HashRange(root(), 0, 0, 2, 0))));
        // Two requested hashes and, with 1 proof layer, one uncle: 49 + 3 * 32 = 145 bytes of frame.
        byte[] three = hashes(3);
        assertEquals("00000091" + "16" + ROOT_HEX + "00000001" + "00000002" + "00000002" + "00000001"
                + HexFormat.of().formatHex(three), hex(new Hashes(new HashRange(root(), 1, 2, 2, 1), three)));
    }

    @Test
    void replyCarriesTheRequestedHashesThenOneUnclePerProofLayerNotCoveredByThem() {
        // BEP 52: of the proof layers, the first log2(length) - 1 are implied by the requested hashes.
        assertEquals(512 + 0, new HashRange(root(), 2, 0, 512, 8).hashesInReply(), "512 hashes span 9 layers");
        assertEquals(512 + 2, new HashRange(root(), 2, 0, 512, 10).hashesInReply());
        assertEquals(2 + 3, new HashRange(root(), 0, 0, 2, 3).hashesInReply());
        assertEquals(2, new HashRange(root(), 0, 0, 2, 0).hashesInReply());
        assertEquals(1 + 4, new HashRange(root(), 3, 512, 1, 3).hashesInReply(), "libtorrent's lone last piece");
    }

    @Test
    void eachHashMessageSurvivesARoundTripOneByteAtATime() {
        List<PeerMessage> messages = List.of(new HashRequest(new HashRange(root(), 2, 512, 512, 10)),
                new Hashes(new HashRange(root(), 0, 6, 2, 4), hashes(2 + 4)), new HashReject(new HashRange(root(), 0, 0, 2, 0)));
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        for (byte b : encode(messages)) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(messages, WireFixtures.drainInbound(ch));
        assertTrue(ch.isOpen());
    }

    @Test
    void rangesOfTheWrongShapeAreMalformed() {
        String[] headers = {
            "00000000" + "00000000" + "00000003" + "00000000", // length 3: not a power of two
            "00000000" + "00000000" + "00000000" + "00000000", // length 0
            "00000000" + "00000002" + "00000004" + "00000000", // index 2 not a multiple of length 4
            "00000000" + "00000000" + "00004000" + "00000000", // length 16384: above any piece's blocks
            "00000022" + "00000000" + "00000002" + "00000000", // base layer 34: deeper than any file's tree
            "00000002" + "00000000" + "00000002" + "00000020", // 2 + 32 layers: beyond the deepest tree
            "00000000" + "80000000" + "00000002" + "00000000", // index beyond 2^31
        };
        for (String header : headers) {
            for (int id : new int[] {PeerMessage.HASH_REQUEST, PeerMessage.HASH_REJECT}) {
                assertMalformed(String.format("00000031%02x", id) + ROOT_HEX + header);
            }
        }
    }

    @Test
    void hashRequestOrRejectOfAnyOtherSizeIsRefusedBeforeItsBodyArrives() {
        assertMalformed("00000030" + "15"); // 47 bytes of payload announced
        assertMalformed("00000032" + "17"); // 49
        assertMalformed("00010000" + "15"); // 64 KiB announced: nothing is buffered for it
    }

    @Test
    void hashesWhoseCountDoesNotFitTheirRangeAreMalformed() {
        String header = ROOT_HEX + "00000000" + "00000000" + "00000002" + "00000001"; // calls for 2 + 1 hashes
        assertMalformed(frame(22, header + HexFormat.of().formatHex(hashes(2)))); // the proof is missing
        assertMalformed(frame(22, header + HexFormat.of().formatHex(hashes(4)))); // one too many
        assertMalformed(frame(22, header + HexFormat.of().formatHex(hashes(3)) + "00")); // not whole hashes
        assertMalformed(frame(22, header)); // no hash at all
    }

    @Test
    void oversizedHashesAreRefusedOnTheirIdByteAlone() {
        // 600 hashes: more than BEP 52's 512 per request plus any proof, so it answers nothing we asked.
        int payload = HashRange.HEADER_LENGTH + 600 * HashRange.HASH_LENGTH;
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        PeerProtocolException e = assertThrows(PeerProtocolException.class, () -> ch.writeInbound(
                Unpooled.wrappedBuffer(HexFormat.of().parseHex(String.format("%08x16", payload + 1)))));
        assertEquals(Violation.MALFORMED_MESSAGE, e.violation());
        assertFalse(ch.isOpen());
    }

    @Test
    void aMalformedHashMessageStopsTheDecoderMidStream() {
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        byte[] good = encode(List.of(new Have(1)));
        byte[] bad = HexFormat.of().parseHex("00000031" + "15" + ROOT_HEX + "00000000" + "00000001" + "00000002" + "00000000");
        assertThrows(PeerProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(good, bad, encode(List.of(new Have(2))))));
        assertEquals(List.of(new Have(1)), WireFixtures.drainInbound(ch));
    }

    @Test
    void hashesRecordRefusesAHashCountItsRangeDoesNotCallFor() {
        assertThrows(IllegalArgumentException.class, () -> new Hashes(new HashRange(root(), 0, 0, 2, 1), hashes(2)));
        assertThrows(IllegalArgumentException.class, () -> new HashRange(new byte[20], 0, 0, 2, 0));
    }

    private static void assertMalformed(String hex) {
        EmbeddedChannel ch = decoderChannel(OPTIONS);
        PeerProtocolException e = assertThrows(PeerProtocolException.class,
                () -> ch.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex))), hex);
        assertEquals(Violation.MALFORMED_MESSAGE, e.violation(), hex);
        assertFalse(ch.isOpen(), hex);
    }

    private static String frame(int id, String payloadHex) {
        return String.format("%08x%02x", payloadHex.length() / 2 + 1, id) + payloadHex;
    }

    private static String hex(PeerMessage m) {
        return HexFormat.of().formatHex(encode(List.of(m)));
    }
}
