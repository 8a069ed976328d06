package dev.magnetar.engine;

import dev.magnetar.wire.ExtensionPeer;
import dev.magnetar.wire.HolepunchMessage;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides when a failed dial becomes a BEP 55 rendezvous, and whom to ask. BEP 55 names the natural
 * relay: the peer that told us of the target through PEX (BEP 11) is connected to it, so it can
 * introduce us. A peer that neither answers our uTP SYN nor our TCP SYN is most likely behind a NAT
 * that drops unsolicited packets; the introduction makes both ends dial at once, which such a NAT lets
 * through.
 *
 * <p>Bounded: at most one rendezvous per target per {@link #COOLDOWN} (a target that stays unreachable
 * costs its introducer one message every few minutes, not one per redial), none for a target we are
 * connected to, none through an introducer that is gone or does not speak {@code ut_holepunch}; at most
 * {@link #REMEMBERED} introductions and as many cooldowns are kept, the oldest forgotten first.
 *
 * <p>Not thread-safe: used on the torrent's loop.
 */
final class HolepunchTrigger {

    /** Between two rendezvous for one target (libtorrent asks once per failed uTP dial; we ask less often). */
    static final Duration COOLDOWN = Duration.ofMinutes(5);
    /** Introductions and cooldowns kept: PEX hands out at most this many candidates per torrent anyway. */
    static final int REMEMBERED = 4096;

    private final Clock clock;
    private final Map<InetSocketAddress, ExtensionPeer> introducers = bounded();
    private final Map<InetSocketAddress, Instant> lastAsked = bounded();

    HolepunchTrigger(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code source} told us of {@code targets} through PEX: it is connected to each of them. */
    void introduced(ExtensionPeer source, Collection<InetSocketAddress> targets) {
        for (InetSocketAddress t : targets) {
            introducers.remove(t); // re-inserted as the newest
            introducers.put(t, source);
        }
    }

    /**
     * Our dial to {@code target} failed without an answer on any transport. Returns the peer to ask for
     * a rendezvous, and starts the target's cooldown; empty when no rendezvous is due.
     *
     * @param live        whether a connection is still admitted (the introducer may have left since)
     * @param connectedTo whether we are connected to an address (then there is nothing to punch)
     */
    Optional<ExtensionPeer> dialFailed(InetSocketAddress target, Predicate<ExtensionPeer> live,
            Predicate<InetSocketAddress> connectedTo) {
        ExtensionPeer relay = introducers.get(target);
        if (relay == null || connectedTo.test(target) || !live.test(relay)
                || relay.remoteId(HolepunchMessage.EXTENSION_NAME).isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant last = lastAsked.get(target);
        if (last != null && now.isBefore(last.plus(COOLDOWN))) {
            return Optional.empty();
        }
        lastAsked.remove(target);
        lastAsked.put(target, now);
        return Optional.of(relay);
    }

    /** A connection closed: what it introduced can no longer be relayed by it. */
    void peerGone(ExtensionPeer peer) {
        introducers.values().removeIf(p -> p.equals(peer));
    }

    /** How many introductions are remembered (for tests of the bound). */
    int introductions() {
        return introducers.size();
    }

    private static <V> Map<InetSocketAddress, V> bounded() {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, V> eldest) {
                return size() > REMEMBERED;
            }
        };
    }
}
