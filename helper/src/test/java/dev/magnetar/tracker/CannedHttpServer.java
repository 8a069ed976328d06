package dev.magnetar.tracker;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/** A real Jetty server on 127.0.0.1 answering each path with a hand-written reply, for tracker client tests. */
public final class CannedHttpServer implements AutoCloseable {

    /** A reply: status, body chunks (several chunks and no length make Jetty send it chunked), headers. */
    public record Canned(int status, List<byte[]> chunks, boolean withLength, Map<String, String> headers) {
        public static Canned ok(byte[] body) {
            return new Canned(200, List.of(body), true, Map.of());
        }
    }

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server, 1, 1);
    private final Map<String, Canned> replies = new ConcurrentHashMap<>();
    public final List<String> rawQueries = new CopyOnWriteArrayList<>();

    public CannedHttpServer() throws Exception {
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                rawQueries.add(String.valueOf(request.getHttpURI().getQuery()));
                Canned c = replies.get(Request.getPathInContext(request));
                if (c == null) {
                    return false;
                }
                response.setStatus(c.status());
                c.headers().forEach((k, v) -> response.getHeaders().put(k, v));
                long total = c.chunks().stream().mapToLong(b -> b.length).sum();
                if (c.withLength()) {
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, total);
                }
                writeChunks(response, c.chunks(), 0, callback);
                return true;
            }
        });
        server.start();
    }

    private static void writeChunks(Response response, List<byte[]> chunks, int index, Callback done) {
        boolean last = index == chunks.size() - 1;
        response.write(last, ByteBuffer.wrap(chunks.get(index)), last ? done : Callback.from(
                () -> writeChunks(response, chunks, index + 1, done), done::failed));
    }

    public void reply(String path, Canned canned) {
        replies.put(path, canned);
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + path);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
