package dev.magnetar.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches to the route table: 404 for an unknown path, 405 (with {@code Allow}) for a known path and
 * another method, 415 unless a state-changing request says {@code Content-Type: application/json}
 * (a web page's no-cors form post cannot), 413 over the route's body limit, 400 for malformed JSON.
 * Runs behind {@link SecurityHandler}, so every request here is already authenticated.
 */
public final class Router extends Handler.Abstract {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final List<Route> routes;

    public Router(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public List<Route> routes() {
        return routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        Route route = null;
        Map<String, String> params = null;
        for (Route r : routes) {
            if (r.method().equals(method)) {
                Optional<Map<String, String>> m = r.path().match(path);
                if (m.isPresent()) {
                    route = r;
                    params = m.get();
                    break;
                }
            }
        }
        try {
            if (route == null) {
                TreeSet<String> allowed = allowedMethods(path);
                if (allowed.isEmpty()) {
                    throw new ApiException(ErrorCode.NOT_FOUND, "no such API route: " + path);
                }
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", allowed));
                throw new ApiException(ErrorCode.METHOD_NOT_ALLOWED, method + " is not allowed on " + path + "; use " + String.join(" or ", allowed));
            }
            JsonNode body = route.changesState() ? readJsonBody(request, route.maxBodyBytes()) : null;
            Reply reply = route.handler().handle(new ApiCall(params, body));
            JsonResponses.write(response, reply.status(), reply.body(), reply.afterResponse() == null ? callback : new Callback() {
                @Override
                public void succeeded() {
                    callback.succeeded();
                    reply.afterResponse().run();
                }

                @Override
                public void failed(Throwable x) {
                    callback.failed(x);
                    reply.afterResponse().run();
                }
            });
        } catch (Exception e) { // the outermost edge of a request: every failure becomes a JSON error
            ApiException api = ErrorMapper.map(e);
            if (api.code() == ErrorCode.INTERNAL) {
                LOG.error("{} {} failed", method, path, e);
            } else {
                LOG.debug("{} {} refused: {} {}", method, path, api.code(), api.getMessage());
            }
            if (api.code() == ErrorCode.PAYLOAD_TOO_LARGE || api.code() == ErrorCode.UNSUPPORTED_MEDIA_TYPE) {
                // Refused before the body was read: the connection cannot be reused, and saying so stops a
                // keep-alive client from sending its next request into a socket the server is closing.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            if (api.code() == ErrorCode.HELPER_STARTING) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(StartupGate.RETRY_AFTER_SECONDS));
            }
            JsonResponses.error(response, api.code(), api.getMessage(), callback);
        }
        return true;
    }

    /** Only on the error path: which methods the path has, for 404 versus 405 and the Allow header. */
    private TreeSet<String> allowedMethods(String path) {
        TreeSet<String> allowed = new TreeSet<>();
        for (Route r : routes) {
            if (r.path().match(path).isPresent()) {
                allowed.add(r.method());
            }
        }
        return allowed;
    }

    private static JsonNode readJsonBody(Request request, long maxBytes) throws ApiException, IOException {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String base = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "state-changing requests must be sent as Content-Type: application/json" + (contentType == null ? "" : ", not " + contentType));
        }
        long declared = request.getLength();
        if (declared > maxBytes) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body of " + declared + " bytes exceeds the limit of " + maxBytes);
        }
        byte[] bytes;
        try (InputStream in = Content.Source.asInputStream(request)) {
            // Read one byte past the limit so a chunked body that lied about nothing is still caught.
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 1, maxBytes + 1));
        }
        if (bytes.length > maxBytes) {
            throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "request body exceeds the limit of " + maxBytes + " bytes");
        }
        if (bytes.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorCode.MALFORMED_JSON, "malformed JSON: " + ApiCall.firstLine(e.getOriginalMessage()));
        }
    }
}
