package dev.magnetar.engine;

import dev.magnetar.storage.TorrentStorage;
import dev.magnetar.wire.PeerLink;
import dev.magnetar.wire.PeerMessage;
import dev.magnetar.wire.RequestQueueSizer;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Our upload to one peer: its queued requests, the disk reads that serve them, and the upload rate
 * limit. Whether a request may be served at all (a verified piece, a valid block) the connection
 * decides before {@link #request}; this class owns choking — BEP 3's word for "we serve this peer".
 *
 * <p>Blocks are read from disk off the loop, several requests in one read when they continue each
 * other ({@link #MAX_READ_RUN_BYTES}), straight into the transport's buffer. The rate limiter is asked
 * before each read; when it is empty the next attempt waits until it refills. Reads pause while the
 * transport cannot take more, so a slow reader cannot make us buffer without bound.
 *
 * <p>Not thread-safe: used on the connection's torrent loop ({@code loop}) only; read completions
 * hop back onto it.
 */
final class BlockServer {

    private static final Logger log = LoggerFactory.getLogger(BlockServer.class);

    /** Our BEP 10 {@code reqq}: how many of the peer's requests we queue before rejecting. */
    static final int OUR_REQQ = 500;
    /**
     * Disk reads in flight for one peer, each of up to {@link #MAX_READ_RUN_BYTES}: at most 512 KiB of
     * direct memory per uploading peer, and enough to keep a fast pipe full from the page cache (16 made
     * no difference in bench/swarm --upload).
     */
    static final int MAX_READS_IN_FLIGHT = 4;
    /** The most bytes of requested blocks one disk read serves: storage's block limit, 8 blocks of 16 KiB. */
    static final int MAX_READ_RUN_BYTES = TorrentStorage.MAX_BLOCK_LENGTH;

    /** Where the blocks come from and whom they are accounted to. */
    interface Source {

        /** Reads a run of blocks, off the caller's thread. */
        CompletableFuture<Void> readInto(int piece, int begin, ByteBuffer destination);

        /** The limiter the next block is paid from (it may change as paid slots come and go). */
        RateLimiter uploadLimiter();

        /** A read failed: storage trouble is the torrent's to handle. */
        void readFailed(Throwable error);

        /** A block of {@code bytes} was written to the peer, in stream order (speed-extension.md §2 meters here). */
        void blockSent(int bytes);
    }

    private final Source source;
    private final PeerLink link;
    private final ScheduledExecutorService loop;
    private final boolean fast;
    private final Object peer;

    private final ArrayDeque<PeerMessage.Request> queue = new ArrayDeque<>();
    private boolean choking = true;
    private boolean closed;
    private int readsInFlight;
    private long credit;
    private boolean retryScheduled;

    /**
     * @param fast whether the peer speaks BEP 6: then every request we drop gets a reject
     * @param peer names the peer in logs
     */
    BlockServer(Source source, PeerLink link, ScheduledExecutorService loop, boolean fast, Object peer) {
        this.source = source;
        this.link = link;
        this.loop = loop;
        this.fast = fast;
        this.peer = peer;
    }

    boolean isChoking() {
        return choking;
    }

    /** Requests queued and not yet read. */
    int queued() {
        return queue.size();
    }

    /** Queues a request the connection found servable; rejected if we choke the peer or the queue is full. */
    void request(PeerMessage.Request r) {
        if (choking || queue.size() >= OUR_REQQ) {
            reject(r);
            return;
        }
        queue.add(r);
        serve();
    }

    /** BEP 6: every request gets a piece or a reject; BEP 3 peers just see nothing come back. */
    void reject(PeerMessage.Request r) {
        if (fast) {
            link.write(new PeerMessage.RejectRequest(r.piece(), r.begin(), r.length()));
            link.flush();
        }
    }

    /** BEP 3 "cancel": a queued request is dropped; one already being read is sent anyway. */
    void cancel(PeerMessage.Cancel c) {
        queue.remove(new PeerMessage.Request(c.piece(), c.begin(), c.length()));
    }

    /** We choke the peer: BEP 3 discards its queued requests; BEP 6 rejects each explicitly. */
    void choke() {
        choking = true;
        List<PeerMessage.Request> dropped = new ArrayList<>(queue);
        queue.clear();
        dropped.forEach(this::reject);
    }

    void unchoke() {
        choking = false;
    }

    /** The connection closed: nothing more is served. */
    void close() {
        closed = true;
        queue.clear();
    }

    /** Starts reads for queued requests while the transport has room, reads are free and credit allows. */
    void serve() {
        while (!closed && !queue.isEmpty() && link.isWritable() && readsInFlight < MAX_READS_IN_FLIGHT) {
            List<PeerMessage.Request> run = takeReadRun();
            if (run.isEmpty()) {
                return; // no upload credit: a retry is scheduled
            }
            int length = bytesOf(run);
            ByteBuf data = link.allocateBlocks(length);
            readsInFlight++;
            PeerMessage.Request first = run.get(0);
            source.readInto(first.piece(), first.begin(), data.nioBuffer(0, length))
                    .whenComplete((v, error) -> {
                        try {
                            loop.execute(() -> runRead(run, data.writerIndex(error == null ? length : 0), error));
                        } catch (RejectedExecutionException shuttingDown) {
                            data.release(); // the loop is shutting down with the engine
                        }
                    });
        }
    }

    /**
     * Takes from the queue the requests one disk read can serve: the first, and those after it that
     * continue it in the same piece (peers ask for a piece's blocks in order), up to
     * {@link #MAX_READ_RUN_BYTES} and as far as the upload limit allows. Empty if even the first must
     * wait for upload credit; a retry is then scheduled.
     */
    private List<PeerMessage.Request> takeReadRun() {
        List<PeerMessage.Request> run = new ArrayList<>(MAX_READ_RUN_BYTES / RequestQueueSizer.BLOCK_LENGTH);
        int bytes = 0;
        PeerMessage.Request last = null;
        while (!queue.isEmpty()) {
            PeerMessage.Request r = queue.peek();
            boolean continues = last == null || (r.piece() == last.piece() && r.begin() == last.begin() + last.length()
                    && bytes + r.length() <= MAX_READ_RUN_BYTES);
            if (!continues || !takeCredit(r.length(), last == null)) {
                break;
            }
            queue.poll();
            run.add(r);
            bytes += r.length();
            last = r;
        }
        return run;
    }

    private static int bytesOf(List<PeerMessage.Request> run) {
        int bytes = 0;
        for (PeerMessage.Request r : run) {
            bytes += r.length();
        }
        return bytes;
    }

    /** Whether {@code bytes} of upload credit are ours now; if not and {@code retry}, serving resumes once they are. */
    private boolean takeCredit(int bytes, boolean retry) {
        if (credit < bytes) {
            RateLimiter limiter = source.uploadLimiter();
            credit += limiter.tryAcquire(bytes - credit);
            if (credit < bytes) {
                if (retry) {
                    scheduleRetry(limiter.nanosUntilAvailable(bytes - credit));
                }
                return false;
            }
        }
        credit -= bytes;
        return true;
    }

    private void scheduleRetry(long nanos) {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        loop.schedule(() -> {
            retryScheduled = false;
            serve();
        }, Math.max(nanos, 100_000L), TimeUnit.NANOSECONDS);
    }

    /** A run of requested blocks is read ({@code data}, which this releases), or failed to be. */
    private void runRead(List<PeerMessage.Request> run, ByteBuf data, Throwable error) {
        readsInFlight--;
        try {
            if (closed) {
                return;
            }
            if (error != null || choking) {
                if (error != null) {
                    log.debug("{}: cannot serve {}: {}", peer, run, error.toString());
                    source.readFailed(error); // a file gone or short while seeding is the torrent's problem
                }
                run.forEach(this::reject);
            } else {
                link.writeBlocks(run, data);
                link.flush();
                for (PeerMessage.Request r : run) {
                    source.blockSent(r.length());
                }
            }
        } finally {
            data.release();
        }
        serve();
    }
}
