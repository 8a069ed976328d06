package dev.magnetar.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A message of the peer wire protocol after the handshake: {@code <4-byte big-endian length><1-byte
 * id><payload>}, or a bare zero length for a keep-alive (BEP 3). The records are immutable values;
 * {@link PeerMessageDecoder} and {@link PeerMessageEncoder} translate them to and from bytes, and the
 * engine decides what to do with them.
 *
 * <p>Piece indexes and offsets are unsigned 32-bit on the wire; no real torrent comes near 2^31, so
 * they are Java {@code int}s here and the decoder refuses larger values as malformed.
 *
 * <p>One exception to "immutable values": the decoder hands over received blocks as
 * {@link InboundPiece}, which holds a reference-counted slice of the socket's bytes and must be
 * released by whoever receives it.
 */
public sealed interface PeerMessage {

    /** BEP 3 message ids. */
    int CHOKE = 0;
    int UNCHOKE = 1;
    int INTERESTED = 2;
    int NOT_INTERESTED = 3;
    int HAVE = 4;
    int BITFIELD = 5;
    int REQUEST = 6;
    int PIECE = 7;
    int CANCEL = 8;
    /** BEP 5 (DHT port). */
    int PORT = 9;
    /** BEP 6 (fast extension) message ids. */
    int SUGGEST_PIECE = 0x0D;
    int HAVE_ALL = 0x0E;
    int HAVE_NONE = 0x0F;
    int REJECT_REQUEST = 0x10;
    int ALLOWED_FAST = 0x11;
    /** BEP 10 (extension protocol). */
    int EXTENDED = 20;
    /** BEP 52 (BitTorrent v2) message ids. */
    int HASH_REQUEST = 21;
    int HASHES = 22;
    int HASH_REJECT = 23;

    /** The message id on the wire, or -1 for a keep-alive (which has none). */
    int id();

    /** BEP 3: a zero-length frame, sent to keep an idle connection open. */
    record KeepAlive() implements PeerMessage {
        public int id() {
            return -1;
        }
    }

    record Choke() implements PeerMessage {
        public int id() {
            return CHOKE;
        }
    }

    record Unchoke() implements PeerMessage {
        public int id() {
            return UNCHOKE;
        }
    }

    record Interested() implements PeerMessage {
        public int id() {
            return INTERESTED;
        }
    }

    record NotInterested() implements PeerMessage {
        public int id() {
            return NOT_INTERESTED;
        }
    }

    /** BEP 3: the sender now has (verified) {@code piece}. */
    record Have(int piece) implements PeerMessage {
        public Have {
            requireIndex(piece, "piece");
        }

        public int id() {
            return HAVE;
        }
    }

    /**
     * BEP 3: the pieces the sender has, piece 0 in the high bit of byte 0. The decoder cannot know the
     * torrent's piece count; {@code dev.magnetar.storage.Bitfield.fromWire} checks length and spare bits.
     */
    record BitfieldMessage(byte[] bits) implements PeerMessage {
        public BitfieldMessage {
            bits = bits.clone();
        }

        @Override
        public byte[] bits() {
            return bits.clone();
        }

        /** Number of bytes, without copying. */
        public int length() {
            return bits.length;
        }

        public int id() {
            return BITFIELD;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BitfieldMessage m && Arrays.equals(bits, m.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "BitfieldMessage[" + bits.length + " bytes]";
        }
    }

    /** BEP 3: asks for {@code length} bytes of {@code piece} starting at {@code begin}. */
    record Request(int piece, int begin, int length) implements PeerMessage {
        public Request {
            requireBlock(piece, begin, length);
        }

        public int id() {
            return REQUEST;
        }
    }

    /**
     * BEP 3: a block of data, as we send it. The array is taken as is, not copied, because blocks are
     * the bulk of the traffic: a sender must not modify one after sending it. Received blocks arrive as
     * {@link InboundPiece} instead.
     */
    record Piece(int piece, int begin, byte[] block) implements PeerMessage {
        public Piece {
            requireIndex(piece, "piece");
            requireIndex(begin, "begin");
        }

        public int id() {
            return PIECE;
        }

        /** The request this block answers. */
        public Request request() {
            return new Request(piece, begin, block.length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Piece p && piece == p.piece && begin == p.begin && Arrays.equals(block, p.block);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * piece + begin) + Arrays.hashCode(block);
        }

        @Override
        public String toString() {
            return "Piece[piece=" + piece + ", begin=" + begin + ", " + block.length + " bytes]";
        }
    }

    /**
     * BEP 3 piece message as {@link PeerMessageDecoder} hands it over: the block is a retained slice
     * of the bytes read from the socket, not a copy, so that a received block is copied once — by its
     * receiver, straight into the piece being assembled. Blocks we send, and tests, use {@link Piece}.
     *
     * <p><b>Ownership:</b> whoever receives an {@code InboundPiece} releases it exactly once
     * ({@link #release()}, or {@code ReferenceCountUtil.release}), whatever it does with it — also when
     * it drops it unread (connection closed, torrent stopped, message not expected). Until then it pins
     * the socket buffer it was sliced from. Netty's pipeline tail releases one that no handler took.
     * {@link #toPiece()} copies it into a plain value and does not release.
     */
    final class InboundPiece extends DefaultByteBufHolder implements PeerMessage {

        private final int piece;
        private final int begin;

        /** Takes over the caller's reference to {@code block}. */
        public InboundPiece(int piece, int begin, ByteBuf block) {
            super(block);
            requireIndex(piece, "piece");
            requireIndex(begin, "begin");
            this.piece = piece;
            this.begin = begin;
        }

        public int piece() {
            return piece;
        }

        public int begin() {
            return begin;
        }

        /** The block's bytes: the readable bytes of {@link #content()}. */
        public ByteBuf block() {
            return content();
        }

        /** Bytes in the block. */
        public int length() {
            return content().readableBytes();
        }

        public int id() {
            return PIECE;
        }

        /** The request this block answers. */
        public Request request() {
            return new Request(piece, begin, length());
        }

        /** A copy as an immutable {@link Piece}; this message stays the caller's to release. */
        public Piece toPiece() {
            return new Piece(piece, begin, ByteBufUtil.getBytes(content()));
        }

        @Override
        public InboundPiece replace(ByteBuf content) {
            return new InboundPiece(piece, begin, content);
        }

        @Override
        public InboundPiece retain() {
            super.retain();
            return this;
        }

        @Override
        public InboundPiece touch(Object hint) {
            super.touch(hint);
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InboundPiece p && piece == p.piece && begin == p.begin && super.equals(o);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * piece + begin) + super.hashCode();
        }

        @Override
        public String toString() {
            return "InboundPiece[piece=" + piece + ", begin=" + begin + ", " + length() + " bytes]";
        }
    }

    /** BEP 3: withdraws an earlier {@link Request} (same three fields). */
    record Cancel(int piece, int begin, int length) implements PeerMessage {
        public Cancel {
            requireBlock(piece, begin, length);
        }

        public int id() {
            return CANCEL;
        }
    }

    /** BEP 5: the UDP port of the sender's DHT node. */
    record Port(int port) implements PeerMessage {
        public Port {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port " + port + " outside 0..65535");
            }
        }

        public int id() {
            return PORT;
        }
    }

    /** BEP 6: "you might like to download this piece". */
    record SuggestPiece(int piece) implements PeerMessage {
        public SuggestPiece {
            requireIndex(piece, "piece");
        }

        public int id() {
            return SUGGEST_PIECE;
        }
    }

    /** BEP 6: instead of a bitfield, the sender has every piece. */
    record HaveAll() implements PeerMessage {
        public int id() {
            return HAVE_ALL;
        }
    }

    /** BEP 6: instead of a bitfield, the sender has no piece. */
    record HaveNone() implements PeerMessage {
        public int id() {
            return HAVE_NONE;
        }
    }

    /** BEP 6: the sender will not serve this request; every request gets exactly one piece or reject. */
    record RejectRequest(int piece, int begin, int length) implements PeerMessage {
        public RejectRequest {
            requireBlock(piece, begin, length);
        }

        public int id() {
            return REJECT_REQUEST;
        }

        public Request request() {
            return new Request(piece, begin, length);
        }
    }

    /** BEP 6: the receiver may request this piece even while choked. */
    record AllowedFast(int piece) implements PeerMessage {
        public AllowedFast {
            requireIndex(piece, "piece");
        }

        public int id() {
            return ALLOWED_FAST;
        }
    }

    /**
     * BEP 10: an extension message. {@code extendedId} 0 is the extension handshake (see
     * {@link ExtensionHandshake}); other ids are the ones the <em>receiver</em> assigned in its
     * handshake's {@code m} dictionary. The payload is not copied (see {@link Piece}).
     */
    record Extended(int extendedId, byte[] payload) implements PeerMessage {
        public static final int HANDSHAKE_ID = 0;

        public Extended {
            if (extendedId < 0 || extendedId > 0xFF) {
                throw new IllegalArgumentException("extended id " + extendedId + " outside 0..255");
            }
        }

        public int id() {
            return EXTENDED;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extended e && extendedId == e.extendedId && Arrays.equals(payload, e.payload);
        }

        @Override
        public int hashCode() {
            return 31 * extendedId + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Extended[id=" + extendedId + ", payload=" + (payload.length <= 64
                    ? HexFormat.of().formatHex(payload) : payload.length + " bytes") + "]";
        }
    }

    /** BEP 52: asks for hashes of a file's merkle tree, with the proof that links them to its pieces root. */
    record HashRequest(HashRange range) implements PeerMessage {
        public HashRequest {
            java.util.Objects.requireNonNull(range, "range");
        }

        public int id() {
            return HASH_REQUEST;
        }
    }

    /**
     * BEP 52: the answer to a {@link HashRequest}: its range, then {@link HashRange#hashesInReply()}
     * SHA-256 hashes — the requested ones in order, then the uncle hashes from the bottom up. Whether
     * they really hash up to the pieces root is for the receiver to check. Not copied (see {@link Piece}).
     */
    record Hashes(HashRange range, byte[] hashes) implements PeerMessage {
        public Hashes {
            java.util.Objects.requireNonNull(range, "range");
            if (hashes.length != range.hashesInReply() * HashRange.HASH_LENGTH) {
                throw new IllegalArgumentException(range + " is answered by " + range.hashesInReply() + " hashes, got "
                        + hashes.length + " bytes");
            }
        }

        public int id() {
            return HASHES;
        }

        /** Hash {@code i} of the reply (the requested ones first, then the proof), copied. */
        public byte[] hash(int i) {
            return Arrays.copyOfRange(hashes, i * HashRange.HASH_LENGTH, (i + 1) * HashRange.HASH_LENGTH);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Hashes h && range.equals(h.range) && Arrays.equals(hashes, h.hashes);
        }

        @Override
        public int hashCode() {
            return 31 * range.hashCode() + Arrays.hashCode(hashes);
        }

        @Override
        public String toString() {
            return "Hashes[" + range + ", " + hashes.length / HashRange.HASH_LENGTH + " hashes]";
        }
    }

    /** BEP 52: the sender will not answer this {@link HashRequest} (same fields). */
    record HashReject(HashRange range) implements PeerMessage {
        public HashReject {
            java.util.Objects.requireNonNull(range, "range");
        }

        public int id() {
            return HASH_REJECT;
        }
    }

    private static void requireIndex(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
    }

    private static void requireBlock(int piece, int begin, int length) {
        requireIndex(piece, "piece");
        requireIndex(begin, "begin");
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive: " + length);
        }
    }
}
