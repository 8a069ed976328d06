package dev.magnetar.nativehost;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.magnetar.nativehost.NativeMessage.AddMagnet;
import dev.magnetar.nativehost.NativeMessage.AddMagnetReply;
import dev.magnetar.nativehost.NativeMessage.ErrorCodes;
import dev.magnetar.nativehost.NativeMessage.ErrorReply;
import dev.magnetar.nativehost.NativeMessage.Hello;
import dev.magnetar.nativehost.NativeMessage.HelloReply;
import dev.magnetar.nativehost.NativeMessage.Open;
import dev.magnetar.nativehost.NativeMessage.OpenReply;
import dev.magnetar.nativehost.NativeMessage.Reply;
import dev.magnetar.nativehost.NativeMessage.Request;
import dev.magnetar.nativehost.NativeMessage.Status;
import dev.magnetar.nativehost.NativeMessage.StatusReply;
import dev.magnetar.util.DesktopOpener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code magnetar native-host}: what the browser launches on {@code connectNative}. It lives only as
 * long as the browser's port, so it never runs the engine itself: it finds or starts the daemon and
 * relays. Every request gets exactly one reply; a bad request gets an {@code error} reply, never a
 * crash. The host ends cleanly when the browser closes stdin, or after an unreadable frame.
 */
public final class NativeHost {

    private static final Logger LOG = LoggerFactory.getLogger(NativeHost.class);
    static final Set<String> REQUEST_TYPES = Set.of("hello", "add_magnet", "status", "open");
    private static final Pattern INFO_HASH = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

    private final InputStream in;
    private final OutputStream out;
    private final NativeMessageCodec codec;
    private final DaemonLocator locator;
    private final DaemonClient client;
    private final String callerOrigin;
    private final DesktopOpener opener;
    private final ObjectMapper json = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final ObjectWriter replyWriter = json.writerFor(Reply.class);
    private DaemonEndpoint daemon;
    private final String command = HelperCommand.current();

    NativeHost(InputStream in, OutputStream out, NativeMessageCodec codec, DaemonLocator locator, DaemonClient client, String callerOrigin) {
        this(in, out, codec, locator, client, callerOrigin, DesktopOpener.forThisSystem());
    }

    NativeHost(InputStream in, OutputStream out, NativeMessageCodec codec, DaemonLocator locator, DaemonClient client, String callerOrigin,
               DesktopOpener opener) {
        this.opener = opener;
        this.in = in;
        this.out = out;
        this.codec = codec;
        this.locator = locator;
        this.client = client;
        this.callerOrigin = callerOrigin;
    }

    /**
     * The host for this user's data directory on the process's stdin/stdout.
     *
     * @param daemonMainClass the entry point that starts the daemon ({@code daemon --data-dir DIR}) when none runs
     */
    public static NativeHost forDataDir(Path dataDir, InputStream in, OutputStream out, String callerOrigin,
            String daemonMainClass) {
        DaemonClient client = new DaemonClient();
        DaemonLocator locator = new DaemonLocator(dataDir, client, new DaemonLauncher(dataDir, daemonMainClass),
                DaemonLocator.DEFAULT_START_TIMEOUT);
        return new NativeHost(in, out, new NativeMessageCodec(), locator, client, callerOrigin);
    }

    /** Serves until the browser disconnects; returns the process exit code. */
    public int run() throws InterruptedException {
        LOG.info("native host started for {}", callerOrigin);
        try {
            while (true) {
                Optional<byte[]> frame;
                try {
                    frame = codec.read(in);
                } catch (NativeMessageCodec.NativeFrameException e) {
                    LOG.warn("closing the native channel: {}", e.getMessage());
                    send(new ErrorReply(null, ErrorCodes.MESSAGE_TOO_LARGE, e.getMessage()));
                    return 1;
                }
                if (frame.isEmpty()) {
                    browserGone();
                    return 0;
                }
                send(handle(frame.get()));
            }
        } catch (IOException e) {
            LOG.info("native channel closed: {}", e.toString());
            return 0;
        }
    }

    Reply handle(byte[] frame) throws InterruptedException {
        JsonNode node;
        try {
            node = json.readTree(frame);
        } catch (IOException e) {
            return new ErrorReply(null, ErrorCodes.INVALID_MESSAGE, "message is not JSON: " + firstLine(e.getMessage()));
        }
        if (node == null || !node.isObject()) {
            return new ErrorReply(null, ErrorCodes.INVALID_MESSAGE, "message must be a JSON object with a type");
        }
        String id = node.path("id").isTextual() ? node.get("id").asText() : null;
        String type = node.path("type").asText("");
        if (!REQUEST_TYPES.contains(type)) {
            return new ErrorReply(id, ErrorCodes.UNKNOWN_TYPE, "unknown message type '" + type + "'; expected one of " + REQUEST_TYPES);
        }
        Request request;
        try {
            request = json.treeToValue(node, Request.class);
        } catch (IOException e) {
            return new ErrorReply(id, ErrorCodes.INVALID_MESSAGE, "invalid " + type + " message: " + firstLine(e.getMessage()));
        }
        try {
            return dispatch(request);
        } catch (DaemonUnavailableException e) {
            return new ErrorReply(id, ErrorCodes.DAEMON_UNAVAILABLE, e.getMessage());
        }
    }

    private Reply dispatch(Request request) throws DaemonUnavailableException, InterruptedException {
        if (request instanceof Hello h) {
            // A hello is the extension (re)connecting, often because the daemon went away: never answer
            // from the cache, look again (the locator checks health and starts a new daemon if needed).
            daemon = null;
            DaemonEndpoint d = daemon();
            return new HelloReply(h.id(), d.apiBase(), d.eventsUrl(), d.token(), d.version(), NativeProtocol.VERSION, command);
        }
        if (request instanceof AddMagnet a) {
            if (a.uri() == null) {
                return new ErrorReply(a.id(), ErrorCodes.INVALID_MESSAGE, "add_magnet needs a uri");
            }
            DaemonClient.Answer answer = call(d -> client.post(d.port(), d.token(), "/torrents/magnet", Map.of("uri", a.uri())));
            if (!answer.ok()) {
                return apiError(a.id(), answer);
            }
            return new AddMagnetReply(a.id(), relay(answer, RelayedJson::object));
        }
        if (request instanceof Open o) {
            return open(o);
        }
        Status s = (Status) request;
        DaemonClient.Answer answer = call(d -> client.get(d.port(), d.token(), "/torrents"));
        if (!answer.ok()) {
            return apiError(s.id(), answer);
        }
        return new StatusReply(s.id(), relay(answer, body -> RelayedJson.arrayField(body, "torrents")));
    }

    /** The part of {@code GET /api/v1/torrents/{infoHash}} that says where the torrent's files are. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Whereabouts(String saveFolder, List<TorrentPaths.File> files) {}

    private Reply open(Open o) throws DaemonUnavailableException, InterruptedException {
        // The hash becomes part of the daemon URL: only hex, so it can never name another route.
        if (o.infoHash() == null || !INFO_HASH.matcher(o.infoHash()).matches()) {
            return new ErrorReply(o.id(), ErrorCodes.INVALID_MESSAGE, "open needs an infoHash of 40 or 64 lower-case hex digits");
        }
        if (o.fileIndex() != null && o.fileIndex() < 0) {
            return new ErrorReply(o.id(), ErrorCodes.INVALID_MESSAGE, "fileIndex must be 0 or more");
        }
        DaemonClient.Answer answer = call(d -> client.get(d.port(), d.token(), "/torrents/" + o.infoHash()));
        if (!answer.ok()) {
            return apiError(o.id(), answer);
        }
        Whereabouts where = read(answer, Whereabouts.class);
        try {
            Path path = o.fileIndex() == null ? TorrentPaths.folder(where.saveFolder(), where.files())
                    : TorrentPaths.file(where.saveFolder(), where.files(), o.fileIndex());
            opener.open(path.toString());
            return new OpenReply(o.id(), path.toString());
        } catch (TorrentPaths.OpenRefusedException e) {
            LOG.warn("open refused for {}: {}", o.infoHash(), e.getMessage());
            return new ErrorReply(o.id(), e.code(), e.getMessage());
        } catch (DesktopOpener.OpenFailedException e) {
            return new ErrorReply(o.id(), ErrorCodes.OPEN_FAILED, e.getMessage());
        }
    }

    /** A 2xx answer the daemon's own API schema promises; one that does not fit means the two versions disagree. */
    private <T> T read(DaemonClient.Answer answer, Class<T> type) throws DaemonUnavailableException {
        try {
            return answer.read(type, json);
        } catch (IOException e) {
            throw unexpectedShape(e);
        }
    }

    private interface Relay {
        RawValue extract(byte[] body) throws IOException;
    }

    /** The part of a 2xx answer that goes to the browser as it is; one without it means the two versions disagree. */
    private static RawValue relay(DaemonClient.Answer answer, Relay part) throws DaemonUnavailableException {
        try {
            return part.extract(answer.raw());
        } catch (IOException e) {
            throw unexpectedShape(e);
        }
    }

    private static DaemonUnavailableException unexpectedShape(IOException e) {
        return new DaemonUnavailableException("the Magnetar daemon answered in an unexpected shape (" + firstLine(e.getMessage())
                + "); is it a different version? Restart the browser to restart the helper.", e);
    }

    private interface DaemonCall {
        DaemonClient.Answer call(DaemonEndpoint d) throws IOException, InterruptedException;
    }

    /** Calls the daemon; if it went away (restarted), finds or starts it again once. */
    private DaemonClient.Answer call(DaemonCall call) throws DaemonUnavailableException, InterruptedException {
        try {
            return call.call(daemon());
        } catch (IOException first) {
            daemon = null;
            try {
                return call.call(daemon());
            } catch (IOException e) {
                throw new DaemonUnavailableException("the Magnetar daemon does not answer: " + e.getMessage(), e);
            }
        }
    }

    private DaemonEndpoint daemon() throws DaemonUnavailableException, InterruptedException {
        if (daemon == null) {
            daemon = locator.findOrStart();
        }
        return daemon;
    }

    private static ErrorReply apiError(String id, DaemonClient.Answer answer) {
        return new ErrorReply(id, answer.body().path("code").asText("HTTP_" + answer.status()),
                answer.body().path("message").asText("the daemon answered HTTP " + answer.status()));
    }

    /** With "quit with browser" on, the daemon stops when the browser goes. */
    private void browserGone() throws InterruptedException {
        if (daemon == null) {
            return;
        }
        try {
            DaemonClient.Answer settings = client.get(daemon.port(), daemon.token(), "/settings");
            if (settings.ok() && settings.body().path("quitWithBrowser").asBoolean(false)) {
                LOG.info("browser disconnected and quit-with-browser is on: stopping the daemon");
                client.post(daemon.port(), daemon.token(), "/shutdown", Map.of());
            }
        } catch (IOException e) {
            LOG.debug("daemon not reachable at browser exit: {}", e.toString());
        }
    }

    private void send(Reply reply) throws IOException {
        byte[] bytes = replyWriter.writeValueAsBytes(reply);
        try {
            codec.write(out, bytes);
        } catch (NativeMessageCodec.NativeMessageTooLargeException e) {
            LOG.warn("reply {} not sent: {}", reply.getClass().getSimpleName(), e.getMessage());
            try {
                codec.write(out, replyWriter.writeValueAsBytes(new ErrorReply(reply.id(), ErrorCodes.REPLY_TOO_LARGE,
                        e.getMessage() + "; use the HTTP API for large results")));
            } catch (NativeMessageCodec.NativeMessageTooLargeException impossible) {
                throw new IllegalStateException("an error reply is always small", impossible);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
