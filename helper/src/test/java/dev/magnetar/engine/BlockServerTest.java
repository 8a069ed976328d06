package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.wire.PeerMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upload path at the record level: requests in, reads and "piece" runs out, with the event loop of
 * an {@link EmbeddedChannel} run by hand and a hand-driven clock for the rate limit.
 */
class BlockServerTest {

    private static final int BLOCK = 16 * 1024;

    /** Storage that fills each read with the byte (piece + offset / BLOCK), and keeps reads pending on request. */
    private final class Disk implements BlockServer.Source {
        final List<CompletableFuture<Void>> reads = new ArrayList<>();
        boolean holdReads;
        RateLimiter limiter = RateLimiter.unlimited(nanos::get);
        final List<Integer> sent = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();

        @Override
        public CompletableFuture<Void> readInto(int piece, int begin, ByteBuffer destination) {
            int offset = begin;
            while (destination.hasRemaining()) {
                destination.put((byte) (piece + offset / BLOCK));
                offset++;
            }
            CompletableFuture<Void> read = holdReads ? new CompletableFuture<>() : CompletableFuture.completedFuture(null);
            reads.add(read);
            return read;
        }

        @Override
        public RateLimiter uploadLimiter() {
            return limiter;
        }

        @Override
        public void readFailed(Throwable error) {
            failures.add(error);
        }

        @Override
        public void blockSent(int bytes) {
            sent.add(bytes);
        }
    }

    private final AtomicLong nanos = new AtomicLong(1_000);
    private final EmbeddedChannel loop = new EmbeddedChannel();
    private final Disk disk = new Disk();
    private final RecordingPeerLink link = new RecordingPeerLink();

    private BlockServer server(boolean fast) {
        return new BlockServer(disk, link, loop.eventLoop(), fast, "peer");
    }

    @BeforeEach
    void freezeTheLoopsClock() {
        loop.freezeTime();
    }

    @AfterEach
    void close() {
        loop.finishAndReleaseAll();
    }

    private static PeerMessage.Request block(int piece, int index) {
        return new PeerMessage.Request(piece, index * BLOCK, BLOCK);
    }

    private List<RecordingPeerLink.Blocks> runs() {
        return link.written(RecordingPeerLink.Blocks.class);
    }

    @Test
    void queuedRequestsThatContinueEachOtherAreServedByOneReadInOrder() {
        BlockServer server = server(true);
        server.unchoke();
        link.writable = false; // let them queue up
        server.request(block(2, 0));
        server.request(block(2, 1));
        server.request(block(2, 2));
        server.request(block(7, 0)); // another piece: a read of its own
        link.writable = true;
        server.serve();
        loop.runPendingTasks();

        assertEquals(List.of(List.of(block(2, 0), block(2, 1), block(2, 2)), List.of(block(7, 0))),
                runs().stream().map(RecordingPeerLink.Blocks::run).toList());
        assertEquals(2, disk.reads.size());
        byte[] expected = new byte[3 * BLOCK];
        for (int i = 0; i < 3; i++) {
            Arrays.fill(expected, i * BLOCK, (i + 1) * BLOCK, (byte) (2 + i));
        }
        assertArrayEquals(expected, runs().get(0).data());
        assertEquals(List.of(BLOCK, BLOCK, BLOCK, BLOCK), disk.sent, "each block metered where written");
        assertTrue(link.allocated.stream().allMatch(b -> b.refCnt() == 0), "every read buffer released");
    }

    @Test
    void aChokedPeersRequestsAreRejectedUnderBep6AndIgnoredUnderBep3() {
        BlockServer fast = server(true);
        fast.request(block(0, 0));
        assertEquals(List.of(new PeerMessage.RejectRequest(0, 0, BLOCK)), link.written(PeerMessage.RejectRequest.class));

        link.written.clear();
        BlockServer plain = server(false);
        plain.request(block(0, 0));
        loop.runPendingTasks();
        assertEquals(List.of(), link.written, "BEP 3: nothing comes back");
        assertTrue(disk.reads.isEmpty());
    }

    @Test
    void chokingRejectsTheQueueAndAReadThatCompletesAfterwardsIsRejectedNotSent() {
        BlockServer server = server(true);
        server.unchoke();
        disk.holdReads = true;
        server.request(block(1, 0)); // read in flight
        link.writable = false;
        server.request(block(5, 0)); // queued: the transport is full

        server.choke();
        assertEquals(List.of(new PeerMessage.RejectRequest(5, 0, BLOCK)), link.written(PeerMessage.RejectRequest.class));

        disk.reads.get(0).complete(null);
        loop.runPendingTasks();
        assertEquals(List.of(new PeerMessage.RejectRequest(5, 0, BLOCK), new PeerMessage.RejectRequest(1, 0, BLOCK)),
                link.written(PeerMessage.RejectRequest.class));
        assertEquals(List.of(), runs());
        assertEquals(List.of(), disk.sent, "nothing metered that was not sent");
        assertEquals(0, link.allocated.get(0).refCnt());
    }

    @Test
    void pastOurReqqRequestsAreRejected() {
        BlockServer server = server(true);
        server.unchoke();
        link.writable = false; // nothing leaves the queue
        for (int i = 0; i < BlockServer.OUR_REQQ; i++) {
            server.request(block(i / 4, i % 4));
        }
        assertEquals(List.of(), link.written(PeerMessage.RejectRequest.class));
        assertEquals(BlockServer.OUR_REQQ, server.queued());

        server.request(block(999, 0));
        assertEquals(List.of(new PeerMessage.RejectRequest(999, 0, BLOCK)), link.written(PeerMessage.RejectRequest.class));
    }

    @Test
    void aCancelledQueuedRequestIsNeverRead() {
        BlockServer server = server(true);
        server.unchoke();
        link.writable = false;
        server.request(block(3, 0));
        server.request(block(3, 1));
        server.cancel(new PeerMessage.Cancel(3, 0, BLOCK));
        link.writable = true;
        server.serve();
        loop.runPendingTasks();

        assertEquals(List.of(List.of(block(3, 1))), runs().stream().map(RecordingPeerLink.Blocks::run).toList());
    }

    @Test
    void aFullTransportPausesReadsUntilItDrains() {
        BlockServer server = server(true);
        server.unchoke();
        link.writable = false;
        server.request(block(0, 0));
        loop.runPendingTasks();
        assertTrue(disk.reads.isEmpty(), "no read while the socket buffer is full");

        link.writable = true;
        server.serve();
        loop.runPendingTasks();
        assertEquals(1, runs().size());
    }

    @Test
    void anEmptyRateLimitDefersTheReadUntilItRefills() {
        disk.limiter = RateLimiter.root(BLOCK, BLOCK, nanos::get);
        disk.limiter.consume(BLOCK); // the bucket is empty
        BlockServer server = server(true);
        server.unchoke();
        server.request(block(0, 0));
        loop.runPendingTasks();
        assertTrue(disk.reads.isEmpty(), "no credit, no read");

        nanos.addAndGet(TimeUnit.SECONDS.toNanos(1));
        loop.advanceTimeBy(1, TimeUnit.SECONDS);
        loop.runScheduledPendingTasks();
        loop.runPendingTasks();
        assertEquals(1, runs().size(), "served once the bucket refilled");
    }

    @Test
    void aFailedReadIsReportedAndItsRequestsRejected() {
        BlockServer server = server(true);
        server.unchoke();
        disk.holdReads = true;
        server.request(block(4, 0));
        IOException gone = new IOException("file vanished");
        disk.reads.get(0).completeExceptionally(gone);
        loop.runPendingTasks();

        assertEquals(List.of(gone), disk.failures);
        assertEquals(List.of(new PeerMessage.RejectRequest(4, 0, BLOCK)), link.written(PeerMessage.RejectRequest.class));
        assertEquals(0, link.allocated.get(0).refCnt());
    }

    @Test
    void aReadThatCompletesAfterTheConnectionClosedIsDroppedAndItsBufferReleased() {
        BlockServer server = server(true);
        server.unchoke();
        disk.holdReads = true;
        server.request(block(6, 0));
        ByteBuf buffer = link.allocated.get(0);

        server.close();
        disk.reads.get(0).complete(null);
        loop.runPendingTasks();

        assertEquals(List.of(), link.written);
        assertEquals(0, buffer.refCnt());
    }
}
