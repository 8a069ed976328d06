package dev.magnetar.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Hostile and fragmented input: only typed errors, always followed by a close; chunking never matters. */
class PeerMessageDecoderPropertiesTest {

    /** Small limits so random lengths often hit them. */
    private static final WireOptions SMALL = WireOptions.defaults().withMaxBlockLength(64).withMaxFrameLength(64 + 13);

    /** What a decoder made of a stream: the messages, then the violation (or null if none). */
    private record Outcome(List<Object> messages, PeerProtocolException.Violation violation) {}

    private static Outcome decode(byte[] stream, int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new PeerMessageDecoder(SMALL, true));
        List<Object> messages = new ArrayList<>();
        PeerProtocolException.Violation violation = null;
        for (int off = 0; off < stream.length && violation == null; off += chunk) {
            try {
                ch.writeInbound(Unpooled.wrappedBuffer(stream, off, Math.min(chunk, stream.length - off)));
            } catch (PeerProtocolException e) {
                violation = e.violation();
                assertFalse(ch.isOpen(), "a violation closes the channel");
            } finally {
                messages.addAll(WireFixtures.drainInbound(ch));
            }
            // Any other exception type escapes and fails the property.
        }
        if (violation == null) {
            ch.finishAndReleaseAll();
        }
        return new Outcome(messages, violation);
    }

    @Property(tries = 1000)
    void randomBytesGiveMessagesOrATypedErrorWhateverTheChunking(
            @ForAll @Size(max = 200) byte[] garbage, @ForAll @IntRange(min = 1, max = 17) int chunk) {
        assertEquals(decode(garbage, garbage.length + 1), decode(garbage, chunk));
    }

    @Property(tries = 500)
    void mutatedValidStreamsGiveMessagesOrATypedError(
            @ForAll("messages") List<PeerMessage> messages, @ForAll int position, @ForAll byte replacement,
            @ForAll @IntRange(min = 1, max = 9) int chunk) {
        byte[] stream = WireFixtures.encode(messages);
        if (stream.length > 0) {
            stream[Math.floorMod(position, stream.length)] = replacement;
        }
        assertEquals(decode(stream, stream.length + 1), decode(stream, chunk));
    }

    @Property(tries = 300)
    void validStreamsDecodeToTheSameMessagesInAnyChunking(
            @ForAll("messages") List<PeerMessage> messages, @ForAll @IntRange(min = 1, max = 9) int chunk) {
        Outcome o = decode(WireFixtures.encode(messages), chunk);
        assertEquals(new Outcome(new ArrayList<>(messages), null), o);
    }

    @Property(tries = 300)
    void announcedOversizeFramesAreRefusedOnTheirLengthAlone(@ForAll @IntRange(min = 64 + 14) int length) {
        byte[] header = {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
        Outcome o = decode(header, 1);
        assertEquals(PeerProtocolException.Violation.FRAME_TOO_LONG, o.violation());
    }

    /**
     * Bulk reads are composed into the cumulation and small ones merged (see the decoder's cumulator);
     * whatever the mix, the blocks come out the same, and once each is released every pooled read
     * buffer is freed — with the leak detector at PARANOID tracking each of them.
     */
    @Property(tries = 40)
    void blocksSurviveAnyMixOfSmallAndBulkReadsAndFreeEveryReadBuffer(
            @ForAll("bigPieces") List<PeerMessage> messages,
            @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 3 * PeerMessageDecoder.COMPOSE_MIN_READ) Integer> chunks) {
        ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try {
            byte[] stream = WireFixtures.encode(messages);
            EmbeddedChannel ch = new EmbeddedChannel(new PeerMessageDecoder(WireOptions.defaults(), true));
            List<ByteBuf> reads = new ArrayList<>();
            List<Object> decoded = new ArrayList<>();
            for (int off = 0, i = 0; off < stream.length; i++) {
                int n = Math.min(chunks.get(i % chunks.size()), stream.length - off);
                ByteBuf read = PooledByteBufAllocator.DEFAULT.directBuffer(n).writeBytes(stream, off, n);
                reads.add(read);
                ch.writeInbound(read);
                decoded.addAll(WireFixtures.drainInbound(ch)); // copies and releases each block
                off += n;
            }
            assertEquals(messages, decoded);
            assertFalse(ch.finish());
            for (ByteBuf read : reads) {
                assertEquals(0, read.refCnt(), "a read buffer still held after every block was released");
            }
        } finally {
            ResourceLeakDetector.setLevel(before);
        }
    }

    @Provide
    Arbitrary<List<PeerMessage>> bigPieces() {
        Arbitrary<PeerMessage> piece = net.jqwik.api.Combinators.combine(
                Arbitraries.integers().between(0, 1000), Arbitraries.integers().between(0, 1 << 20),
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(20_000))
                .as(PeerMessage.Piece::new);
        Arbitrary<PeerMessage> other = Arbitraries.of(new PeerMessage.Have(3), new PeerMessage.KeepAlive(),
                new PeerMessage.Request(1, 0, 16384));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, piece), net.jqwik.api.Tuple.of(1, other))
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<List<PeerMessage>> messages() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> length = Arbitraries.integers().between(1, 64);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<PeerMessage> one = Arbitraries.oneOf(
                Arbitraries.of(new PeerMessage.KeepAlive(), new PeerMessage.Choke(), new PeerMessage.Unchoke(),
                        new PeerMessage.Interested(), new PeerMessage.NotInterested(), new PeerMessage.HaveAll(),
                        new PeerMessage.HaveNone()),
                index.map(PeerMessage.Have::new),
                index.map(PeerMessage.SuggestPiece::new),
                index.map(PeerMessage.AllowedFast::new),
                Arbitraries.integers().between(0, 0xFFFF).map(PeerMessage.Port::new),
                bytes.map(PeerMessage.BitfieldMessage::new),
                net.jqwik.api.Combinators.combine(index, index, length).as(PeerMessage.Request::new),
                net.jqwik.api.Combinators.combine(index, index, length).as(PeerMessage.Cancel::new),
                net.jqwik.api.Combinators.combine(index, index, length).as(PeerMessage.RejectRequest::new),
                net.jqwik.api.Combinators.combine(index, index, bytes.filter(b -> b.length > 0)).as(PeerMessage.Piece::new),
                net.jqwik.api.Combinators.combine(Arbitraries.integers().between(0, 255), bytes).as(PeerMessage.Extended::new));
        return one.list().ofMaxSize(12);
    }
}
