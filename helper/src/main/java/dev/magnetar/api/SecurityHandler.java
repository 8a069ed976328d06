package dev.magnetar.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * In front of every route (DESIGN.md "Processes and trust"), in this order:
 * <ol>
 *   <li>{@code Host} must be exactly {@code 127.0.0.1:PORT}, {@code localhost:PORT} or {@code [::1]:PORT},
 *       else 403 FORBIDDEN_HOST: a DNS-rebinding page is same-origin to the browser and only its Host
 *       header gives it away;</li>
 *   <li>{@code Origin} absent or an allowed extension origin, else 403 FORBIDDEN_ORIGIN;</li>
 *   <li>a CORS preflight from an allowed origin is answered here (browsers send preflights without
 *       credentials); CORS headers are only ever sent to allowed origins;</li>
 *   <li>{@code Authorization: Bearer <token>} (WebSocket: a {@code bearer.<token>} subprotocol),
 *       compared in constant time, else 401 UNAUTHORIZED. No API route is exempt, not even health: an
 *       unauthenticated answer would let any web page fingerprint the helper.</li>
 * </ol>
 * The one thing served without the token is under {@code /stream/}: a file's bytes to whoever holds its
 * capability URL (a media element cannot send the token), after the Host and Origin checks above, by
 * {@link StreamContentHandler}, which answers an unknown capability with a plain 404.
 */
public final class SecurityHandler extends Handler.Wrapper {

    public static final String BEARER_SUBPROTOCOL_PREFIX = "bearer.";
    private static final String ALLOWED_METHODS = "GET, POST, DELETE";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type";

    private final byte[] token;
    private final OriginPolicy origins;
    private final Handler capabilityContent;
    private volatile Set<String> allowedHosts = Set.of();

    public SecurityHandler(String token, OriginPolicy origins, Handler next) {
        this(token, origins, null, next);
    }

    /** @param capabilityContent serves {@code /stream/...} without the token (null: nothing does) */
    SecurityHandler(String token, OriginPolicy origins, Handler capabilityContent, Handler next) {
        super(next);
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.origins = origins;
        this.capabilityContent = capabilityContent;
    }

    /** Called once the port is bound (0 = ephemeral until then). */
    public void setPort(int port) {
        allowedHosts = Set.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null || !allowedHosts.contains(host)) {
            JsonResponses.error(response, ErrorCode.FORBIDDEN_HOST,
                    "Host header '" + host + "' is not this helper's loopback address", callback);
            return true;
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !origins.isAllowed(origin)) {
            JsonResponses.error(response, ErrorCode.FORBIDDEN_ORIGIN, "Origin '" + origin + "' may not call this helper", callback);
            return true;
        }
        if (origin != null) {
            response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            response.getHeaders().put(HttpHeader.VARY, "Origin");
            if (request.getMethod().equals("OPTIONS") && request.getHeaders().contains(HttpHeader.ACCESS_CONTROL_REQUEST_METHOD)) {
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_METHODS, ALLOWED_METHODS);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS);
                response.getHeaders().put(HttpHeader.ACCESS_CONTROL_MAX_AGE, "600");
                response.setStatus(204);
                callback.succeeded();
                return true;
            }
        }
        if (capabilityContent != null && Request.getPathInContext(request).startsWith(StreamRoutes.CONTENT_PREFIX)) {
            return capabilityContent.handle(request, response, callback);
        }
        if (!hasValidToken(request)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"magnetar\"");
            JsonResponses.error(response, ErrorCode.UNAUTHORIZED,
                    "missing or wrong bearer token; the extension learns it from the native messaging hello", callback);
            return true;
        }
        return super.handle(request, response, callback);
    }

    private boolean hasValidToken(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null) {
            return auth.regionMatches(true, 0, "Bearer ", 0, 7) && matches(auth.substring(7).trim());
        }
        // Browsers cannot set headers on a WebSocket handshake; the token rides as a subprotocol instead.
        for (HttpField field : request.getHeaders().getFields(HttpHeader.SEC_WEBSOCKET_SUBPROTOCOL)) {
            List<String> values = field.getValueList();
            for (String v : values) {
                if (v.startsWith(BEARER_SUBPROTOCOL_PREFIX) && matches(v.substring(BEARER_SUBPROTOCOL_PREFIX.length()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean matches(String presented) {
        // Constant-time: the comparison must not reveal how many leading bytes were right.
        return MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.US_ASCII));
    }
}
