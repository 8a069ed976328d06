package dev.magnetar.api;

import dev.magnetar.engine.FileStream;
import dev.magnetar.engine.FileStreaming;
import dev.magnetar.engine.StreamableFile;
import dev.magnetar.engine.TorrentControl;
import dev.magnetar.engine.TorrentControlException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET}/{@code HEAD /stream/{capability}/{name}}: one file of one torrent, to whoever holds
 * the capability of a live {@link StreamGrants grant} — no token, since a media element cannot send one
 * ({@link SecurityHandler} still checks Host and Origin first). The name segment is cosmetic (players
 * like a real file name) and plays no part in access; bytes come only from verified pieces of the
 * granted file, through the engine, never from a path on disk.
 *
 * <p>HTTP ranges (RFC 9110 §14): {@code Accept-Ranges: bytes}, one range per request as {@code 206}, a
 * range past the end {@code 416} with {@code Content-Range: bytes * /SIZE}, {@code If-Range} against
 * the ETag (a torrent's file never changes: its pieces are hashed). A read of a piece not downloaded
 * yet waits for it, without holding a thread ({@link StreamBody}); if it does not come in time, {@code 503}
 * with {@code Retry-After} — or, once the body has begun, the response is cut short and the player asks
 * again from where it stopped.
 */
final class StreamContentHandler extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(StreamContentHandler.class);
    /** As protocol-spec/http-api.yaml names it. */
    static final String PATH_TEMPLATE = StreamRoutes.CONTENT_PREFIX + "{capability}/{name}";
    static final Duration DEFAULT_PIECE_WAIT = Duration.ofSeconds(30);
    static final int RETRY_AFTER_SECONDS = 2;

    private final TorrentControl torrents;
    private final StreamGrants grants;
    private final Duration pieceWait;

    StreamContentHandler(TorrentControl torrents, StreamGrants grants, Duration pieceWait) {
        this.torrents = torrents;
        this.grants = grants;
        this.pieceWait = pieceWait;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            JsonResponses.error(response, ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on a stream; use GET or HEAD", callback);
            return true;
        }
        Optional<StreamableFile> granted = grantedFile(Request.getPathInContext(request));
        if (granted.isEmpty()) {
            // One answer for unknown, expired, revoked and removed alike: no hint which.
            JsonResponses.error(response, ErrorCode.NOT_FOUND, "no such stream; ask the helper for a new stream URL", callback);
            return true;
        }
        serve(request, response, callback, granted.get(), method.equals("HEAD"));
        return true;
    }

    /** The file a path's capability grants, if the grant is live and its torrent still has the file. */
    private Optional<StreamableFile> grantedFile(String path) {
        if (!path.startsWith(StreamRoutes.CONTENT_PREFIX)) {
            return Optional.empty();
        }
        String rest = path.substring(StreamRoutes.CONTENT_PREFIX.length());
        int slash = rest.indexOf('/');
        String capability = slash < 0 ? rest : rest.substring(0, slash);
        Optional<StreamGrants.Grant> grant = grants.byCapability(capability);
        Optional<FileStreaming> streaming = torrents.fileStreaming();
        if (grant.isEmpty() || streaming.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(streaming.get().streamableFile(grant.get().infoHash(), grant.get().fileIndex()));
        } catch (TorrentControlException e) {
            return Optional.empty();
        }
    }

    private void serve(Request request, Response response, Callback callback, StreamableFile file, boolean head) throws Exception {
        long size = file.size();
        String etag = "\"" + file.infoHash() + "-" + file.index() + "\"";
        String rangeHeader = request.getHeaders().get(HttpHeader.RANGE);
        String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
        if (rangeHeader != null && ifRange != null && !ifRange.trim().equals(etag)) {
            rangeHeader = null; // RFC 9110 §13.1.5: a stale validator gets the whole representation
        }
        ByteRangeRequest.Resolved resolved = ByteRangeRequest.resolve(rangeHeader, size);
        var headers = response.getHeaders();
        headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
        headers.put(HttpHeader.ETAG, etag);
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        if (resolved.kind() == ByteRangeRequest.Kind.UNSATISFIABLE) {
            headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
            JsonResponses.error(response, ErrorCode.RANGE_NOT_SATISFIABLE,
                    "range '" + rangeHeader + "' lies outside the file's " + size + " bytes", callback);
            return;
        }
        long first = resolved.kind() == ByteRangeRequest.Kind.RANGE ? resolved.range().first() : 0;
        long length = resolved.kind() == ByteRangeRequest.Kind.RANGE ? resolved.range().length() : size;
        headers.put(HttpHeader.CONTENT_TYPE, MediaTypes.contentType(file.fileName()));
        headers.put(HttpHeader.CONTENT_DISPOSITION, "inline; filename*=UTF-8''" + StreamRoutes.pathSegment(file.fileName()));
        if (resolved.kind() == ByteRangeRequest.Kind.RANGE) {
            response.setStatus(206);
            headers.put(HttpHeader.CONTENT_RANGE, resolved.range().contentRange(size));
        } else {
            response.setStatus(200);
        }
        headers.put(HttpHeader.CONTENT_LENGTH, length);
        if (head || length == 0) {
            response.write(true, null, callback);
            return;
        }
        streamBody(request, response, callback, file, first, length);
    }

    private void streamBody(Request request, Response response, Callback callback, StreamableFile file, long first, long length) {
        FileStream stream;
        try {
            stream = torrents.fileStreaming().orElseThrow().openStream(file.infoHash(), file.index());
        } catch (TorrentControlException e) {
            failOrAnswer(response, callback, ErrorCode.NOT_FOUND, "the torrent of this stream was removed");
            return;
        }
        StreamBody body = new StreamBody(stream, response, first, length, pieceWait, callback::succeeded,
                (failure, position) -> bodyFailed(response, callback, file, failure, position));
        request.addFailureListener(body::abort); // a seek closes the old request: its reader stops steering the picker
        body.iterate();
    }

    private void bodyFailed(Response response, Callback callback, StreamableFile file, Throwable failure, long position) {
        if (failure instanceof TimeoutException) {
            notReady(response, callback, file, position);
        } else if (failure instanceof TorrentControlException) {
            LOG.debug("stream of {} file {} ended: {}", file.infoHash(), file.index(), failure.getMessage());
            failOrAnswer(response, callback, ErrorCode.NOT_FOUND, "the torrent of this stream was removed");
        } else { // the client went away mid-body: nothing to answer
            LOG.debug("stream of {} file {} stopped: {}", file.infoHash(), file.index(), failure.toString());
            callback.failed(failure);
        }
    }

    private void notReady(Response response, Callback callback, StreamableFile file, long position) {
        String message = "byte " + position + " of " + file.fileName() + " has not been downloaded yet (waited " + pieceWait.toSeconds()
                + " s); try again shortly";
        if (response.isCommitted()) {
            callback.failed(new TimeoutException(message)); // the player sees a short body and asks again from there
            return;
        }
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
        failOrAnswer(response, callback, ErrorCode.PIECE_NOT_READY, message);
    }

    private static void failOrAnswer(Response response, Callback callback, ErrorCode code, String message) {
        if (response.isCommitted()) {
            callback.failed(new IllegalStateException(message));
            return;
        }
        response.getHeaders().remove(HttpHeader.CONTENT_RANGE);
        response.getHeaders().remove(HttpHeader.CONTENT_DISPOSITION);
        response.getHeaders().remove(HttpHeader.CONTENT_LENGTH);
        JsonResponses.error(response, code, message, callback);
    }
}
