package dev.magnetar.wire;

import dev.magnetar.wire.PeerMessage.Request;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.util.List;

/**
 * Frames a run of BEP 3 "piece" messages whose blocks lie back to back in one buffer, byte for byte
 * what the {@link PeerMessageEncoder} would write for each of them in turn: a 13-byte header, then the
 * block as a slice of {@code data}, not a copy.
 *
 * <p>Why: a seeder serving 16 KiB blocks one disk read, one copy and one flush at a time spent half
 * its CPU in the disk threads' small reads and the other half on the event loop (bench/README.md,
 * session 3). Peers ask for the blocks of a piece in order, so one read of the run into the socket's
 * own buffer, framed here, goes out in one pipeline trip.
 */
public final class PieceBatch {

    /** Length prefix, id, index, begin (BEP 3). */
    public static final int HEADER_BYTES = 4 + 1 + 4 + 4;

    private PieceBatch() {}

    /**
     * The frames of {@code run}, whose blocks are {@code data}'s readable bytes in order. Holds its own
     * references to {@code data} (the caller still releases its own); the caller writes, and so
     * releases, the result.
     *
     * @throws IllegalArgumentException if the blocks' lengths do not add up to {@code data}'s readable bytes
     */
    public static ByteBuf encode(ByteBufAllocator alloc, List<Request> run, ByteBuf data) {
        long total = 0;
        for (Request r : run) {
            total += r.length();
        }
        if (total != data.readableBytes()) {
            throw new IllegalArgumentException("blocks of " + total + " bytes for " + data.readableBytes() + " bytes read");
        }
        CompositeByteBuf out = alloc.compositeBuffer(2 * run.size());
        int offset = data.readerIndex();
        for (Request r : run) {
            ByteBuf header = alloc.ioBuffer(HEADER_BYTES);
            header.writeInt(1 + 8 + r.length()).writeByte(PeerMessage.PIECE).writeInt(r.piece()).writeInt(r.begin());
            out.addComponent(true, header);
            out.addComponent(true, data.retainedSlice(offset, r.length()));
            offset += r.length();
        }
        return out;
    }
}
