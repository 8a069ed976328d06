package dev.magnetar.metadata;

import dev.magnetar.wire.ExtensionPeer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.MutableClock;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MetadataServerTest {

    private static final byte[] METADATA = MetadataFixtures.infoDictionary(40_000, 3);

    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
    private final FakeExtensionPeer peer = new FakeExtensionPeer("127.0.0.1", 2001).offering("ut_metadata", 4);

    @Test
    void servesEveryPieceAndTheyMakeUpTheMetadata() throws Exception {
        MetadataServer server = new MetadataServer(clock, MetadataServer.Options.defaults());
        server.setMetadata(METADATA);
        assertEquals(OptionalInt.of(METADATA.length), server.metadataSize());
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            server.serve(peer, new UtMetadataMessage.Request(i));
            List<FakeExtensionPeer.Sent> sent = peer.takeSent();
            assertEquals(1, sent.size());
            assertEquals(4, sent.get(0).remoteId(), "sent under the peer's id for ut_metadata");
            UtMetadataMessage.Data data = assertInstanceOf(UtMetadataMessage.Data.class, UtMetadataCodec.decode(sent.get(0).payload()));
            assertEquals(i, data.piece());
            assertEquals(METADATA.length, data.totalSize());
            assertEquals(i < 2 ? 16384 : METADATA.length - 32768, data.data().length);
            whole.writeBytes(data.data());
        }
        assertArrayEquals(METADATA, whole.toByteArray());
    }

    @Test
    void rejectsIndexesOutsideTheMetadata() {
        MetadataServer server = new MetadataServer(clock, MetadataServer.Options.defaults());
        server.setMetadata(METADATA);
        assertEquals(new UtMetadataMessage.Reject(3), server.answer(peer, 3));
        assertEquals(new UtMetadataMessage.Reject(511), server.answer(peer, 511));
    }

    @Test
    void rejectsWhileItHasNoMetadata() {
        MetadataServer server = new MetadataServer(clock, MetadataServer.Options.defaults());
        assertTrue(server.metadataSize().isEmpty());
        assertEquals(new UtMetadataMessage.Reject(0), server.answer(peer, 0));
    }

    @Test
    void limitsEachPeerToItsRateWithABurst() {
        MetadataServer server = new MetadataServer(clock, new MetadataServer.Options(4, 2));
        FakeExtensionPeer other = new FakeExtensionPeer("127.0.0.1", 2002).offering("ut_metadata", 4);
        server.setMetadata(METADATA);
        // Burst of 2 above the first piece: pieces 1-3 pass at the same instant, the fourth does not.
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(UtMetadataMessage.Data.class, server.answer(peer, i % 3), "request " + i);
        }
        assertEquals(new UtMetadataMessage.Reject(0), server.answer(peer, 0));
        assertInstanceOf(UtMetadataMessage.Data.class, server.answer(other, 0), "another peer has its own allowance");
        clock.advance(Duration.ofMillis(250)); // 4 pieces per second: one more is due
        assertInstanceOf(UtMetadataMessage.Data.class, server.answer(peer, 0));
        assertEquals(new UtMetadataMessage.Reject(1), server.answer(peer, 1));
    }

    @Test
    void sendsNothingToAPeerThatDidNotEnableUtMetadata() {
        MetadataServer server = new MetadataServer(clock, MetadataServer.Options.defaults());
        server.setMetadata(METADATA);
        FakeExtensionPeer mute = new FakeExtensionPeer("127.0.0.1", 2003);
        server.serve(mute, new UtMetadataMessage.Request(0));
        assertTrue(mute.takeSent().isEmpty());
    }
}
