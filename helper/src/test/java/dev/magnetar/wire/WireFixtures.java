package dev.magnetar.wire;

import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.wire.PeerMessage.AllowedFast;
import dev.magnetar.wire.PeerMessage.BitfieldMessage;
import dev.magnetar.wire.PeerMessage.Cancel;
import dev.magnetar.wire.PeerMessage.Choke;
import dev.magnetar.wire.PeerMessage.Extended;
import dev.magnetar.wire.PeerMessage.Have;
import dev.magnetar.wire.PeerMessage.HaveAll;
import dev.magnetar.wire.PeerMessage.HaveNone;
import dev.magnetar.wire.PeerMessage.InboundPiece;
import dev.magnetar.wire.PeerMessage.Interested;
import dev.magnetar.wire.PeerMessage.KeepAlive;
import dev.magnetar.wire.PeerMessage.NotInterested;
import dev.magnetar.wire.PeerMessage.Piece;
import dev.magnetar.wire.PeerMessage.Port;
import dev.magnetar.wire.PeerMessage.RejectRequest;
import dev.magnetar.wire.PeerMessage.Request;
import dev.magnetar.wire.PeerMessage.SuggestPiece;
import dev.magnetar.wire.PeerMessage.Unchoke;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shared values for the wire tests. */
final class WireFixtures {

    static final InfoHash INFO_HASH = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
    static final InfoHash OTHER_INFO_HASH = InfoHash.fromHex("fedcba9876543210fedcba9876543210fedcba98");

    private WireFixtures() {}

    static byte[] peerId(String tag) {
        return Arrays.copyOf((tag + "-000000000000000000000").getBytes(StandardCharsets.US_ASCII), 20);
    }

    /** One of every message kind. */
    static List<PeerMessage> everyMessage() {
        byte[] block = new byte[16 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 31 + 7);
        }
        return List.of(
                new KeepAlive(), new Choke(), new Unchoke(), new Interested(), new NotInterested(),
                new Have(41), new BitfieldMessage(new byte[] {(byte) 0xff, 0x00, (byte) 0x80}),
                new Request(3, 16384, 16384), new Piece(3, 16384, block), new Cancel(3, 16384, 16384),
                new Port(6881), new SuggestPiece(7), new HaveAll(), new HaveNone(),
                new RejectRequest(3, 0, 16384), new AllowedFast(9),
                new Extended(0, "d1:md11:ut_metadatai3eee".getBytes(StandardCharsets.US_ASCII)),
                new Extended(3, new byte[0]),
                new PeerMessage.HashRequest(new HashRange(root(), 2, 512, 512, 10)),
                new PeerMessage.Hashes(new HashRange(root(), 2, 4, 4, 3), hashes(4 + 2)),
                new PeerMessage.HashReject(new HashRange(root(), 0, 0, 2, 0)));
    }

    /** A made-up BEP 52 pieces root. */
    static byte[] root() {
        byte[] root = new byte[HashRange.HASH_LENGTH];
        for (int i = 0; i < root.length; i++) {
            root[i] = (byte) (0xa0 + i);
        }
        return root;
    }

    /** {@code count} made-up 32-byte hashes, concatenated. */
    static byte[] hashes(int count) {
        byte[] hashes = new byte[count * HashRange.HASH_LENGTH];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = (byte) (i * 13 + 1);
        }
        return hashes;
    }

    static byte[] encode(List<PeerMessage> messages) {
        ByteBuf buf = Unpooled.buffer();
        for (PeerMessage m : messages) {
            PeerMessageEncoder.write(m, buf);
        }
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        return bytes;
    }

    /** A channel with just the message decoder, fast extension negotiated. */
    static EmbeddedChannel decoderChannel(WireOptions options) {
        return new EmbeddedChannel(new PeerMessageDecoder(options, true));
    }

    /** What the decoder produced, received blocks copied to {@link Piece} values (and released). */
    static List<Object> drainInbound(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            out.add(asValue(o));
        }
        return out;
    }

    /**
     * {@code decoded} as an immutable value for comparisons: an {@link InboundPiece} becomes the
     * {@link Piece} with the same bytes and is released, as its receiver must; anything else is itself.
     */
    static Object asValue(Object decoded) {
        if (decoded instanceof InboundPiece p) {
            try {
                return p.toPiece();
            } finally {
                p.release();
            }
        }
        return decoded;
    }
}
