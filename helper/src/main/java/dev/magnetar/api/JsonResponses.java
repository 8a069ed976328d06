package dev.magnetar.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** Writes JSON bodies and errors on a Jetty response; never caches (tokens and balances are private). */
final class JsonResponses {

    private JsonResponses() {}

    static void write(Response response, int status, Object body, Callback callback) {
        if (status == 204) {
            response.setStatus(204);
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.write(true, null, callback);
            return;
        }
        ByteBuffer content;
        try {
            content = body instanceof EncodedJson encoded ? encoded.content() : ByteBuffer.wrap(Json.mapper().writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            status = 500;
            content = ByteBuffer.wrap(("{\"code\":\"INTERNAL\",\"message\":\"response could not be encoded\"}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, content, callback);
    }

    static void error(Response response, ErrorCode code, String message, Callback callback) {
        write(response, code.httpStatus(), ErrorBody.of(code, message), callback);
    }
}
