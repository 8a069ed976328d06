package dev.magnetar.wire;

import dev.magnetar.wire.PeerMessage.AllowedFast;
import dev.magnetar.wire.PeerMessage.BitfieldMessage;
import dev.magnetar.wire.PeerMessage.Cancel;
import dev.magnetar.wire.PeerMessage.Choke;
import dev.magnetar.wire.PeerMessage.Extended;
import dev.magnetar.wire.PeerMessage.HashReject;
import dev.magnetar.wire.PeerMessage.HashRequest;
import dev.magnetar.wire.PeerMessage.Hashes;
import dev.magnetar.wire.PeerMessage.Have;
import dev.magnetar.wire.PeerMessage.HaveAll;
import dev.magnetar.wire.PeerMessage.HaveNone;
import dev.magnetar.wire.PeerMessage.Interested;
import dev.magnetar.wire.PeerMessage.KeepAlive;
import dev.magnetar.wire.PeerMessage.NotInterested;
import dev.magnetar.wire.PeerMessage.InboundPiece;
import dev.magnetar.wire.PeerMessage.Port;
import dev.magnetar.wire.PeerMessage.RejectRequest;
import dev.magnetar.wire.PeerMessage.Request;
import dev.magnetar.wire.PeerMessage.SuggestPiece;
import dev.magnetar.wire.PeerMessage.Unchoke;
import dev.magnetar.wire.PeerProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the byte stream after the handshake into {@link PeerMessage}s (BEP 3 framing:
 * {@code <uint32 length><uint8 id><payload>}).
 *
 * <p>Hostile input costs bounded memory: a length prefix above {@link WireOptions#maxFrameLength()} is
 * refused as soon as its 4 bytes are read, and a fixed-size message with the wrong length as soon as
 * its id byte is, so nothing is buffered for either. Every rule broken gives a
 * {@link PeerProtocolException}; the channel is then closed and nothing more is decoded.
 *
 * <p>A piece message comes out as an {@link InboundPiece} whose block is a retained slice of the
 * received bytes: its receiver must release it (see there).
 *
 * <p>Unknown message ids are skipped without buffering (BEP 3 clients ignore what they do not
 * understand; new ids appear now and then).
 *
 * <p>BEP 52's hash messages are checked for shape here (see {@link HashRange}): a {@code hashes}
 * message longer than {@link #MAX_HASHES_IN_REPLY} is refused on its id byte, one whose hash count
 * does not fit its own range once its header is read. Whether a range fits a torrent is the engine's
 * to judge.
 */
public final class PeerMessageDecoder extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(PeerMessageDecoder.class);

    private static final KeepAlive KEEP_ALIVE = new KeepAlive();
    private static final int INT = 4;

    /**
     * The most hashes a {@code hashes} message may carry: BEP 52's 512 per request (we never ask for
     * more), plus the proof up to the root of the deepest tree.
     */
    static final int MAX_HASHES_IN_REPLY = 512 + HashRange.MAX_TREE_DEPTH;

    /** Reads at least this large are composed into the cumulation, smaller ones copied (see {@link #CUMULATOR}). */
    static final int COMPOSE_MIN_READ = 4096;

    /**
     * Netty's default (MERGE) copies each read into the cumulation whenever a partial frame is left
     * over — with 16 KiB blocks streaming in, nearly every read: a second copy of all downloaded data.
     * COMPOSITE adds the read buffer as a component instead, and blocks are then sliced from it. But
     * composing alone would let a peer that trickles a large frame a few bytes per read make us hold a
     * socket buffer and a component per read — many times the frame's bytes, against this class's
     * bounded-memory promise — so small reads are still merged (copied, as before; into a composite
     * that grows its capacity geometrically) and only bulk reads are composed.
     */
    private static final Cumulator CUMULATOR = (alloc, cumulation, in) -> in.readableBytes() >= COMPOSE_MIN_READ
            ? COMPOSITE_CUMULATOR.cumulate(alloc, cumulation, in)
            : MERGE_CUMULATOR.cumulate(alloc, cumulation, in);

    private final int maxFrameLength;
    private final int maxBlockLength;
    private final boolean fastExtension;
    private boolean broken;
    private long unknownBytesToSkip;

    /**
     * @param options frame and block limits
     * @param fastExtension whether both handshakes set the BEP 6 bit; if not, BEP 6 messages are a
     *     violation ("the peer MUST close the connection")
     */
    public PeerMessageDecoder(WireOptions options, boolean fastExtension) {
        this.maxFrameLength = options.maxFrameLength();
        this.maxBlockLength = options.maxBlockLength();
        this.fastExtension = fastExtension;
        setCumulator(CUMULATOR);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (broken) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (unknownBytesToSkip > 0) {
            int n = (int) Math.min(unknownBytesToSkip, in.readableBytes());
            in.skipBytes(n);
            unknownBytesToSkip -= n;
            return;
        }
        if (in.readableBytes() < INT) {
            return;
        }
        int start = in.readerIndex();
        long length = in.getUnsignedInt(start);
        if (length > maxFrameLength) {
            throw fail(in, Violation.FRAME_TOO_LONG,
                    "frame of " + length + " bytes announced, limit is " + maxFrameLength);
        }
        if (length == 0) {
            in.skipBytes(INT);
            out.add(KEEP_ALIVE);
            return;
        }
        if (in.readableBytes() < INT + 1) {
            return;
        }
        int id = in.getUnsignedByte(start + INT);
        int payload = (int) length - 1;
        if (!isKnown(id)) {
            log.debug("skipping unknown message id {} ({} bytes) from {}", id, length, ctx.channel().remoteAddress());
            in.skipBytes(INT + 1);
            unknownBytesToSkip = payload;
            return;
        }
        checkPayloadLength(in, id, payload);
        if (in.readableBytes() < INT + length) {
            return;
        }
        in.skipBytes(INT + 1);
        out.add(decodeBody(in, id, in.readSlice(payload)));
    }

    private static boolean isKnown(int id) {
        return (id >= PeerMessage.CHOKE && id <= PeerMessage.PORT)
                || (id >= PeerMessage.SUGGEST_PIECE && id <= PeerMessage.ALLOWED_FAST)
                || (id >= PeerMessage.EXTENDED && id <= PeerMessage.HASH_REJECT);
    }

    /** Checks the payload size against the id before the payload is buffered. */
    private void checkPayloadLength(ByteBuf in, int id, int payload) {
        if (id >= PeerMessage.SUGGEST_PIECE && id <= PeerMessage.ALLOWED_FAST && !fastExtension) {
            throw fail(in, Violation.FAST_EXTENSION_NOT_NEGOTIATED, "BEP 6 message id " + id
                    + " on a connection without the fast extension");
        }
        boolean ok = switch (id) {
            case PeerMessage.CHOKE, PeerMessage.UNCHOKE, PeerMessage.INTERESTED, PeerMessage.NOT_INTERESTED,
                    PeerMessage.HAVE_ALL, PeerMessage.HAVE_NONE -> payload == 0;
            case PeerMessage.HAVE, PeerMessage.SUGGEST_PIECE, PeerMessage.ALLOWED_FAST -> payload == INT;
            case PeerMessage.REQUEST, PeerMessage.CANCEL, PeerMessage.REJECT_REQUEST -> payload == 3 * INT;
            case PeerMessage.PORT -> payload == 2;
            // BEP 3 piece: index, begin, then at least one byte of block, at most the largest block.
            case PeerMessage.PIECE -> payload > 2 * INT && payload - 2 * INT <= maxBlockLength;
            case PeerMessage.BITFIELD -> true; // bounded by the frame limit; its exact size needs the piece count
            case PeerMessage.EXTENDED -> payload >= 1; // BEP 10: at least the extended message id
            case PeerMessage.HASH_REQUEST, PeerMessage.HASH_REJECT -> payload == HashRange.HEADER_LENGTH;
            // BEP 52 hashes: the header, then at least one whole 32-byte hash.
            case PeerMessage.HASHES -> payload > HashRange.HEADER_LENGTH
                    && (payload - HashRange.HEADER_LENGTH) % HashRange.HASH_LENGTH == 0
                    && (payload - HashRange.HEADER_LENGTH) / HashRange.HASH_LENGTH <= MAX_HASHES_IN_REPLY;
            default -> false;
        };
        if (!ok) {
            throw fail(in, Violation.MALFORMED_MESSAGE, "message id " + id + " with a payload of " + payload + " bytes");
        }
    }

    private PeerMessage decodeBody(ByteBuf in, int id, ByteBuf p) {
        return switch (id) {
            case PeerMessage.CHOKE -> new Choke();
            case PeerMessage.UNCHOKE -> new Unchoke();
            case PeerMessage.INTERESTED -> new Interested();
            case PeerMessage.NOT_INTERESTED -> new NotInterested();
            case PeerMessage.HAVE -> new Have(index(in, p, "piece"));
            case PeerMessage.BITFIELD -> new BitfieldMessage(bytes(p));
            case PeerMessage.REQUEST -> new Request(index(in, p, "piece"), index(in, p, "begin"), blockLength(in, p));
            // The block is sliced, not copied: index() may throw, so the slice is retained last.
            case PeerMessage.PIECE -> new InboundPiece(index(in, p, "piece"), index(in, p, "begin"),
                    p.readRetainedSlice(p.readableBytes()));
            case PeerMessage.CANCEL -> new Cancel(index(in, p, "piece"), index(in, p, "begin"), blockLength(in, p));
            case PeerMessage.PORT -> new Port(p.readUnsignedShort());
            case PeerMessage.SUGGEST_PIECE -> new SuggestPiece(index(in, p, "piece"));
            case PeerMessage.HAVE_ALL -> new HaveAll();
            case PeerMessage.HAVE_NONE -> new HaveNone();
            case PeerMessage.REJECT_REQUEST ->
                    new RejectRequest(index(in, p, "piece"), index(in, p, "begin"), blockLength(in, p));
            case PeerMessage.ALLOWED_FAST -> new AllowedFast(index(in, p, "piece"));
            case PeerMessage.EXTENDED -> new Extended(p.readUnsignedByte(), bytes(p));
            case PeerMessage.HASH_REQUEST -> new HashRequest(hashRange(in, p));
            case PeerMessage.HASH_REJECT -> new HashReject(hashRange(in, p));
            case PeerMessage.HASHES -> hashes(in, p);
            default -> throw new IllegalStateException("id " + id + " passed isKnown but has no decoder");
        };
    }

    private int index(ByteBuf in, ByteBuf p, String field) {
        long v = p.readUnsignedInt();
        if (v > Integer.MAX_VALUE) {
            throw fail(in, Violation.MALFORMED_MESSAGE, field + " " + v + " is beyond any real torrent");
        }
        return (int) v;
    }

    private HashRange hashRange(ByteBuf in, ByteBuf p) {
        byte[] root = new byte[HashRange.HASH_LENGTH];
        p.readBytes(root);
        long base = p.readUnsignedInt();
        long index = p.readUnsignedInt();
        long length = p.readUnsignedInt();
        long proofLayers = p.readUnsignedInt();
        String problem = HashRange.problem(base, index, length, proofLayers);
        if (problem != null) {
            throw fail(in, Violation.MALFORMED_MESSAGE, "BEP 52 hash message: " + problem);
        }
        return new HashRange(root, (int) base, (int) index, (int) length, (int) proofLayers);
    }

    private Hashes hashes(ByteBuf in, ByteBuf p) {
        HashRange range = hashRange(in, p);
        int count = p.readableBytes() / HashRange.HASH_LENGTH;
        if (count != range.hashesInReply()) {
            throw fail(in, Violation.MALFORMED_MESSAGE, "BEP 52 hashes message for " + range + " carries " + count
                    + " hashes, its range calls for " + range.hashesInReply());
        }
        return new Hashes(range, bytes(p));
    }

    private int blockLength(ByteBuf in, ByteBuf p) {
        long v = p.readUnsignedInt();
        if (v < 1 || v > maxBlockLength) {
            throw fail(in, Violation.MALFORMED_MESSAGE, "block length " + v + " outside 1.." + maxBlockLength);
        }
        return (int) v;
    }

    private static byte[] bytes(ByteBuf p) {
        byte[] b = new byte[p.readableBytes()];
        p.readBytes(b);
        return b;
    }

    private PeerProtocolException fail(ByteBuf in, Violation violation, String problem) {
        broken = true;
        in.skipBytes(in.readableBytes());
        return new PeerProtocolException(violation, problem);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.fireExceptionCaught(cause);
        if (cause instanceof PeerProtocolException) {
            ctx.close();
        }
    }
}
