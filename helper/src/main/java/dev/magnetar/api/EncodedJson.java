package dev.magnetar.api;

import java.nio.ByteBuffer;

/**
 * A reply body that is already JSON, kept to be written many times ({@link JsonResponses} writes it as
 * it is). It also sits in a direct buffer: the JDK copies a heap buffer into a temporary direct one on
 * every socket write, and at a thousand torrents this body is ~300 KB per {@code GET /api/v1/torrents}.
 * Nobody may change the array after construction.
 */
record EncodedJson(byte[] bytes, ByteBuffer direct) {

    EncodedJson(byte[] bytes) {
        this(bytes, ByteBuffer.allocateDirect(bytes.length).put(bytes).flip().asReadOnlyBuffer());
    }

    /** A view of the body for one response: its own position, the shared bytes. */
    ByteBuffer content() {
        return direct.duplicate();
    }
}
