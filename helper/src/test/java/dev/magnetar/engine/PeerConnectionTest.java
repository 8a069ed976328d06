package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.storage.Bitfield;
import dev.magnetar.testing.TestTorrents;
import dev.magnetar.wire.ExtensionHandshake;
import dev.magnetar.wire.Handshake;
import dev.magnetar.wire.PeerHandshakeCompleted;
import dev.magnetar.wire.PeerMessage;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer state machine at the record level: {@link PeerMessage}s in, {@link PeerMessage}s out on a
 * recording transport, over a stand-in torrent with a real picker. No socket, no Netty pipeline.
 */
class PeerConnectionTest {

    private static final int BLOCK = 16 * 1024;
    private static final int PIECES = 10;
    private static final InetSocketAddress ADDRESS = new InetSocketAddress("127.0.0.1", 51413);

    @TempDir
    Path root;

    private TorrentInfo info;
    private final RecordingPeerLink link = new RecordingPeerLink();
    private TestPeerHost host;

    @BeforeEach
    void tenPiecesOfTwoBlocks() {
        info = TestTorrents.singleFile(root, "ten", 2 * BLOCK, (long) PIECES * 2 * BLOCK, 3);
    }

    @AfterEach
    void closeLoop() {
        if (host != null) {
            host.loop.finishAndReleaseAll();
        }
    }

    private PeerConnection connect(TestPeerHost h, boolean fast) {
        host = h;
        Handshake ours = Handshake.of(info.infoHash(), "-MG0000-ourselves123".getBytes(StandardCharsets.US_ASCII), fast, true, false);
        Handshake theirs = Handshake.of(info.infoHash(), "-TT0001-testtesttest".getBytes(StandardCharsets.US_ASCII), fast, true, false);
        PeerConnection c = new PeerConnection(h, link, ADDRESS, new PeerHandshakeCompleted(ours, theirs, true));
        c.opened();
        return c;
    }

    private TestPeerHost having(int... pieces) {
        Bitfield verified = new Bitfield(PIECES);
        for (int p : pieces) {
            verified.set(p);
        }
        return new TestPeerHost(info, verified);
    }

    /** A block as the decoder hands it over; the transport releases it, so the test does. */
    private static void deliver(PeerConnection c, BlockRequest b) {
        PeerMessage.InboundPiece p = new PeerMessage.InboundPiece(b.piece(), b.offset(), Unpooled.wrappedBuffer(new byte[b.length()]));
        try {
            c.receive(p);
        } finally {
            p.release();
        }
    }

    private static BlockRequest blockOf(PeerMessage.Request r) {
        return new BlockRequest(r.piece(), r.begin(), r.length());
    }

    @Test
    void aCompleteSeederOpensWithHaveAllThenItsExtensionHandshake() throws Exception {
        connect(new TestPeerHost(info, Bitfield.full(PIECES)), true);

        assertEquals(new PeerMessage.HaveAll(), link.written.get(0), "BEP 6: have-all as the first message");
        PeerMessage.Extended ext = (PeerMessage.Extended) link.written.get(1);
        assertEquals(PeerMessage.Extended.HANDSHAKE_ID, ext.extendedId());
        assertEquals(BlockServer.OUR_REQQ, ExtensionHandshake.decode(ext.payload()).reqq().orElse(-1));
        assertEquals(1, host.admitted.size());
    }

    @Test
    void aPeerTheTorrentRefusesIsClosedAndToldNothing() {
        TestPeerHost h = having();
        h.refusal = "banned";
        PeerConnection c = connect(h, true);

        assertTrue(link.closed);
        assertEquals(List.of(), link.written);
        assertFalse(c.isOpen());
    }

    @Test
    void aSeedThatUnchokesUsGetsOurInterestThenAQueueOfRequests() {
        PeerConnection c = connect(having(), true);
        link.written.clear();

        c.receive(new PeerMessage.HaveAll());
        assertEquals(List.of(new PeerMessage.Interested()), link.written, "BEP 3: interested in a seed we need");
        assertEquals(List.of(), link.written(PeerMessage.Request.class), "nothing asked while it chokes us");

        c.receive(new PeerMessage.Unchoke());
        List<PeerMessage.Request> asked = link.written(PeerMessage.Request.class);
        assertFalse(asked.isEmpty());
        assertEquals(asked.size(), host.picker().outstandingCount(c), "each request recorded once, in the picker");
    }

    @Test
    void aBlockWeAskedForIsAcceptedAndMeteredOnceAndItsRepeatIsWastedUnmetered() {
        PeerConnection c = connect(having(), true);
        c.receive(new PeerMessage.HaveAll());
        c.receive(new PeerMessage.Unchoke());
        BlockRequest b = blockOf(link.written(PeerMessage.Request.class).get(0));

        deliver(c, b);
        assertEquals(List.of(new TestPeerHost.Metered(b.piece(), BLOCK)), host.metered);
        assertEquals(List.of(new TestPeerHost.Accepted(b, BlockArrival.Status.ACCEPTED)), host.accepted);

        deliver(c, b);
        assertEquals(1, host.metered.size(), "speed-extension.md P3: a repeat is never metered");
        assertEquals(BLOCK, host.wasted);
        assertEquals(2L * BLOCK, host.downloaded);
        assertTrue(c.isOpen(), "one repeat is within the allowance");
    }

    @Test
    void pastTheAllowanceOfUnrequestedBlocksThePeerIsCutOffAndNotDialledAgain() {
        PeerConnection c = connect(having(), true);
        c.receive(new PeerMessage.HaveAll());
        for (int i = 0; i <= UnrequestedBlocks.ALLOWANCE; i++) {
            deliver(c, new BlockRequest(i / 2, (i % 2) * BLOCK, BLOCK));
        }

        assertEquals(List.of(), host.metered, "nothing we did not ask for is metered");
        assertFalse(c.isOpen());
        assertTrue(link.closed);
        assertEquals(1, host.doNotReconnect.size());
        assertTrue(host.doNotReconnect.get(0).contains("did not ask for"), host.doNotReconnect.toString());
    }

    @Test
    void availabilityThatArrivesBeforeTheMetadataIsKeptAndReplayedOnceItArrives() {
        TestPeerHost magnet = new TestPeerHost();
        PeerConnection c = connect(magnet, true);
        assertEquals(List.of(new PeerMessage.HaveNone()), link.written(PeerMessage.HaveNone.class),
                "BEP 6: a first message even before we know the pieces");
        c.receive(new PeerMessage.Have(7));
        assertEquals(List.of(), link.written(PeerMessage.Interested.class), "a have means nothing without the metadata");

        magnet.metadataArrived(info, new Bitfield(PIECES));
        c.metadataReady();

        assertEquals(1, magnet.picker().availability(7));
        assertEquals(List.of(new PeerMessage.Interested()), link.written(PeerMessage.Interested.class));
    }

    @Test
    void aBep3ChokeGivesOurRequestsBackButABep6PeerRejectsThemOneByOne() {
        PeerConnection plain = connect(having(), false);
        plain.receive(new PeerMessage.HaveAll());
        plain.receive(new PeerMessage.Unchoke());
        assertTrue(host.picker().outstandingCount(plain) > 0);
        plain.receive(new PeerMessage.Choke());
        assertEquals(0, host.picker().outstandingCount(plain), "BEP 3: a choke drops every request");

        TestPeerHost other = having();
        PeerConnection fast = connect(other, true);
        fast.receive(new PeerMessage.HaveAll());
        fast.receive(new PeerMessage.Unchoke());
        int asked = other.picker().outstandingCount(fast);
        fast.receive(new PeerMessage.Choke());
        assertEquals(asked, other.picker().outstandingCount(fast), "BEP 6: requests stand until rejected");
        other.loop.finishAndReleaseAll();
    }

    @Test
    void onlyRequestsForVerifiedPiecesAreServedAndTheRestRejected() {
        PeerConnection c = connect(having(0), true);
        c.unchoke();
        link.written.clear();

        c.receive(new PeerMessage.Request(1, 0, BLOCK));
        assertEquals(List.of(new PeerMessage.RejectRequest(1, 0, BLOCK)), link.written(PeerMessage.RejectRequest.class));

        c.receive(new PeerMessage.Request(0, BLOCK, BLOCK));
        host.loop.runPendingTasks(); // the read completes on the torrent's loop
        assertEquals(List.of(List.of(new PeerMessage.Request(0, BLOCK, BLOCK))),
                link.written(RecordingPeerLink.Blocks.class).stream().map(RecordingPeerLink.Blocks::run).toList());
        assertEquals(List.of(BLOCK), host.sent, "metered where written (speed-extension.md §2)");
    }

    @Test
    void aHaveForAPieceBeyondTheTorrentIsAViolation() {
        PeerConnection c = connect(having(), true);
        c.receive(new PeerMessage.Have(PIECES));

        assertFalse(c.isOpen());
        assertEquals(List.of("have for piece 10 of 10"), host.doNotReconnect);
    }
}
