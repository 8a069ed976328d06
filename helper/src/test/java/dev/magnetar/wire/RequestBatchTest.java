package dev.magnetar.wire;

import static dev.magnetar.wire.WireFixtures.decoderChannel;
import static dev.magnetar.wire.WireFixtures.drainInbound;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        EmbeddedChannel oneByOne = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        ByteBuf expected = ALLOC.buffer();
        for (Request r : sent) {
            oneByOne.writeOutbound(r);
            ByteBuf frame = oneByOne.readOutbound();
            expected.writeBytes(frame);
            frame.release();
        }
        ByteBuf batch = RequestBatch.encode(ALLOC, sent);
        try {
            assertArrayEquals(ByteBufUtil.getBytes(expected), ByteBufUtil.getBytes(batch));
        } finally {
            batch.release();
            expected.release();
        }
        assertFalse(oneByOne.finish());
    }

    @Test
    void anEmptyBatchIsAnEmptyBuffer() {
        ByteBuf batch = RequestBatch.encode(ALLOC, List.of());
        assertEquals(0, batch.readableBytes());
        batch.release();
    }
}
