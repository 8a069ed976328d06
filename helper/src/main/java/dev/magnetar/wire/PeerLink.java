package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * The transport under one peer connection, as the protocol logic above it sees it: where its
 * {@link PeerMessage}s go and whether more may be read. TCP through a Netty channel carries it today;
 * uTP (BEP 29) is meant to be a second implementation, so nothing above this interface knows which.
 *
 * <p>Calls come from one thread at a time and take effect in call order. Writes are queued until
 * {@link #flush}, so a burst of messages leaves in one system call.
 *
 * <p>The other direction is {@link Receiver}: what the transport feeds the logic above it.
 *
 * <p>The upload path is the one place a Netty type shows through: blocks are read from disk straight
 * into a buffer from {@link #allocateBlocks} — the transport's own pooled, direct memory — and
 * framed around that buffer, so the bytes are never copied between disk and socket.
 */
public interface PeerLink {

    /** Queues one message. */
    void write(PeerMessage message);

    /** Sends one message now; unlike the other methods, callable from any thread (BEP 10 handlers answer from theirs). */
    void writeAndFlush(PeerMessage message);

    /** Queues BEP 3 requests as one buffer: one trip down the transport for the batch, not one per request. */
    void writeRequests(List<PeerMessage.Request> batch);

    /** Queues BEP 3 cancels as one buffer, as {@link #writeRequests} does requests (a seek cancels a whole queue). */
    void writeCancels(List<PeerMessage.Cancel> batch);

    /**
     * Queues the BEP 3 "piece" messages for {@code run}, whose blocks are {@code data}'s readable bytes
     * in order. The link takes its own reference; the caller still releases {@code data}.
     */
    void writeBlocks(List<PeerMessage.Request> run, ByteBuf data);

    /** A buffer for {@code length} bytes of blocks to read from disk and hand to {@link #writeBlocks}. */
    ByteBuf allocateBlocks(int length);

    /** Sends what was queued. */
    void flush();

    /** Whether the transport's send buffer has room; when it has room again the link's owner is told. */
    boolean isWritable();

    /** Pauses ({@code false}) or resumes reading from the peer: how a full disk queue or an empty rate limit pushes back. */
    void setReading(boolean reading);

    /** Closes the connection; the owner then hears that it closed. */
    void close();

    /** Whether this link is uTP (BEP 29) rather than TCP: BEP 11's PEX flags tell other peers so. */
    default boolean isUtp() {
        return false;
    }

    /** Whether the stream is RC4-encrypted by MSE: BEP 11's PEX flags tell other peers the peer prefers encryption. */
    default boolean isEncrypted() {
        return false;
    }

    /**
     * What a transport feeds the protocol logic above it, on the logic's thread and in the order it
     * happened. A received {@link PeerMessage.InboundPiece} is only lent for the call: the transport
     * releases it afterwards.
     */
    interface Receiver {

        /** Both BEP 3 handshakes are done: the logic may speak. */
        void opened();

        /** One decoded message from the peer. */
        void received(PeerMessage message);

        /** Every message of one read was handed over (a batch boundary worth acting on once). */
        void readComplete();

        /** The send buffer has room again. */
        void writable();

        /** The peer broke the wire protocol; the transport closes. */
        void brokeProtocol(String why);

        /** The connection is gone. */
        void closed(String why);
    }
}
