package dev.magnetar.wire;

import static dev.magnetar.wire.WireFixtures.decoderChannel;
import static dev.magnetar.wire.WireFixtures.drainInbound;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.magnetar.wire.PeerMessage.Piece;
import dev.magnetar.wire.PeerMessage.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PieceBatchTest {

    private static final PooledByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    /** Three blocks of piece 5 back to back, the last one short as a piece's last block may be. */
    private static final List<Request> RUN = List.of(
            new Request(5, 32768, 16384), new Request(5, 49152, 16384), new Request(5, 65536, 1000));

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void bytesAreThoseThePipelineEncoderWritesForEachBlock() {
        byte[] content = randomBytes(16384 + 16384 + 1000);
        EmbeddedChannel oneByOne = new EmbeddedChannel(PeerMessageEncoder.INSTANCE);
        ByteBuf expected = ALLOC.heapBuffer();
        int offset = 0;
        for (Request r : RUN) {
            oneByOne.writeOutbound(new Piece(r.piece(), r.begin(), Arrays.copyOfRange(content, offset, offset + r.length())));
            offset += r.length();
            ByteBuf frame = oneByOne.readOutbound();
            expected.writeBytes(frame);
            frame.release();
        }
        ByteBuf data = ALLOC.directBuffer(content.length).writeBytes(content);
        ByteBuf batch = PieceBatch.encode(ALLOC, RUN, data);
        try {
            assertArrayEquals(ByteBufUtil.getBytes(expected), ByteBufUtil.getBytes(batch));
        } finally {
            batch.release();
            expected.release();
        }
        assertEquals(1, data.refCnt(), "the frames gave back their references to the data; the caller's is left");
        data.release();
        assertFalse(oneByOne.finish());
    }

    @Test
    void decodesBackIntoTheSameBlocks() {
        byte[] content = randomBytes(16384 + 16384 + 1000);
        ByteBuf data = ALLOC.directBuffer(content.length).writeBytes(content);
        ByteBuf batch = PieceBatch.encode(ALLOC, RUN, data);
        data.release();
        EmbeddedChannel receiver = decoderChannel(WireOptions.defaults());
        receiver.writeInbound(batch);
        List<Object> received = drainInbound(receiver);
        assertEquals(RUN.size(), received.size());
        int offset = 0;
        for (int i = 0; i < RUN.size(); i++) {
            Piece p = (Piece) received.get(i); // drainInbound copies and releases what the decoder handed over
            Request r = RUN.get(i);
            assertEquals(List.of(r.piece(), r.begin()), List.of(p.piece(), p.begin()));
            assertArrayEquals(Arrays.copyOfRange(content, offset, offset + r.length()), p.block());
            offset += r.length();
        }
        assertFalse(receiver.finish());
    }

    @Test
    void blocksThatDoNotAddUpToTheDataAreRefused() {
        ByteBuf data = ALLOC.directBuffer(100).writeZero(100);
        try {
            assertThrows(IllegalArgumentException.class, () -> PieceBatch.encode(ALLOC, RUN, data));
            assertThrows(IllegalArgumentException.class,
                    () -> PieceBatch.encode(ALLOC, new ArrayList<>(List.of(new Request(0, 0, 99))), data));
        } finally {
            data.release();
        }
    }
}
