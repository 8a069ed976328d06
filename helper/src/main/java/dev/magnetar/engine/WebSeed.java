package dev.magnetar.engine;

import dev.magnetar.metainfo.TorrentInfo;
import dev.magnetar.webseed.FileRange;
import dev.magnetar.webseed.WebSeedClient;
import dev.magnetar.webseed.WebSeedException;
import dev.magnetar.webseed.WebSeedFiles;
import dev.magnetar.webseed.WebSeedRefusedException;
import dev.magnetar.wire.RateMeter;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One web seed (BEP 19) of a torrent, used like a peer that has every piece and never chokes: it books
 * blocks in the torrent's {@link PiecePicker}, fetches each run of them with HTTP range requests (one
 * per file the run crosses, see {@link WebSeedFiles}) and hands them to the same assemblies and hash
 * check as peers' blocks. A piece that fails its check is charged to it like to a peer (see
 * {@link BanList}): banned, it is dropped for the session and its blocks go to the other sources.
 *
 * <p>At most {@link #maxRequests} requests at once. A failure gives its blocks back and rests the seed
 * ({@link WebSeedBackoff}: the server's {@code Retry-After}, or exponential); a refusal (wrong ranges,
 * a redirect out of its address scope, a server ignoring ranges) drops it.
 *
 * <p>Not thread-safe: used on the torrent's event loop; HTTP completions hop back onto it. The status
 * fields read by {@link #status} from other threads are volatile.
 */
final class WebSeed implements PieceSource {

    private static final Logger log = LoggerFactory.getLogger(WebSeed.class);

    enum State { ACTIVE, BACKING_OFF, DROPPED }

    /**
     * Requests under way at once per web seed: two keep a fast server busy across the gap between one
     * reply and the next request, without opening many connections to a mirror (the client's
     * connections per server are bounded to the same number).
     */
    static final int MAX_REQUESTS = 2;
    /**
     * The most blocks one request asks for: a whole piece (libtorrent asks web seeds for whole pieces
     * too, so a piece has one source and a bad one is charged alone) up to 1 MiB, so that a torrent
     * of 16 MiB pieces does not hold 32 MiB per seed in flight.
     */
    static final int MAX_BLOCKS_PER_REQUEST = (1 << 20) / PieceGeometry.DEFAULT_BLOCK_SIZE;

    private final String entry;
    private final URI url;
    private final Torrent torrent;
    private final WebSeedClient client;
    private final WebSeedBackoff backoff;
    private final int maxRequests;
    private final PeerIdentity identity;
    private final RateMeter rate = new RateMeter(MonotonicClock.NANOS);
    private final AtomicLong downloaded = new AtomicLong();

    private volatile State state = State.ACTIVE;
    private volatile String lastError;
    private volatile int failures;
    private volatile long retryAtNanos;
    private WebSeedFiles files;
    /** The picker it has told "has all" to; a new one (after an error or a recheck) must hear it again. */
    private PiecePicker<PieceSource> picker;
    /** Bumped when it is dropped: HTTP replies to older requests are ignored. */
    private int generation;
    private int inFlight;
    private boolean diskThrottled;
    /** A wake-up is scheduled for when the download limiter has bytes again. */
    private boolean wakeUpScheduled;

    /**
     * @param url the entry checked by {@code WebSeedUrl.parse}; null if it was refused, with {@code refusal} saying why
     */
    WebSeed(String entry, URI url, String refusal, Torrent torrent, WebSeedClient client, WebSeedBackoff backoff,
            int maxRequests) {
        this.entry = entry;
        this.url = url;
        this.torrent = torrent;
        this.client = client;
        this.backoff = backoff;
        this.maxRequests = maxRequests;
        this.identity = identityOf(entry, url);
        if (url == null) {
            state = State.DROPPED;
            lastError = refusal;
        }
    }

    /**
     * A web seed has no peer id and no address of its own: it is named by its server's host:port and
     * the SHA-1 of its URL, so its strikes and ban are its own and never a peer's at that address.
     */
    private static PeerIdentity identityOf(String entry, URI url) {
        int port = url == null ? 0 : url.getPort() >= 0 ? url.getPort() : "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
        String host = url == null || url.getHost() == null ? "web-seed" : url.getHost();
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(entry.getBytes(StandardCharsets.UTF_8));
            return new PeerIdentity(InetSocketAddress.createUnresolved(host, port), HexFormat.of().formatHex(sha1));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every Java platform", e);
        }
    }

    String entry() {
        return entry;
    }

    State state() {
        return state;
    }

    WebSeedStatus status() {
        State s = state;
        Long retryIn = s == State.BACKING_OFF
                ? Math.max(0, Duration.ofNanos(retryAtNanos - System.nanoTime()).toSeconds()) : null;
        return new WebSeedStatus(entry, s.name(), rate.bytesPerSecond(), downloaded.get(), failures, lastError, retryIn);
    }

    /** The torrent's pieces are known (again): book against this picker from now on. */
    void piecesKnown(PiecePicker<PieceSource> newPicker, TorrentInfo info) {
        picker = newPicker;
        inFlight = 0;
        generation++; // replies to requests booked in the old picker are not for this one
        if (files == null && url != null) {
            files = new WebSeedFiles(info, url);
        }
        if (state != State.DROPPED) {
            picker.peerHasAll(this);
            fillRequests();
        }
    }

    @Override
    public PeerIdentity identity() {
        return identity;
    }

    /** HTTP has no cancel for a range under way: a block that arrives late counts as a duplicate. */
    @Override
    public void cancel(BlockRequest block) {}

    @Override
    public void flush() {}

    @Override
    public void violation(String why) {
        drop(why);
    }

    @Override
    public void close(String why) {
        drop("banned".equals(why) ? "banned for this session: it sent data that failed the hash check" : why);
    }

    @Override
    public void setDiskThrottled(boolean throttled) {
        diskThrottled = throttled;
        if (!throttled) {
            fillRequests();
        }
    }

    @Override
    public void fillRequests() {
        if (state == State.DROPPED || picker == null || picker != torrent.picker() || torrent.isPausedOrStopped()
                || diskThrottled) {
            return;
        }
        if (state == State.BACKING_OFF) {
            if (System.nanoTime() - retryAtNanos < 0) {
                return;
            }
            state = State.ACTIVE;
        }
        while (inFlight < maxRequests) {
            if (limitedNow()) {
                return;
            }
            int blocks = Math.max(1, Math.min(MAX_BLOCKS_PER_REQUEST,
                    torrent.info().pieceLength() / PieceGeometry.DEFAULT_BLOCK_SIZE));
            List<BlockRequest> picks = picker.pick(this, blocks, Set.of(), false, System.nanoTime());
            if (picks.isEmpty()) {
                return;
            }
            for (WebSeedRun run : WebSeedRun.of(picks)) {
                fetch(run);
            }
        }
    }

    /**
     * The torrent's (and the session's) download limit holds for web seeds too: while its bucket is in
     * debt no request goes out, and a wake-up is set for when it is not (received bytes are charged
     * as they arrive, like a peer's).
     */
    private boolean limitedNow() {
        long wait = torrent.downloadLimiter().nanosUntilAvailable(1);
        if (wait <= 0) {
            return false;
        }
        if (!wakeUpScheduled) {
            wakeUpScheduled = true;
            torrent.loop().schedule(() -> {
                wakeUpScheduled = false;
                fillRequests();
            }, wait, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        return true;
    }

    private void fetch(WebSeedRun run) {
        inFlight++;
        int gen = generation;
        List<CompletableFuture<byte[]>> parts = new ArrayList<>();
        for (FileRange r : files.ranges(run.piece(), run.begin(), run.length())) {
            parts.add(client.fetch(r));
        }
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            byte[] bytes = e == null ? concat(parts, run.length()) : null;
            torrent.loop().execute(() -> fetched(gen, run, bytes, e));
        });
    }

    private static byte[] concat(List<CompletableFuture<byte[]>> parts, int length) {
        if (parts.size() == 1) {
            return parts.get(0).join();
        }
        byte[] out = new byte[length];
        int at = 0;
        for (CompletableFuture<byte[]> p : parts) {
            byte[] b = p.join();
            System.arraycopy(b, 0, out, at, b.length);
            at += b.length;
        }
        return out;
    }

    private void fetched(int gen, WebSeedRun run, byte[] bytes, Throwable e) {
        if (gen != generation) {
            return; // dropped, or the picker was replaced, since it was asked
        }
        inFlight--;
        if (picker != torrent.picker() || torrent.state() == TorrentState.ERROR) {
            return; // the torrent dropped its pieces in progress (an error, a recheck): nothing to book them in
        }
        if (e != null) {
            failed(run, unwrap(e));
            return;
        }
        failures = 0;
        deliver(run, bytes);
        fillRequests();
    }

    private void deliver(WebSeedRun run, byte[] bytes) {
        for (BlockRequest block : run.blocks()) {
            if (state == State.DROPPED) {
                return;
            }
            int at = block.offset() - run.begin();
            torrent.payloadDownloaded(block.length());
            torrent.downloadLimiter().consume(block.length());
            rate.add(block.length());
            downloaded.addAndGet(block.length());
            BlockArrival<PieceSource> arrival = picker.blockReceived(this, block);
            if (arrival.status() == BlockArrival.Status.ACCEPTED) {
                torrent.blockAccepted(this, block, Unpooled.wrappedBuffer(bytes, at, block.length()), arrival);
            } else {
                torrent.payloadWasted(block.length()); // a duplicate (endgame) or no longer wanted
            }
        }
    }

    private void failed(WebSeedRun run, Throwable e) {
        for (BlockRequest b : run.blocks()) {
            picker.requestRejected(this, b); // back to the pool for the other sources
        }
        String message = e.getMessage() != null ? e.getMessage() : e.toString();
        if (e instanceof WebSeedRefusedException) {
            drop(message);
            return;
        }
        failures++;
        lastError = message;
        Duration wait = backoff.delay(failures, e instanceof WebSeedException w ? w.retryAfter() : null);
        retryAtNanos = System.nanoTime() + wait.toNanos();
        if (state != State.DROPPED) {
            state = State.BACKING_OFF;
        }
        log.info("{}: web seed {} failed ({}), trying again in {} s", torrent, entry, message, wait.toSeconds());
        torrent.sourcesReleasedBlocks();
    }

    /** Not used again this session; its booked blocks go back to the other sources. */
    private void drop(String why) {
        if (state == State.DROPPED) {
            return;
        }
        state = State.DROPPED;
        lastError = why;
        generation++;
        inFlight = 0;
        log.warn("{}: web seed {} dropped: {}", torrent, entry, why);
        if (picker != null && picker == torrent.picker()) {
            picker.peerDisconnected(this);
            torrent.sourcesReleasedBlocks();
        }
    }

    /** The torrent closes: replies still under way are ignored. */
    void stop() {
        generation++;
        inFlight = 0;
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public String toString() {
        return "web seed " + entry;
    }
}
