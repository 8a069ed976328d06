package dev.magnetar.nativehost;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.util.RawValue;

/**
 * Messages on the native-messaging channel (protocol-spec/native-messaging.md), discriminated by
 * {@code type}. Every request may carry an {@code id} that the reply echoes, so the extension can match
 * replies to requests.
 */
public final class NativeMessage {

    private NativeMessage() {}

    /** Browser → host. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = Hello.class, name = "hello"),
            @JsonSubTypes.Type(value = AddMagnet.class, name = "add_magnet"),
            @JsonSubTypes.Type(value = Status.class, name = "status"),
            @JsonSubTypes.Type(value = Open.class, name = "open")})
    public sealed interface Request {
        String id();
    }

    /** First message: asks for the API address and token. */
    public record Hello(String id, String extensionVersion) implements Request {}

    /** Relay of POST /api/v1/torrents/magnet, for when the extension's HTTP to 127.0.0.1 is blocked. */
    public record AddMagnet(String id, String uri) implements Request {}

    /** Relay of GET /api/v1/torrents. */
    public record Status(String id) implements Request {}

    /**
     * Shows a torrent's folder in the file manager, or opens one of its files ({@code fileIndex}) with the
     * default application. Only the host does this, never the HTTP API: starting programs is for the
     * trusted channel alone.
     */
    public record Open(String id, String infoHash, Integer fileIndex) implements Request {}

    /** Host → browser. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = HelloReply.class, name = "hello_reply"),
            @JsonSubTypes.Type(value = AddMagnetReply.class, name = "add_magnet_reply"),
            @JsonSubTypes.Type(value = StatusReply.class, name = "status_reply"),
            @JsonSubTypes.Type(value = OpenReply.class, name = "open_reply"),
            @JsonSubTypes.Type(value = ErrorReply.class, name = "error")})
    public sealed interface Reply {
        String id();
    }

    /**
     * @param apiBase e.g. {@code http://127.0.0.1:40123/api/v1}
     * @param token   the bearer token for the HTTP API and the events WebSocket
     * @param command how the user runs the {@code magnetar} command here: "magnetar" when it is on PATH,
     *     else the installed launcher's full path (see {@link HelperCommand})
     */
    public record HelloReply(String id, String apiBase, String eventsUrl, String token, String version, int protocolVersion, String command)
            implements Reply {}

    /** @param torrent the API's TorrentStatus object, as the daemon wrote it */
    public record AddMagnetReply(String id, RawValue torrent) implements Reply {}

    /** @param torrents the API's array of TorrentStatus objects, as the daemon wrote it */
    public record StatusReply(String id, RawValue torrents) implements Reply {}

    /** @param opened the absolute path handed to the desktop */
    public record OpenReply(String id, String opened) implements Reply {}

    /**
     * @param code one of {@link ErrorCodes}, or an HTTP API error code passed through from the daemon
     */
    public record ErrorReply(String id, String code, String message) implements Reply {}

    /** The host's own error codes. */
    public static final class ErrorCodes {
        public static final String UNKNOWN_TYPE = "UNKNOWN_TYPE";
        public static final String INVALID_MESSAGE = "INVALID_MESSAGE";
        public static final String MESSAGE_TOO_LARGE = "MESSAGE_TOO_LARGE";
        public static final String REPLY_TOO_LARGE = "REPLY_TOO_LARGE";
        public static final String DAEMON_UNAVAILABLE = "DAEMON_UNAVAILABLE";
        /** open: the torrent's folder or file is not on disk (yet). */
        public static final String PATH_NOT_FOUND = "PATH_NOT_FOUND";
        /** open: the path would leave the torrent's save folder; nothing was opened. */
        public static final String PATH_OUTSIDE_TORRENT = "PATH_OUTSIDE_TORRENT";
        /** open: the desktop's opener is missing or failed. */
        public static final String OPEN_FAILED = "OPEN_FAILED";

        private ErrorCodes() {}
    }
}
