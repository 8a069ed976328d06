package dev.magnetar.nativehost;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;

/**
 * Native-messaging framing (Chrome and Firefox): each message is a 32-bit length in the machine's
 * native byte order followed by that many bytes of UTF-8 JSON. The browser drops the port on a
 * message to it over 1 MiB (measured: exactly 1 MiB passes, one byte more does not), so such a
 * message is refused here and the caller sends a small error instead. Inbound, browsers allow up to
 * 64 MiB; this host caps far lower because nothing it accepts is big.
 */
public final class NativeMessageCodec {

    /** Chrome's documented and measured host→browser limit. */
    public static final int MAX_TO_BROWSER_BYTES = 1 << 20;
    /** Our cap on browser→host frames: a magnet link or a command is a few KiB. */
    public static final int DEFAULT_MAX_FROM_BROWSER_BYTES = 4 << 20;

    private final int maxInboundBytes;
    private final ByteOrder order;

    public NativeMessageCodec() {
        this(DEFAULT_MAX_FROM_BROWSER_BYTES, ByteOrder.nativeOrder());
    }

    public NativeMessageCodec(int maxInboundBytes, ByteOrder order) {
        this.maxInboundBytes = maxInboundBytes;
        this.order = order;
    }

    /**
     * Reads one frame's JSON bytes; empty at a clean end of stream (the browser closed the port).
     *
     * @throws NativeFrameException when the length is over the cap or the stream ends inside a frame
     */
    public Optional<byte[]> read(InputStream in) throws IOException, NativeFrameException {
        byte[] header = in.readNBytes(4);
        if (header.length == 0) {
            return Optional.empty();
        }
        if (header.length < 4) {
            throw new NativeFrameException("the stream ended inside a frame header (" + header.length + " of 4 bytes)");
        }
        long length = Integer.toUnsignedLong(ByteBuffer.wrap(header).order(order).getInt());
        if (length > maxInboundBytes) {
            throw new NativeFrameException("incoming message of " + length + " bytes exceeds this host's limit of " + maxInboundBytes);
        }
        byte[] body = in.readNBytes((int) length);
        if (body.length < length) {
            throw new NativeFrameException("the stream ended inside a " + length + "-byte message after " + body.length + " bytes");
        }
        return Optional.of(body);
    }

    /** Writes and flushes one frame; refuses (writing nothing) what the browser would not accept. */
    public void write(OutputStream out, byte[] json) throws IOException, NativeMessageTooLargeException {
        if (json.length > MAX_TO_BROWSER_BYTES) {
            throw new NativeMessageTooLargeException(json.length);
        }
        byte[] header = ByteBuffer.allocate(4).order(order).putInt(json.length).array();
        out.write(header);
        out.write(json);
        out.flush();
    }

    /** A frame that cannot be read: the channel is out of step and must be closed. */
    public static final class NativeFrameException extends Exception {
        public NativeFrameException(String message) {
            super(message);
        }
    }

    /** The message is over the browser's 1 MiB limit: send a short error reply instead. */
    public static final class NativeMessageTooLargeException extends Exception {
        private final int length;

        public NativeMessageTooLargeException(int length) {
            super("a " + length + "-byte message exceeds the browser's native messaging limit of " + MAX_TO_BROWSER_BYTES + " bytes");
            this.length = length;
        }
    }
}
