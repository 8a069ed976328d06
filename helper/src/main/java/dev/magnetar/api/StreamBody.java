package dev.magnetar.api;

import dev.magnetar.engine.FileStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Writes bytes {@code [first, end)} of a {@link FileStream} to a response as the engine verifies their
 * pieces, without holding a thread while it waits: a read completes a future, a write completes this
 * callback, and {@link IteratingCallback} alternates the two (so a read or write that completes at once
 * does not recurse). A player waiting for a piece so costs the API a socket, not one of its threads —
 * a few dozen waiting players would otherwise leave no thread to answer the extension.
 *
 * <p>A read that does not complete within {@code pieceWait} fails with a {@link java.util.concurrent.TimeoutException};
 * every failure (that, the torrent removed, the client gone) goes to {@code onFailure}, with the position
 * reached, after the stream is closed; it answers or cuts the response short.
 */
final class StreamBody extends IteratingCallback {

    private final FileStream stream;
    private final Response response;
    private final long end;
    private final Duration pieceWait;
    private final Runnable onSuccess;
    private final ObjLongConsumer<Throwable> onFailure;
    private long position;
    /** Read and not yet written. */
    private ByteBuffer chunk;
    private CompletableFuture<ByteBuffer> reading;

    StreamBody(FileStream stream, Response response, long first, long length, Duration pieceWait, Runnable onSuccess,
            ObjLongConsumer<Throwable> onFailure) {
        this.stream = stream;
        this.response = response;
        this.position = first;
        this.end = first + length;
        this.pieceWait = pieceWait;
        this.onSuccess = onSuccess;
        this.onFailure = onFailure;
    }

    private synchronized long position() {
        return position;
    }

    @Override
    protected Action process() {
        ByteBuffer ready;
        synchronized (this) {
            ready = chunk;
            chunk = null;
            if (ready != null) {
                position += ready.remaining();
            } else if (position >= end) {
                return Action.SUCCEEDED;
            }
        }
        if (ready != null) {
            response.write(position() >= end, ready, this);
            return Action.SCHEDULED;
        }
        CompletableFuture<ByteBuffer> read = stream.read(position(), (int) Math.min(FileStream.MAX_READ_BYTES, end - position()))
                .orTimeout(pieceWait.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (this) {
            reading = read;
        }
        read.whenComplete((bytes, error) -> {
            if (error != null) {
                failed(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
                return;
            }
            synchronized (this) {
                chunk = bytes;
            }
            succeeded();
        });
        return Action.SCHEDULED;
    }

    /** The response failed from outside (the client went away): stop waiting for the piece at once. */
    @Override
    protected void onAborted(Throwable cause) {
        CompletableFuture<ByteBuffer> read;
        synchronized (this) {
            read = reading;
        }
        if (read != null) {
            read.cancel(false);
        }
    }

    @Override
    protected void onCompleteSuccess() {
        stream.close();
        onSuccess.run();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        stream.close();
        onFailure.accept(cause, position());
    }
}
