package dev.magnetar.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where the daemon's TRON connection is, for {@code GET /api/v1/health}: the API answers before the
 * chain is up (it starts after the API, and only when a wallet needs it), so a client can tell a
 * chain still starting from one that will not come.
 */
public enum ChainState {
    /** Not started: no wallet has needed it yet. */
    OFF,
    /** Starting on its own thread; wallet routes wait for it. */
    STARTING,
    READY,
    /** The start failed or ran out of patience; wallet routes answer CHAIN_UNAVAILABLE with why. */
    UNAVAILABLE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
