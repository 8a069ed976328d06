package dev.magnetar.wire;

import static dev.magnetar.wire.WireFixtures.INFO_HASH;
import static dev.magnetar.wire.WireFixtures.OTHER_INFO_HASH;
import static dev.magnetar.wire.WireFixtures.encode;
import static dev.magnetar.wire.WireFixtures.peerId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.wire.PeerMessage.Have;
import dev.magnetar.wire.PeerMessage.HaveAll;
import dev.magnetar.wire.PeerMessage.Interested;
import dev.magnetar.wire.PeerProtocolException.Violation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The handshake flow and the switch to messages, on an in-memory channel. */
class WirePipelineTest {

    private static final Handshake OURS = Handshake.of(INFO_HASH, peerId("-MG0001"), true, true, false);
    private static final Handshake THEIRS = Handshake.of(INFO_HASH, peerId("-LT2080"), true, true, true);

    private static ByteBuf wire(Handshake h, List<PeerMessage> after) {
        ByteBuf buf = Unpooled.buffer();
        HandshakeEncoder.write(h, buf);
        buf.writeBytes(encode(after));
        return buf;
    }

    private static ByteBuf handshakeBytes(Handshake h) {
        return wire(h, List.of());
    }

    private static EmbeddedChannel outgoing(CollectingHandler engine, WireOptions options) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ChannelPipeline p = ch.pipeline();
        WirePipeline.installOutgoing(p, options, OURS);
        p.addLast(engine);
        return ch;
    }

    @Test
    void outgoingSendsOurHandshakeThenDeliversEventBeforeMessages() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = outgoing(engine, WireOptions.defaults());
        assertEquals(handshakeBytes(OURS), ch.readOutbound(), "our handshake goes out immediately");

        // Their handshake and two messages arrive in one read: the event must still come first.
        ch.writeInbound(wire(THEIRS, List.of(new HaveAll(), new Have(3))));
        PeerHandshakeCompleted done = assertInstanceOf(PeerHandshakeCompleted.class, engine.next());
        assertTrue(done.outgoing() && done.fastExtension() && done.extensionProtocol());
        assertFalse(done.dht(), "we did not set the DHT bit");
        assertEquals(THEIRS, done.remote());
        assertEquals(new HaveAll(), engine.next());
        assertEquals(new Have(3), engine.next());

        ch.writeOutbound(new Interested());
        ByteBuf out = ch.readOutbound();
        assertEquals(Unpooled.wrappedBuffer(encode(List.of(new Interested()))), out);
        assertNotNull(ch.pipeline().get(WirePipeline.MESSAGE_DECODER));
        assertNull(ch.pipeline().get(WirePipeline.HANDSHAKE_DECODER));
        assertTrue(ch.isOpen());
    }

    @Test
    void fastMessagesAreRefusedWhenThePeerDidNotSetTheBit() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = outgoing(engine, WireOptions.defaults());
        Handshake noFast = Handshake.of(INFO_HASH, peerId("-XX0001"), false, false, false);
        ch.writeInbound(wire(noFast, List.of(new HaveAll())));
        assertFalse(engine.handshake.get(1, TimeUnit.SECONDS).fastExtension());
        PeerProtocolException e = assertInstanceOf(PeerProtocolException.class, engine.error.get(1, TimeUnit.SECONDS));
        assertEquals(Violation.FAST_EXTENSION_NOT_NEGOTIATED, e.violation());
        assertFalse(ch.isOpen());
    }

    @Test
    void outgoingClosesWhenThePeerAnswersForAnotherTorrent() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = outgoing(engine, WireOptions.defaults());
        ch.writeInbound(handshakeBytes(Handshake.of(OTHER_INFO_HASH, peerId("-LT2080"), true, true, true)));
        PeerProtocolException e = assertInstanceOf(PeerProtocolException.class, engine.error.get(1, TimeUnit.SECONDS));
        assertEquals(Violation.UNKNOWN_INFO_HASH, e.violation());
        assertFalse(ch.isOpen());
        assertFalse(engine.handshake.isDone());
    }

    /** A hybrid dialled by its v1 hash with BEP 52's bit (INFO_HASH), whose v2 swarm is OTHER_INFO_HASH. */
    private static EmbeddedChannel dialledHybrid(CollectingHandler engine) {
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.installOutgoing(ch.pipeline(), WireOptions.defaults(),
                Handshake.of(INFO_HASH, peerId("-MG0001"), true, true, false, true), OTHER_INFO_HASH);
        ch.pipeline().addLast(engine);
        return ch;
    }

    @Test
    void aHybridPeerThatAnswersWithTheV2HashMakesTheConnectionOneOfTheV2Swarm() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = dialledHybrid(engine);
        // libtorrent 2.0, dialled with a hybrid's v1 hash and the bit, answers with the v2 hash and no bit.
        ch.writeInbound(handshakeBytes(Handshake.of(OTHER_INFO_HASH, peerId("-LT2080"), true, true, true)));
        PeerHandshakeCompleted done = engine.handshake.get(1, TimeUnit.SECONDS);
        assertEquals(OTHER_INFO_HASH, done.local().infoHash());
        assertTrue(done.v2(), "hash messages belong on it");
        assertTrue(ch.isOpen());
    }

    @Test
    void aHybridPeerThatAnswersWithTheV1HashStaysOnV1() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = dialledHybrid(engine);
        ch.writeInbound(handshakeBytes(Handshake.of(INFO_HASH, peerId("-TR3000"), true, true, false)));
        PeerHandshakeCompleted done = engine.handshake.get(1, TimeUnit.SECONDS);
        assertEquals(INFO_HASH, done.local().infoHash());
        assertFalse(done.v2(), "a peer that did not take the offer gets no hash messages from us");
        assertTrue(ch.isOpen());
    }

    @Test
    void aPeerAnsweringWithTheV2HashWithoutTheOfferIsRefused() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = outgoing(engine, WireOptions.defaults());
        ch.writeInbound(handshakeBytes(Handshake.of(OTHER_INFO_HASH, peerId("-LT2080"), true, true, true)));
        assertInstanceOf(PeerProtocolException.class, engine.error.get(1, TimeUnit.SECONDS));
        assertFalse(ch.isOpen());
    }

    @Test
    void incomingWaitsForThePeerAndAnswersWithTheListenersHandshake() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.installIncoming(ch.pipeline(), WireOptions.defaults(),
                (remote, address) -> remote.infoHash().equals(INFO_HASH) ? OURS : null);
        ch.pipeline().addLast(engine);
        assertNull(ch.readOutbound(), "an incoming connection does not speak first");

        ch.writeInbound(wire(THEIRS, List.of(new Interested())));
        assertEquals(handshakeBytes(OURS), ch.readOutbound());
        PeerHandshakeCompleted done = assertInstanceOf(PeerHandshakeCompleted.class, engine.next());
        assertFalse(done.outgoing());
        assertEquals(new Interested(), engine.next());
    }

    @Test
    void incomingForAnUnknownTorrentIsClosedWithoutAnswer() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.installIncoming(ch.pipeline(), WireOptions.defaults(), (remote, address) -> null);
        ch.pipeline().addLast(engine);
        ch.writeInbound(wire(THEIRS, List.of(new Interested())));
        assertNull(ch.readOutbound());
        PeerProtocolException e = assertInstanceOf(PeerProtocolException.class, engine.error.get(1, TimeUnit.SECONDS));
        assertEquals(Violation.UNKNOWN_INFO_HASH, e.violation());
        assertFalse(ch.isOpen());
        assertTrue(engine.received.isEmpty(), "nothing behind a refused handshake reaches the engine");
    }

    @Test
    void aFailingListenerClosesTheConnection() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = new EmbeddedChannel();
        WirePipeline.installIncoming(ch.pipeline(), WireOptions.defaults(), (remote, address) -> {
            throw new IllegalStateException("engine bug");
        });
        ch.pipeline().addLast(engine);
        ch.writeInbound(handshakeBytes(THEIRS));
        assertEquals("engine bug", engine.error.get(1, TimeUnit.SECONDS).getMessage());
        assertFalse(ch.isOpen());
        assertFalse(engine.handshake.isDone());
    }

    @Test
    void handshakeTimeoutClosesTheConnection() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = outgoing(engine, WireOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(10)));
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        PeerTimeoutException e = assertInstanceOf(PeerTimeoutException.class, engine.error.get(1, TimeUnit.SECONDS));
        assertEquals(PeerTimeoutException.Phase.HANDSHAKE, e.phase());
        assertFalse(ch.isOpen());
    }

    @Test
    void completedHandshakeCancelsItsTimeout() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = outgoing(engine, WireOptions.defaults().withHandshakeTimeout(Duration.ofSeconds(10))
                .withKeepAliveInterval(Duration.ofHours(1)).withInactivityTimeout(Duration.ofHours(1)));
        ch.writeInbound(handshakeBytes(THEIRS));
        ch.advanceTimeBy(11, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        assertFalse(engine.error.isDone());
    }

    @Test
    void garbageInsteadOfAHandshakeClosesTheConnection() throws Exception {
        CollectingHandler engine = new CollectingHandler();
        EmbeddedChannel ch = outgoing(engine, WireOptions.defaults());
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x13, 'X'}));
        PeerProtocolException e = assertInstanceOf(PeerProtocolException.class, engine.error.get(1, TimeUnit.SECONDS));
        assertEquals(Violation.BAD_HANDSHAKE, e.violation());
        assertFalse(ch.isOpen());
    }

    @Test
    void installSetsTheRecommendedWaterMarks() {
        EmbeddedChannel ch = outgoing(new CollectingHandler(), WireOptions.defaults());
        assertEquals(4 << 20, ch.config().getWriteBufferHighWaterMark());
        assertEquals(1 << 20, ch.config().getWriteBufferLowWaterMark());
    }
}
