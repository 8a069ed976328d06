package dev.magnetar.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Capability URLs for the player: each grant lets whoever holds its capability read one file of one
 * torrent, without the API token (a {@code <video>} element cannot send one), until it expires or is
 * revoked. One grant per file: asking again renews it. Kept in memory only, so a daemon restart
 * revokes them all. Thread-safe.
 */
final class StreamGrants {

    static final Duration DEFAULT_TTL = Duration.ofHours(6);
    static final Duration MAX_TTL = Duration.ofDays(7);
    /** 256 random bits: unguessable, as the API token (and more than the 128 the contract asks for). */
    private static final int CAPABILITY_BYTES = 32;
    private static final int ID_BYTES = 12;

    record Grant(String id, String capability, String infoHash, int fileIndex, Instant expiresAt) {}

    private final Clock clock;
    private final SecureRandom random;
    private final Map<String, Grant> byId = new ConcurrentHashMap<>();
    /**
     * Keyed by the SHA-256 of the capability, not the capability: how long a map lookup takes then
     * says nothing about how much of a guessed capability was right.
     */
    private final Map<String, Grant> byCapabilityDigest = new ConcurrentHashMap<>();

    StreamGrants(Clock clock, SecureRandom random) {
        this.clock = clock;
        this.random = random;
    }

    /** A grant for this file valid for {@code ttl} from now: the existing one renewed, or a new one. */
    synchronized Grant grant(String infoHash, int fileIndex, Duration ttl) {
        Instant expires = clock.instant().plus(ttl);
        for (Grant g : byId.values()) {
            if (g.infoHash().equals(infoHash) && g.fileIndex() == fileIndex && isLive(g)) {
                Grant renewed = new Grant(g.id(), g.capability(), infoHash, fileIndex, expires);
                put(renewed);
                return renewed;
            }
        }
        Grant fresh = new Grant(token(ID_BYTES), token(CAPABILITY_BYTES), infoHash, fileIndex, expires);
        put(fresh);
        return fresh;
    }

    /** The live grant this capability stands for; empty for an unknown, expired or revoked one alike. */
    Optional<Grant> byCapability(String capability) {
        Grant g = byCapabilityDigest.get(digest(capability));
        return g != null && isLive(g) ? Optional.of(g) : Optional.empty();
    }

    Optional<Grant> byId(String id) {
        Grant g = byId.get(id);
        return g != null && isLive(g) ? Optional.of(g) : Optional.empty();
    }

    /** Live grants, soonest to expire first; expired ones are forgotten on the way. */
    synchronized List<Grant> list() {
        List<Grant> live = new ArrayList<>();
        for (Grant g : new ArrayList<>(byId.values())) {
            if (isLive(g)) {
                live.add(g);
            } else {
                remove(g);
            }
        }
        live.sort(Comparator.comparing(Grant::expiresAt).thenComparing(Grant::id));
        return live;
    }

    /** Whether a live grant was revoked. */
    synchronized boolean revoke(String id) {
        Grant g = byId.get(id);
        if (g == null) {
            return false;
        }
        remove(g);
        return isLive(g);
    }

    /** The torrent is gone: so are its grants. */
    synchronized void revokeTorrent(String infoHash) {
        for (Grant g : new ArrayList<>(byId.values())) {
            if (g.infoHash().equals(infoHash)) {
                remove(g);
            }
        }
    }

    private boolean isLive(Grant g) {
        return clock.instant().isBefore(g.expiresAt());
    }

    private void put(Grant g) {
        byId.put(g.id(), g);
        byCapabilityDigest.put(digest(g.capability()), g);
    }

    private void remove(Grant g) {
        byId.remove(g.id());
        byCapabilityDigest.remove(digest(g.capability()));
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String digest(String capability) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(capability.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
