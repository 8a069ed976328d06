package dev.magnetar.wire;

import dev.magnetar.wire.PeerMessage.AllowedFast;
import dev.magnetar.wire.PeerMessage.BitfieldMessage;
import dev.magnetar.wire.PeerMessage.Cancel;
import dev.magnetar.wire.PeerMessage.Extended;
import dev.magnetar.wire.PeerMessage.HashReject;
import dev.magnetar.wire.PeerMessage.HashRequest;
import dev.magnetar.wire.PeerMessage.Hashes;
import dev.magnetar.wire.PeerMessage.Have;
import dev.magnetar.wire.PeerMessage.InboundPiece;
import dev.magnetar.wire.PeerMessage.KeepAlive;
import dev.magnetar.wire.PeerMessage.Piece;
import dev.magnetar.wire.PeerMessage.Port;
import dev.magnetar.wire.PeerMessage.RejectRequest;
import dev.magnetar.wire.PeerMessage.Request;
import dev.magnetar.wire.PeerMessage.SuggestPiece;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes {@link PeerMessage}s in BEP 3 framing. A Piece goes out as a small header plus the block
 * array wrapped, not copied, so that serving data costs no extra copy on the way to the socket.
 * Stateless, so one instance serves all channels.
 */
@Sharable
public final class PeerMessageEncoder extends MessageToMessageEncoder<PeerMessage> {

    public static final PeerMessageEncoder INSTANCE = new PeerMessageEncoder();

    private PeerMessageEncoder() {
        super(PeerMessage.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, PeerMessage msg, List<Object> out) {
        if (msg instanceof Piece p) {
            ByteBuf header = ctx.alloc().ioBuffer(13);
            header.writeInt(9 + p.block().length).writeByte(PeerMessage.PIECE).writeInt(p.piece()).writeInt(p.begin());
            out.add(Unpooled.wrappedBuffer(header, Unpooled.wrappedBuffer(p.block())));
            return;
        }
        if (msg instanceof InboundPiece p) {
            // A received block passed on (e.g. by a relay in a test): the encoder releases msg, so retain.
            ByteBuf header = ctx.alloc().ioBuffer(13);
            header.writeInt(9 + p.length()).writeByte(PeerMessage.PIECE).writeInt(p.piece()).writeInt(p.begin());
            out.add(Unpooled.wrappedBuffer(header, p.block().retainedSlice()));
            return;
        }
        ByteBuf buf = ctx.alloc().ioBuffer(4 + 1 + payloadLength(msg));
        write(msg, buf);
        out.add(buf);
    }

    /** Writes the whole frame of {@code msg} into {@code out}; for use outside a pipeline and in tests. */
    public static void write(PeerMessage msg, ByteBuf out) {
        if (msg instanceof KeepAlive) {
            out.writeInt(0);
            return;
        }
        out.writeInt(1 + payloadLength(msg)).writeByte(msg.id());
        if (msg instanceof Have m) {
            out.writeInt(m.piece());
        } else if (msg instanceof BitfieldMessage m) {
            out.writeBytes(m.bits());
        } else if (msg instanceof Request m) {
            out.writeInt(m.piece()).writeInt(m.begin()).writeInt(m.length());
        } else if (msg instanceof Piece m) {
            out.writeInt(m.piece()).writeInt(m.begin()).writeBytes(m.block());
        } else if (msg instanceof InboundPiece m) {
            out.writeInt(m.piece()).writeInt(m.begin()).writeBytes(m.block(), m.block().readerIndex(), m.length());
        } else if (msg instanceof Cancel m) {
            out.writeInt(m.piece()).writeInt(m.begin()).writeInt(m.length());
        } else if (msg instanceof Port m) {
            out.writeShort(m.port());
        } else if (msg instanceof SuggestPiece m) {
            out.writeInt(m.piece());
        } else if (msg instanceof RejectRequest m) {
            out.writeInt(m.piece()).writeInt(m.begin()).writeInt(m.length());
        } else if (msg instanceof AllowedFast m) {
            out.writeInt(m.piece());
        } else if (msg instanceof Extended m) {
            out.writeByte(m.extendedId()).writeBytes(m.payload());
        } else if (msg instanceof HashRequest m) {
            writeRange(m.range(), out);
        } else if (msg instanceof Hashes m) {
            writeRange(m.range(), out);
            out.writeBytes(m.hashes());
        } else if (msg instanceof HashReject m) {
            writeRange(m.range(), out);
        }
        // Choke, Unchoke, Interested, NotInterested, HaveAll, HaveNone: the id is the whole message.
    }

    /** BEP 52: the header the three hash messages share. */
    private static void writeRange(HashRange r, ByteBuf out) {
        out.writeBytes(r.piecesRoot()).writeInt(r.baseLayer()).writeInt(r.index()).writeInt(r.length()).writeInt(r.proofLayers());
    }

    private static int payloadLength(PeerMessage msg) {
        if (msg instanceof Have || msg instanceof SuggestPiece || msg instanceof AllowedFast) {
            return 4;
        } else if (msg instanceof Request || msg instanceof Cancel || msg instanceof RejectRequest) {
            return 12;
        } else if (msg instanceof BitfieldMessage m) {
            return m.length();
        } else if (msg instanceof Piece m) {
            return 8 + m.block().length;
        } else if (msg instanceof InboundPiece m) {
            return 8 + m.length();
        } else if (msg instanceof Port) {
            return 2;
        } else if (msg instanceof Extended m) {
            return 1 + m.payload().length;
        } else if (msg instanceof HashRequest || msg instanceof HashReject) {
            return HashRange.HEADER_LENGTH;
        } else if (msg instanceof Hashes m) {
            return HashRange.HEADER_LENGTH + m.hashes().length;
        }
        return 0;
    }
}
