package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.MutableClock;
import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.wire.HolepunchMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class HolepunchTriggerTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T02:00:00Z"));
    private final HolepunchTrigger trigger = new HolepunchTrigger(clock);
    private final InetSocketAddress target = new InetSocketAddress("10.0.0.7", 6881);
    private final Relay relay = new Relay(true);

    private static final Predicate<ExtensionPeer> ALL_LIVE = p -> true;
    private static final Predicate<InetSocketAddress> CONNECTED_TO_NONE = a -> false;

    @Test
    void aFailedDialToAPeerPexNamedAsksThePeerThatNamedIt() {
        trigger.introduced(relay, List.of(target));
        assertEquals(Optional.of(relay), trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE));
    }

    @Test
    void aPeerNobodyIntroducedIsNotPunched() {
        trigger.introduced(relay, List.of(new InetSocketAddress("10.0.0.8", 6881)));
        assertEquals(Optional.empty(), trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE), "a tracker's or the DHT's peer has no introducer");
    }

    @Test
    void oneRendezvousPerTargetPerCooldown() {
        trigger.introduced(relay, List.of(target));
        assertTrue(trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE).isPresent());
        clock.advance(HolepunchTrigger.COOLDOWN.minusSeconds(1));
        assertEquals(Optional.empty(), trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE), "within the cooldown");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Optional.of(relay), trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE), "once it is over, again");
    }

    @Test
    void aTargetWeAreConnectedToIsNotPunched() {
        trigger.introduced(relay, List.of(target));
        assertEquals(Optional.empty(), trigger.dialFailed(target, ALL_LIVE, target::equals));
        assertEquals(Optional.of(relay), trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE),
                "and that refusal started no cooldown");
    }

    @Test
    void anIntroducerThatLeftOrSpeaksNoUtHolepunchIsNotAsked() {
        trigger.introduced(relay, List.of(target));
        assertEquals(Optional.empty(), trigger.dialFailed(target, p -> p != relay, CONNECTED_TO_NONE), "closed, not yet reported gone");
        trigger.peerGone(relay);
        assertEquals(Optional.empty(), trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE), "reported gone");

        Relay mute = new Relay(false);
        trigger.introduced(mute, List.of(target));
        assertEquals(Optional.empty(), trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE), "no ut_holepunch in its handshake");
    }

    @Test
    void theLatestIntroducerIsAsked() {
        Relay second = new Relay(true);
        trigger.introduced(relay, List.of(target));
        trigger.introduced(second, List.of(target));
        assertEquals(Optional.of(second), trigger.dialFailed(target, ALL_LIVE, CONNECTED_TO_NONE));
    }

    @Test
    void introductionsAreBoundedOldestForgottenFirst() {
        List<InetSocketAddress> many = new ArrayList<>();
        for (int i = 0; i < HolepunchTrigger.REMEMBERED + 10; i++) {
            many.add(new InetSocketAddress("10.1." + (i >> 8) + "." + (i & 0xFF), 6881));
        }
        trigger.introduced(relay, many);
        assertEquals(HolepunchTrigger.REMEMBERED, trigger.introductions());
        assertEquals(Optional.empty(), trigger.dialFailed(many.get(0), ALL_LIVE, CONNECTED_TO_NONE), "the oldest was forgotten");
        assertEquals(Optional.of(relay), trigger.dialFailed(many.get(many.size() - 1), ALL_LIVE, CONNECTED_TO_NONE));
    }

    /** A connection as the trigger sees it: only whether it speaks ut_holepunch matters. */
    private static final class Relay implements ExtensionPeer {
        private final boolean speaksHolepunch;

        Relay(boolean speaksHolepunch) {
            this.speaksHolepunch = speaksHolepunch;
        }

        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress("10.0.0.1", 51413);
        }

        @Override
        public OptionalInt remoteId(String extension) {
            return speaksHolepunch && extension.equals(HolepunchMessage.EXTENSION_NAME) ? OptionalInt.of(4) : OptionalInt.empty();
        }

        @Override
        public void sendExtended(int remoteExtendedId, byte[] payload) {
            throw new AssertionError("the trigger only decides; it sends nothing");
        }
    }
}
