package dev.magnetar.api;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the daemon still does after its API listens: the daemon is announced as soon as the API answers,
 * while its engine opens and its last session's torrents come back. A route that would otherwise answer
 * from a half-started helper (a 404 for a torrent about to be restored, a network status without a peer
 * port) waits here for the stage it needs, at most {@link #waitBound}; past that it answers 503
 * {@code HELPER_STARTING} with {@code Retry-After}, so a client asks again instead of believing the
 * torrent is gone.
 */
public final class StartupGate {

    /** Long enough for a session restore on a loaded machine; short enough that a client hears why it waits. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);
    /** RFC 9110 §10.2.3: what a 503 {@code HELPER_STARTING} asks a client to wait before it tries again. */
    static final int RETRY_AFTER_SECONDS = 1;

    /** The stage of the start a route needs before it can answer truthfully. */
    public enum Stage {
        /** Nothing: health, version, settings, wallet and approvals answer from the first moment. */
        NONE,
        /** The engine is open and listens for peers (its port is known). */
        ENGINE,
        /** The engine is open and the last session's torrents are all back in it. */
        SESSION
    }

    private final CompletableFuture<Void> engineOpen = new CompletableFuture<>();
    private final CompletableFuture<Void> sessionRestored = new CompletableFuture<>();
    private final Duration waitBound;

    /** A gate still closed: the daemon opens it stage by stage. */
    public StartupGate(Duration waitBound) {
        if (waitBound.isNegative()) {
            throw new IllegalArgumentException("a negative wait: " + waitBound);
        }
        this.waitBound = waitBound;
    }

    /** A gate that is open from the start: for an API whose services are ready when it begins. */
    public static StartupGate passed() {
        StartupGate gate = new StartupGate(Duration.ZERO);
        gate.sessionRestored();
        return gate;
    }

    /** The engine is open and its listening port known. */
    public void engineOpened() {
        engineOpen.complete(null);
    }

    /** The last session's torrents are back (or there were none); implies {@link #engineOpened}. */
    public void sessionRestored() {
        engineOpen.complete(null);
        sessionRestored.complete(null);
    }

    /** The start failed: whoever waits is told why at once (the API closes soon after). */
    public void failed(String why) {
        IllegalStateException cause = new IllegalStateException(why);
        engineOpen.completeExceptionally(cause);
        sessionRestored.completeExceptionally(cause);
    }

    /** Blocks until {@code stage} is reached, at most {@link #waitBound}. */
    void await(Stage stage) throws ApiException {
        CompletableFuture<Void> reached = switch (stage) {
            case NONE -> null;
            case ENGINE -> engineOpen;
            case SESSION -> sessionRestored;
        };
        if (reached == null || reached.isDone() && !reached.isCompletedExceptionally()) {
            return;
        }
        try {
            reached.get(waitBound.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new ApiException(ErrorCode.HELPER_STARTING, stage == Stage.ENGINE
                    ? "the helper is still starting its BitTorrent engine; ask again in a moment"
                    : "the helper is still bringing back the last session's torrents; ask again in a moment");
        } catch (ExecutionException e) {
            throw new ApiException(ErrorCode.ENGINE_UNAVAILABLE, "the helper failed to start: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ErrorCode.HELPER_STARTING, "the helper is stopping while it starts; ask again in a moment");
        }
    }

    /** {@code route} answering only once {@code stage} is reached (or 503 after the bound); the route itself for NONE. */
    Route guard(Route route, Stage stage) {
        if (stage == Stage.NONE) {
            return route;
        }
        Route.Handler handler = route.handler();
        return new Route(route.method(), route.path(), route.maxBodyBytes(), call -> {
            await(stage);
            return handler.handle(call);
        });
    }

    /** Every route of {@code table}, each guarded by the stage {@code needs} names for it. */
    List<Route> guardAll(List<Route> table, java.util.function.Function<Route, Stage> needs) {
        return table.stream().map(r -> guard(r, needs.apply(r))).toList();
    }
}
