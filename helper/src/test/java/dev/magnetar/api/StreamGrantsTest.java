package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamGrantsTest {

    private static final String A = "aa".repeat(20);
    private static final String B = "bb".repeat(20);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    private final StreamGrants grants = new StreamGrants(clock, new SecureRandom());

    @Test
    void aCapabilityIs256RandomBitsAndNeverTheId() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            StreamGrants.Grant g = grants.grant(A, i, Duration.ofHours(1));
            assertTrue(g.capability().matches("[A-Za-z0-9_-]{43}"), g.capability());
            assertNotEquals(g.id(), g.capability());
            assertTrue(seen.add(g.capability()));
        }
    }

    @Test
    void aGrantIsBoundToOneFileOfOneTorrent() {
        StreamGrants.Grant a0 = grants.grant(A, 0, Duration.ofHours(1));
        StreamGrants.Grant a1 = grants.grant(A, 1, Duration.ofHours(1));
        StreamGrants.Grant b0 = grants.grant(B, 0, Duration.ofHours(1));
        assertEquals(3, Set.of(a0.capability(), a1.capability(), b0.capability()).size());
        assertEquals(a1, grants.byCapability(a1.capability()).orElseThrow());
        assertTrue(grants.byCapability(a1.capability() + "x").isEmpty());
        assertTrue(grants.byCapability("").isEmpty());
    }

    @Test
    void askingAgainRenewsTheSameGrantAndExpiryEndsIt() {
        StreamGrants.Grant first = grants.grant(A, 0, Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(9));
        StreamGrants.Grant renewed = grants.grant(A, 0, Duration.ofMinutes(10));
        assertEquals(first.capability(), renewed.capability());
        assertEquals(clock.instant().plus(Duration.ofMinutes(10)), renewed.expiresAt());
        clock.advance(Duration.ofMinutes(10));
        assertTrue(grants.byCapability(first.capability()).isEmpty(), "expired exactly at expiresAt");
        assertTrue(grants.byId(first.id()).isEmpty());
        assertEquals(List.of(), grants.list());
        assertNotEquals(first.capability(), grants.grant(A, 0, Duration.ofMinutes(10)).capability());
    }

    @Test
    void revokingOneOrAllOfATorrentsGrantsEndsThem() {
        StreamGrants.Grant a0 = grants.grant(A, 0, Duration.ofHours(1));
        StreamGrants.Grant a1 = grants.grant(A, 1, Duration.ofHours(1));
        StreamGrants.Grant b0 = grants.grant(B, 0, Duration.ofHours(1));
        assertTrue(grants.revoke(a0.id()));
        assertFalse(grants.revoke(a0.id()), "already gone");
        assertFalse(grants.revoke("no-such-id"));
        assertTrue(grants.byCapability(a0.capability()).isEmpty());
        grants.revokeTorrent(A);
        assertTrue(grants.byCapability(a1.capability()).isEmpty());
        assertEquals(List.of(b0), grants.list());
    }
}
