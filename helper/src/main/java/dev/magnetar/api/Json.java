package dev.magnetar.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The API's Jackson setup. Strict on input: unknown fields and a number where a string is expected are
 * refused (a typo in a request must not silently mean "default"). Nulls are written, so every field in
 * the schema is always present.
 *
 * <p>Its working buffers are shared by the threads that read and write JSON, at most {@link #SHARED_BUFFER_SETS} sets
 * kept. Jackson's default keeps a set per thread (in a {@code ThreadLocal}, softly referenced — which a JVM with a
 * heap cap of gigabytes clears only after an hour or more unused), grown to the largest document that thread wrote:
 * every Jetty and event-sender thread that answered held its own, tens of KiB of {@code char[]} and {@code byte[]}
 * each (11 in a daemon during a soak; its heap at the final idle, bench/README.md). A set is taken for one document
 * and given back at its end, so four cover API calls answered at the same moment; a fifth is made and dropped.
 */
public final class Json {

    static final int SHARED_BUFFER_SETS = 4;

    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder().recyclerPool(JsonRecyclerPools.newBoundedPool(SHARED_BUFFER_SETS)).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    private Json() {}

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
