package dev.magnetar.api;

import dev.magnetar.api.ApiMessages.ShuttingDown;
import dev.magnetar.api.ApiMessages.VersionInfo;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** Health, version, network, settings and shutdown. */
final class SystemRoutes {

    /**
     * {@code GET /api/v1/health}'s body for each chain state, written out once: {@link ApiMessages.Health} as Jackson writes
     * it ({@code SystemRoutesTest} compares the two), so the first answer a starting daemon gives builds no
     * serializer. That first answer is what a client waits for after the daemon is announced, and building
     * the record's serializer was ~6–12 ms of it at RT priority (bench/README.md, "Start-up, session 18").
     */
    static final Map<ChainState, EncodedJson> HEALTH_BODIES = healthBodies();

    private final String version;
    private final SettingsStore settings;
    private final Runnable shutdown;
    private final Supplier<NetworkStatus> network;
    private final Supplier<ChainState> chain;

    SystemRoutes(String version, SettingsStore settings, Runnable shutdown, Supplier<NetworkStatus> network, Supplier<ChainState> chain) {
        this.version = version;
        this.settings = settings;
        this.shutdown = shutdown;
        this.network = network;
        this.chain = chain;
    }

    /** Answers at once, whatever the chain is doing: readiness of the API itself, and where the chain is. */
    Reply health(ApiCall call) {
        return Reply.ok(HEALTH_BODIES.get(chain.get()));
    }

    private static Map<ChainState, EncodedJson> healthBodies() {
        Map<ChainState, EncodedJson> bodies = new EnumMap<>(ChainState.class);
        for (ChainState state : ChainState.values()) {
            // Both strings are fixed ASCII words (a record component name, an enum's wire name): nothing to escape.
            String json = "{\"status\":\"ok\",\"chain\":\"" + state.wireName() + "\"}";
            bodies.put(state, new EncodedJson(json.getBytes(StandardCharsets.UTF_8)));
        }
        return bodies;
    }

    Reply version(ApiCall call) {
        return Reply.ok(new VersionInfo(version, ApiMessages.API_VERSION, ApiMessages.PROTOCOL_VERSION));
    }

    Reply network(ApiCall call) {
        return Reply.ok(network.get());
    }

    Reply settings(ApiCall call) {
        return Reply.ok(settings.get());
    }

    Reply updateSettings(ApiCall call) throws Exception {
        return Reply.ok(settings.update(call.body(SettingsUpdate.class)));
    }

    /** The native host calls this when the browser quits and "quit with browser" is on. Stops after answering. */
    Reply shutdown(ApiCall call) throws Exception {
        call.body(ApiMessages.EmptyRequest.class);
        return Reply.accepted(new ShuttingDown("shutting_down")).then(shutdown);
    }

    Reply eventsNeedUpgrade(ApiCall call) throws ApiException {
        throw new ApiException(ErrorCode.INVALID_REQUEST, "/api/v1/events is a WebSocket: connect with subprotocols magnetar.v1 and bearer.<token>");
    }
}
