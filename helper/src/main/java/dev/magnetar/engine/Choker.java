package dev.magnetar.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Decides whom we upload to (BEP 3 choking). Call {@link #rechoke} every
 * {@link ChokerSettings#RECHOKE_INTERVAL}; send the resulting "choke"/"unchoke" messages.
 *
 * <p>One round, in order:
 * <ol>
 *   <li>keep the optimistic unchoke(s) unless their {@code optimisticRotationRounds} are over or they
 *       left or lost interest;</li>
 *   <li>{@link ReservedSlots}: slots granted before anyone is ranked (paid slots), at most
 *       {@code maxReservedSlots}; the optimistic unchoke's holder may win one and then gives its
 *       optimistic slot up;</li>
 *   <li>{@link SlotPolicy}: the remaining regular slots (tit-for-tat by default);</li>
 *   <li>empty optimistic slots go to a random interested peer we choke, new connections weighted
 *       {@code newPeerWeight}× (BEP 3: it lets new peers get a first piece to trade, and finds
 *       faster partners than the current ones).</li>
 * </ol>
 * Only interested peers are ever unchoked — never "whoever is interested" beyond the slots — so at
 * most {@code regularSlots + optimisticSlots} are unchoked after any round.
 *
 * <p>Not thread-safe: one choker per torrent, called from the torrent's event loop. Deterministic
 * given the same inputs, clock and seeded random.
 */
public final class Choker<P> {

    private final ChokerSettings settings;
    private final SlotPolicy<P> slotPolicy;
    private final ReservedSlots<P> reservedSlots;
    private final RandomGenerator random;
    private final Clock clock;
    /** Current optimistic unchokes and the round each was chosen in. */
    private final Map<P, Long> optimistic = new LinkedHashMap<>();
    private long round;

    /** Plain BitTorrent: default slots, tit-for-tat, no reserved slots. */
    public Choker(RandomGenerator random, Clock clock) {
        this(ChokerSettings.DEFAULTS, new TitForTatSlotPolicy<>(), ReservedSlots.none(), random, clock);
    }

    public Choker(ChokerSettings settings, SlotPolicy<P> slotPolicy, ReservedSlots<P> reservedSlots,
            RandomGenerator random, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.slotPolicy = Objects.requireNonNull(slotPolicy, "slotPolicy");
        this.reservedSlots = Objects.requireNonNull(reservedSlots, "reservedSlots");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param peers every connected peer of the torrent, each key once
     * @param seeding the torrent is complete
     * @throws IllegalArgumentException if a key appears twice
     * @throws IllegalStateException if a plugged-in policy returns peers it was not offered or too many
     */
    public ChokeDecision<P> rechoke(List<PeerSnapshot<P>> peers, boolean seeding) {
        Map<P, PeerSnapshot<P>> byKey = new LinkedHashMap<>();
        for (PeerSnapshot<P> p : peers) {
            if (byKey.put(p.key(), p) != null) {
                throw new IllegalArgumentException("peer " + p.key() + " appears twice in one rechoke");
            }
        }
        round++;
        RechokeContext context = new RechokeContext(clock.instant(), seeding, round);

        optimistic.keySet().removeIf(k -> byKey.get(k) == null || !byKey.get(k).interested()
                || round - optimistic.get(k) >= settings.optimisticRotationRounds());

        // Every interested peer may win a reserved slot, the optimistic unchoke's holder too: it was chosen at
        // random, maybe before it bid, and would otherwise be kept from buying for up to three rounds. A winner
        // gives its optimistic slot up, and the slot goes to another peer below (it is never what is sold).
        List<PeerSnapshot<P>> pool = remaining(byKey, Set.of());
        List<P> reserved = checked("reserved-slot step", reservedSlots.reserve(pool, settings.maxReservedSlots(), context),
                pool, settings.maxReservedSlots());
        optimistic.keySet().removeAll(reserved);
        Set<P> unchoked = new LinkedHashSet<>(optimistic.keySet());
        unchoked.addAll(reserved);

        int regularLeft = settings.regularSlots() - reserved.size();
        pool = remaining(byKey, unchoked);
        unchoked.addAll(checked("slot policy", slotPolicy.choose(pool, regularLeft, context), pool, regularLeft));

        fillOptimisticSlots(byKey, unchoked, context.now());
        unchoked.addAll(optimistic.keySet());

        Set<P> unchoke = new LinkedHashSet<>();
        Set<P> choke = new LinkedHashSet<>();
        for (PeerSnapshot<P> p : byKey.values()) {
            boolean keep = unchoked.contains(p.key());
            if (keep && p.chokedByUs()) {
                unchoke.add(p.key());
            } else if (!keep && !p.chokedByUs()) {
                choke.add(p.key());
            }
        }
        return new ChokeDecision<>(unchoke, choke, unchoked, optimistic.keySet(), new LinkedHashSet<>(reserved));
    }

    private void fillOptimisticSlots(Map<P, PeerSnapshot<P>> byKey, Set<P> unchoked, Instant now) {
        List<PeerSnapshot<P>> candidates = new ArrayList<>();
        for (PeerSnapshot<P> p : byKey.values()) {
            if (p.interested() && p.chokedByUs() && !unchoked.contains(p.key())) {
                candidates.add(p);
            }
        }
        while (optimistic.size() < settings.optimisticSlots() && !candidates.isEmpty()) {
            int[] weights = new int[candidates.size()];
            int total = 0;
            for (int i = 0; i < weights.length; i++) {
                boolean isNew = Duration.between(candidates.get(i).connectedAt(), now)
                        .compareTo(settings.newPeerWindow()) < 0;
                weights[i] = isNew ? settings.newPeerWeight() : 1;
                total += weights[i];
            }
            int ticket = random.nextInt(total);
            int chosen = 0;
            while (ticket >= weights[chosen]) {
                ticket -= weights[chosen++];
            }
            optimistic.put(candidates.remove(chosen).key(), round);
        }
    }

    private static <P> List<PeerSnapshot<P>> remaining(Map<P, PeerSnapshot<P>> byKey, Set<P> taken) {
        List<PeerSnapshot<P>> pool = new ArrayList<>();
        for (PeerSnapshot<P> p : byKey.values()) {
            if (p.interested() && !taken.contains(p.key())) {
                pool.add(p);
            }
        }
        return pool;
    }

    /** A plugged-in policy may only pick from what it was offered, each once, within its slots. */
    private static <P> List<P> checked(String step, List<P> chosen, List<PeerSnapshot<P>> offered, int slots) {
        Map<P, Boolean> allowed = new HashMap<>();
        offered.forEach(p -> allowed.put(p.key(), Boolean.TRUE));
        Set<P> distinct = new LinkedHashSet<>(chosen);
        if (distinct.size() != chosen.size() || chosen.size() > Math.max(slots, 0)
                || !allowed.keySet().containsAll(distinct)) {
            throw new IllegalStateException(step + " returned " + chosen + " for " + slots
                    + " slots; it may only pick distinct offered peers");
        }
        return List.copyOf(chosen);
    }
}
