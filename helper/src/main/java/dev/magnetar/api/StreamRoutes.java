package dev.magnetar.api;

import dev.magnetar.api.StreamMessages.Opened;
import dev.magnetar.api.StreamMessages.StreamGrant;
import dev.magnetar.api.StreamMessages.StreamList;
import dev.magnetar.api.StreamMessages.StreamRequest;
import dev.magnetar.api.StreamMessages.StreamStatus;
import dev.magnetar.engine.FileStreaming;
import dev.magnetar.engine.StreamProgress;
import dev.magnetar.engine.StreamableFile;
import dev.magnetar.engine.TorrentControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

/** Handlers for {@code /api/v1/.../stream}, {@code /api/v1/streams...} and {@code .../open}: grants of capability URLs for the player. */
final class StreamRoutes {

    /** The path prefix of capability URLs, served by {@link StreamContentHandler} without the token. */
    static final String CONTENT_PREFIX = "/stream/";
    private static final Pattern INFO_HASH = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private final TorrentControl torrents;
    private final StreamGrants grants;
    private final FileOpener opener;
    private final IntSupplier port;

    StreamRoutes(TorrentControl torrents, StreamGrants grants, FileOpener opener, IntSupplier port) {
        this.torrents = torrents;
        this.grants = grants;
        this.opener = opener;
        this.port = port;
    }

    Reply grant(ApiCall call) throws Exception {
        String hash = infoHash(call);
        int index = fileIndex(call);
        Long ttlSeconds = call.body(StreamRequest.class).ttlSeconds();
        if (ttlSeconds != null && (ttlSeconds < 1 || ttlSeconds > StreamGrants.MAX_TTL.toSeconds())) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "ttlSeconds must be between 1 and " + StreamGrants.MAX_TTL.toSeconds());
        }
        StreamableFile file = streaming().streamableFile(hash, index);
        Duration ttl = ttlSeconds == null ? StreamGrants.DEFAULT_TTL : Duration.ofSeconds(ttlSeconds);
        return Reply.created(describe(grants.grant(hash, index, ttl), file));
    }

    Reply list(ApiCall call) throws Exception {
        java.util.List<StreamGrant> out = new java.util.ArrayList<>();
        for (StreamGrants.Grant g : grants.list()) {
            try {
                out.add(describe(g, streaming().streamableFile(g.infoHash(), g.fileIndex())));
            } catch (dev.magnetar.engine.TorrentControlException gone) {
                grants.revokeTorrent(g.infoHash()); // removed while no event reached us: nothing left to serve
            }
        }
        return Reply.ok(new StreamList(out));
    }

    Reply status(ApiCall call) throws Exception {
        StreamGrants.Grant g = grants.byId(call.param("id")).orElseThrow(() -> notFound(call.param("id")));
        StreamableFile file = streaming().streamableFile(g.infoHash(), g.fileIndex());
        StreamProgress p = streaming().streamProgress(g.infoHash(), g.fileIndex());
        return Reply.ok(new StreamStatus(describe(g, file), p.downloadedRanges(), p.bufferedAhead(), p.downloadRate(), p.peers(),
                p.state().name()));
    }

    Reply revoke(ApiCall call) throws Exception {
        if (!grants.revoke(call.param("id"))) {
            throw notFound(call.param("id"));
        }
        return new Reply(204, null);
    }

    /** The finished file itself, or else its stream URL (the desktop player reads it while it downloads). */
    Reply open(ApiCall call) throws Exception {
        call.body(ApiMessages.EmptyRequest.class);
        String hash = infoHash(call);
        int index = fileIndex(call);
        StreamableFile file;
        try {
            file = streaming().streamableFile(hash, index);
        } catch (dev.magnetar.engine.MetadataNotKnownException e) {
            throw new ApiException(ErrorCode.NOTHING_TO_OPEN, e.getMessage() + "; there is nothing to open yet", e);
        }
        // Handing any file to the desktop's default application could run a program the torrent brought
        // (a script, a .desktop entry): over the HTTP API only audio and video go to the desktop's player.
        // Opening other files and folders stays with the native host, the trusted channel.
        if (!MediaTypes.isMedia(file.fileName())) {
            throw new ApiException(ErrorCode.NOT_A_MEDIA_FILE, file.fileName()
                    + " is not an audio or video file; only those open in your player from here (use Open folder instead)");
        }
        Opened opened = file.complete()
                ? new Opened("FILE", file.location().toAbsolutePath().toString())
                : new Opened("STREAM", url(grants.grant(hash, index, StreamGrants.DEFAULT_TTL), file));
        try {
            opener.open(opened.target());
        } catch (IOException e) {
            throw new ApiException(ErrorCode.INTERNAL, "the desktop could not open " + file.fileName() + ": " + e.getMessage(), e);
        }
        return Reply.accepted(opened);
    }

    private StreamGrant describe(StreamGrants.Grant g, StreamableFile file) {
        return new StreamGrant(g.id(), url(g, file), g.infoHash(), g.fileIndex(), file.fileName(), file.size(),
                MediaTypes.contentType(file.fileName()), MediaTypes.playable(file.fileName()), g.expiresAt().toString());
    }

    private String url(StreamGrants.Grant g, StreamableFile file) {
        return "http://127.0.0.1:" + port.getAsInt() + CONTENT_PREFIX + g.capability() + "/" + pathSegment(file.fileName());
    }

    /** RFC 3986 percent-encoding of one path segment: every byte outside the unreserved set. */
    static String pathSegment(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }

    private FileStreaming streaming() throws ApiException {
        return torrents.fileStreaming().orElseThrow(() -> new ApiException(ErrorCode.ENGINE_UNAVAILABLE, "this helper cannot stream files"));
    }

    private static ApiException notFound(String id) {
        return new ApiException(ErrorCode.STREAM_NOT_FOUND, "no stream " + id + " (it may have expired or been revoked); ask for a new one");
    }

    private static String infoHash(ApiCall call) throws ApiException {
        String hash = call.param("infoHash").toLowerCase(Locale.ROOT);
        if (!INFO_HASH.matcher(hash).matches()) {
            throw new ApiException(ErrorCode.INVALID_REQUEST, "info-hash must be 40 (v1) or 64 (v2) hex digits");
        }
        return hash;
    }

    private static int fileIndex(ApiCall call) throws ApiException {
        try {
            int index = Integer.parseInt(call.param("fileIndex"));
            if (index >= 0) {
                return index;
            }
        } catch (NumberFormatException e) {
            // falls through to the same answer as a negative index
        }
        throw new ApiException(ErrorCode.INVALID_REQUEST, "file index must be a non-negative integer");
    }
}
