package dev.magnetar.engine;

import dev.magnetar.wire.PeerLink;
import dev.magnetar.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * A transport for record-level tests of one class: keeps what was written, in order, as messages
 * (a request batch as its requests, a block run as {@link Blocks}), and what was flushed.
 */
final class RecordingPeerLink implements PeerLink {

    /** A run of blocks written in one go, with a copy of their bytes. */
    record Blocks(List<PeerMessage.Request> run, byte[] data) {}

    final List<Object> written = new ArrayList<>();
    final List<ByteBuf> allocated = new ArrayList<>();
    int flushes;
    /** Cancel batches written ({@link #writeCancels}); their cancels are in {@link #written} too. */
    int cancelBatches;
    boolean writable = true;
    boolean reading = true;
    boolean closed;

    @Override
    public void write(PeerMessage message) {
        written.add(message);
    }

    @Override
    public void writeAndFlush(PeerMessage message) {
        written.add(message);
        flushes++;
    }

    @Override
    public void writeRequests(List<PeerMessage.Request> batch) {
        written.addAll(batch);
    }

    @Override
    public void writeCancels(List<PeerMessage.Cancel> batch) {
        cancelBatches++;
        written.addAll(batch);
    }

    @Override
    public void writeBlocks(List<PeerMessage.Request> run, ByteBuf data) {
        written.add(new Blocks(List.copyOf(run), ByteBufUtil.getBytes(data)));
    }

    @Override
    public ByteBuf allocateBlocks(int length) {
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.directBuffer(length);
        allocated.add(b);
        return b;
    }

    @Override
    public void flush() {
        flushes++;
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    @Override
    public void setReading(boolean reading) {
        this.reading = reading;
    }

    @Override
    public void close() {
        closed = true;
    }

    <T> List<T> written(Class<T> type) {
        return written.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
