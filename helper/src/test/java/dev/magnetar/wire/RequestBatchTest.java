package dev.magnetar.wire;

import static dev.magnetar.wire.WireFixtures.decoderChannel;
import static dev.magnetar.wire.WireFixtures.drainInbound;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magnetar.wire.PeerMessage.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestBatchTest {

    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private static List<Request> requests(int count) {
        List<Request> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // the last block of a piece may be short: vary all three fields
            out.add(new Request(i / 4, (i % 4) * 16384, i % 5 == 4 ? 1000 + i : 16384));
        }
        return out;
    }

    @Test
    void decodesBackIntoTheSameRequestsInOrder() {
        List<Request> sent = requests(70);
        ByteBuf batch = RequestBatch.encode(ALLOC, sent);
        assertEquals(70 * RequestBatch.FRAME_BYTES, batch.readableBytes());
        EmbeddedChannel receiver = decoderChannel(WireOptions.defaults());
        receiver.writeInbound(batch);
        assertEquals(new ArrayList<Object>(sent), drainInbound(receiver));
        assertFalse(receiver.finish());
    }

    @Test
    void bytesAreThoseThePipelineEncoderWritesForEachRequest() {
        List<Request> sent = requests(9);
        ByteBuf batch = RequestBatch.encode(ALLOC, sent);
        try {
            assertArrayEquals(encodedOneByOne(sent), ByteBufUtil.getBytes(batch));
        } finally {
            batch.release();
        }
    }

    /** What the pipeline's encoder writes for each message in turn. */
    private static byte[] encodedOneByOne(List<? extends PeerMessage> messages) {
        EmbeddedChannel oneByOne = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        ByteBuf expected = ALLOC.buffer();
        try {
            for (PeerMessage m : messages) {
                oneByOne.writeOutbound(m);
                ByteBuf frame = oneByOne.readOutbound();
                expected.writeBytes(frame);
                frame.release();
            }
            assertFalse(oneByOne.finish());
            return ByteBufUtil.getBytes(expected);
        } finally {
            expected.release();
        }
    }

    @Test
    void cancelsAreFramedAsThePipelineEncoderFramesEachAndDecodeBackInOrder() {
        List<PeerMessage.Cancel> sent = requests(12).stream().map(r -> new PeerMessage.Cancel(r.piece(), r.begin(), r.length())).toList();
        ByteBuf batch = RequestBatch.encode(ALLOC, sent);
        assertArrayEquals(encodedOneByOne(sent), ByteBufUtil.getBytes(batch));
        EmbeddedChannel receiver = decoderChannel(WireOptions.defaults());
        receiver.writeInbound(batch);
        assertEquals(new ArrayList<Object>(sent), drainInbound(receiver));
        assertFalse(receiver.finish());
    }

    @Test
    void anyOtherMessageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RequestBatch.encode(ALLOC, List.of(new PeerMessage.Have(3))));
    }

    @Test
    void anEmptyBatchIsAnEmptyBuffer() {
        ByteBuf batch = RequestBatch.encode(ALLOC, List.of());
        assertEquals(0, batch.readableBytes());
        batch.release();
    }
}
