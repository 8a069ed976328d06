package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChokerTest {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    /** Connected peers as the engine would see them; applies each decision like the engine would. */
    private static final class Swarm {
        final MutableClock clock = new MutableClock(START.plus(Duration.ofHours(1)));
        final Map<String, Peer> peers = new LinkedHashMap<>();

        static final class Peer {
            boolean interested = true;
            boolean chokedByUs = true;
            long downloadRate;
            long uploadRate;
            Instant connectedAt = START;
            Instant lastUnchokedAt;
            boolean snubbed;
            long uploadedSinceUnchoke;
        }

        Peer add(String key) {
            Peer p = new Peer();
            peers.put(key, p);
            return p;
        }

        List<PeerSnapshot<String>> snapshots() {
            List<PeerSnapshot<String>> out = new ArrayList<>();
            peers.forEach((k, p) -> out.add(new PeerSnapshot<>(k, p.interested, p.chokedByUs, p.downloadRate,
                    p.uploadRate, p.connectedAt, p.lastUnchokedAt, p.snubbed, p.uploadedSinceUnchoke)));
            return out;
        }

        /** One rechoke, then ten seconds of traffic. */
        ChokeDecision<String> round(Choker<String> choker, boolean seeding) {
            ChokeDecision<String> d = choker.rechoke(snapshots(), seeding);
            d.unchoke().forEach(k -> {
                Peer p = peers.get(k);
                assertTrue(p.chokedByUs, "unchoke sent to a peer that was not choked");
                p.chokedByUs = false;
                p.lastUnchokedAt = clock.instant();
                p.uploadedSinceUnchoke = 0;
            });
            d.choke().forEach(k -> {
                assertFalse(peers.get(k).chokedByUs, "choke sent to a peer that was already choked");
                peers.get(k).chokedByUs = true;
            });
            clock.advance(ChokerSettings.RECHOKE_INTERVAL);
            peers.values().forEach(p -> {
                if (!p.chokedByUs) {
                    p.uploadedSinceUnchoke += p.uploadRate * ChokerSettings.RECHOKE_INTERVAL.toSeconds();
                }
            });
            return d;
        }
    }

    private static Set<String> regular(ChokeDecision<String> d) {
        Set<String> s = new HashSet<>(d.unchoked());
        s.removeAll(d.optimistic());
        return s;
    }

    @Test
    void unchokesTheFourBestDownloadersPlusOneOptimistic() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 8; i++) {
            swarm.add("p" + i).downloadRate = i * 100L;
        }
        Choker<String> choker = new Choker<>(new Random(1), swarm.clock);
        ChokeDecision<String> d = swarm.round(choker, false);

        assertEquals(Set.of("p5", "p6", "p7", "p8"), regular(d));
        assertEquals(1, d.optimistic().size());
        assertFalse(regular(d).containsAll(d.optimistic()));
        assertEquals(5, d.unchoked().size());
        assertEquals(d.unchoked(), d.unchoke(), "all were choked before");
    }

    @Test
    void snubbedPeersGetNoRegularSlotWhileDownloading() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 6; i++) {
            swarm.add("p" + i).downloadRate = i * 100L;
        }
        swarm.peers.get("p6").snubbed = true;
        Choker<String> choker = new Choker<>(new Random(2), swarm.clock);
        assertEquals(Set.of("p2", "p3", "p4", "p5"), regular(swarm.round(choker, false)));
    }

    @Test
    void uninterestedPeersAreNeverUnchokedAndLoseTheirSlot() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 3; i++) {
            swarm.add("p" + i).downloadRate = i * 100L;
        }
        Choker<String> choker = new Choker<>(new Random(3), swarm.clock);
        assertEquals(Set.of("p1", "p2", "p3"), swarm.round(choker, false).unchoked());
        swarm.peers.get("p3").interested = false;
        ChokeDecision<String> d = swarm.round(choker, false);
        assertEquals(Set.of("p3"), d.choke());
        assertEquals(Set.of("p1", "p2"), d.unchoked());
    }

    @Test
    void fasterPeerTakesTheSlowestRegularSlot() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 4; i++) {
            swarm.add("p" + i).downloadRate = i * 100L;
        }
        Choker<String> choker = new Choker<>(ChokerSettings.DEFAULTS.withRegularSlots(4),
                new TitForTatSlotPolicy<>(), ReservedSlots.none(), new Random(4), swarm.clock);
        swarm.round(choker, false);
        Swarm.Peer fast = swarm.add("fast");
        fast.downloadRate = 1000;
        fast.chokedByUs = true;
        ChokeDecision<String> d = swarm.round(choker, false);
        assertTrue(regular(d).contains("fast"));
        assertFalse(regular(d).contains("p1"));
    }

    @Test
    void optimisticUnchokeRotatesEveryThreeRounds() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 4; i++) {
            swarm.add("fast" + i).downloadRate = 1000L * i;
        }
        for (int i = 1; i <= 6; i++) {
            swarm.add("slow" + i);
        }
        Choker<String> choker = new Choker<>(new Random(5), swarm.clock);
        List<Set<String>> optimistic = new ArrayList<>();
        for (int r = 0; r < 9; r++) {
            ChokeDecision<String> d = swarm.round(choker, false);
            assertEquals(Set.of("fast1", "fast2", "fast3", "fast4"), regular(d));
            optimistic.add(d.optimistic());
        }
        for (int period = 0; period < 3; period++) {
            assertEquals(optimistic.get(3 * period), optimistic.get(3 * period + 1));
            assertEquals(optimistic.get(3 * period), optimistic.get(3 * period + 2));
        }
        assertNotEquals(optimistic.get(2), optimistic.get(3), "rotated after 30 s");
        assertNotEquals(optimistic.get(5), optimistic.get(6), "rotated after 30 s");
    }

    @Test
    void optimisticUnchokeIsReplacedAtOnceWhenItLeaves() {
        Swarm swarm = new Swarm();
        swarm.add("a");
        swarm.add("b");
        ChokerSettings onlyOptimistic = ChokerSettings.DEFAULTS.withRegularSlots(0);
        Choker<String> choker = new Choker<>(onlyOptimistic, new TitForTatSlotPolicy<>(), ReservedSlots.none(),
                new Random(6), swarm.clock);
        String first = swarm.round(choker, false).optimistic().iterator().next();
        swarm.peers.remove(first);
        ChokeDecision<String> d = swarm.round(choker, false);
        assertEquals(1, d.optimistic().size());
        assertFalse(d.optimistic().contains(first));
    }

    @Test
    void newPeersAreThreeTimesLikelierToBeOptimisticallyUnchoked() {
        Random random = new Random(7);
        ChokerSettings onlyOptimistic = ChokerSettings.DEFAULTS.withRegularSlots(0);
        int newPicked = 0;
        int trials = 4000;
        for (int t = 0; t < trials; t++) {
            Swarm swarm = new Swarm();
            swarm.add("old1");
            swarm.add("old2");
            swarm.add("old3");
            swarm.add("new").connectedAt = swarm.clock.instant().minusSeconds(5);
            Choker<String> choker = new Choker<>(onlyOptimistic, new TitForTatSlotPolicy<>(), ReservedSlots.none(),
                    random, swarm.clock);
            if (swarm.round(choker, false).optimistic().contains("new")) {
                newPicked++;
            }
        }
        // weights 3:1:1:1 -> one half; unweighted would be one quarter
        double share = (double) newPicked / trials;
        assertTrue(share > 0.45 && share < 0.55, "new peer share " + share);
    }

    @Test
    void seedingRoundRobinGivesEveryInterestedPeerARegularTurn() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 12; i++) {
            // very different rates: ranking by rate alone would keep the same four forever
            swarm.add("p" + i).uploadRate = i * 100_000L;
        }
        Choker<String> choker = new Choker<>(new Random(8), swarm.clock);
        Set<String> hadRegularTurn = new HashSet<>();
        for (int r = 0; r < 30; r++) {
            ChokeDecision<String> d = swarm.round(choker, true);
            assertEquals(4, regular(d).size());
            hadRegularTurn.addAll(regular(d));
        }
        assertEquals(swarm.peers.keySet(), hadRegularTurn);
    }

    @Test
    void seedingTurnLastsUntilTheQuotaIsUploaded() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 10; i++) {
            swarm.add("p" + i).uploadRate = 100_000;
        }
        Choker<String> choker = new Choker<>(ChokerSettings.DEFAULTS, new TitForTatSlotPolicy<>(2_500_000,
                Duration.ofMinutes(10)), ReservedSlots.none(), new Random(9), swarm.clock);
        Set<String> first = regular(swarm.round(choker, true));
        // 1 MB per round: still in turn after rounds 1 and 2, quota of 2.5 MB reached after round 3
        assertEquals(first, regular(swarm.round(choker, true)));
        assertEquals(first, regular(swarm.round(choker, true)));
        Set<String> fourth = regular(swarm.round(choker, true));
        assertTrue(fourth.stream().noneMatch(first::contains), "the waiting peers take over: " + fourth);
    }

    @Test
    void neverUnchokesMoreThanTheSlotsPlusOptimisticNorAnUninterestedPeer() {
        Random shape = new Random(10);
        Swarm swarm = new Swarm();
        Choker<String> choker = new Choker<>(new Random(11), swarm.clock);
        for (int r = 0; r < 300; r++) {
            for (int i = 0; i < 15; i++) {
                String key = "p" + i;
                if (shape.nextInt(10) == 0) {
                    swarm.peers.remove(key);
                    continue;
                }
                Swarm.Peer p = swarm.peers.computeIfAbsent(key, k -> {
                    Swarm.Peer fresh = new Swarm.Peer();
                    fresh.connectedAt = swarm.clock.instant();
                    return fresh;
                });
                p.interested = shape.nextInt(4) != 0;
                p.snubbed = shape.nextInt(8) == 0;
                p.downloadRate = shape.nextInt(1000);
                p.uploadRate = shape.nextInt(1000);
            }
            ChokeDecision<String> d = swarm.round(choker, shape.nextBoolean());
            assertTrue(d.unchoked().size() <= 5, "unchoked " + d.unchoked());
            assertTrue(d.optimistic().size() <= 1);
            for (String k : d.unchoked()) {
                assertTrue(swarm.peers.get(k).interested, k + " unchoked without interest");
            }
        }
    }

    @Test
    void reservedSlotsAreGrantedFirstAndTitForTatFillsTheRest() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 8; i++) {
            swarm.add("p" + i).downloadRate = i * 100L;
        }
        ReservedSlots<String> paid = (candidates, max, ctx) -> List.of("p1");
        Choker<String> choker = new Choker<>(ChokerSettings.DEFAULTS, new TitForTatSlotPolicy<>(), paid,
                new Random(12), swarm.clock);
        ChokeDecision<String> d = swarm.round(choker, true);
        assertEquals(Set.of("p1"), d.reserved());
        assertEquals(4, regular(d).size(), "one reserved plus three tit-for-tat");
        assertTrue(regular(d).contains("p1"));
        assertEquals(5, d.unchoked().size());
    }

    @Test
    void aBidderHoldingTheOptimisticUnchokeCanStillWinAPaidSlot() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 6; i++) {
            swarm.add("p" + i).downloadRate = i * 100L;
        }
        Set<String> bidders = new HashSet<>();
        ReservedSlots<String> paid = (candidates, max, ctx) -> candidates.stream().map(PeerSnapshot::key)
                .filter(bidders::contains).limit(max).toList();
        Choker<String> choker = new Choker<>(ChokerSettings.DEFAULTS, new TitForTatSlotPolicy<>(), paid,
                new Random(15), swarm.clock);
        String optimistic = swarm.round(choker, false).optimistic().iterator().next();

        bidders.add(optimistic); // its bid arrives after the round that made it the optimistic unchoke
        ChokeDecision<String> d = swarm.round(choker, false);

        assertEquals(Set.of(optimistic), d.reserved(), "the optimistic slot is not for sale, but its holder may buy a paid one");
        assertFalse(d.optimistic().contains(optimistic));
        assertEquals(1, d.optimistic().size(), "the optimistic slot went to another peer");
        assertEquals(5, d.unchoked().size());
    }

    @Test
    void aPluggedPolicyCannotExceedItsSlotsOrInventPeers() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 5; i++) {
            swarm.add("p" + i);
        }
        ReservedSlots<String> greedy = (candidates, max, ctx) -> List.of("p1", "p2", "p3");
        Choker<String> tooMany = new Choker<>(ChokerSettings.DEFAULTS, new TitForTatSlotPolicy<>(), greedy,
                new Random(13), swarm.clock);
        assertThrows(IllegalStateException.class, () -> tooMany.rechoke(swarm.snapshots(), true));

        SlotPolicy<String> inventive = (candidates, slots, ctx) -> List.of("stranger");
        Choker<String> invents = new Choker<>(ChokerSettings.DEFAULTS, inventive, ReservedSlots.none(),
                new Random(14), swarm.clock);
        assertThrows(IllegalStateException.class, () -> invents.rechoke(swarm.snapshots(), false));
    }

    @Test
    void aCustomSlotPolicyDecidesTheRegularSlots() {
        Swarm swarm = new Swarm();
        for (int i = 1; i <= 6; i++) {
            swarm.add("p" + i).downloadRate = i * 100L;
        }
        SlotPolicy<String> firstComers = (candidates, slots, ctx) ->
                candidates.stream().limit(slots).map(PeerSnapshot::key).toList();
        Choker<String> choker = new Choker<>(ChokerSettings.DEFAULTS.withMaxReservedSlots(0), firstComers,
                ReservedSlots.none(), new Random(15), swarm.clock);
        assertEquals(Set.of("p1", "p2", "p3", "p4"), regular(swarm.round(choker, false)));
    }

    @Test
    void refusesBadInput() {
        Swarm swarm = new Swarm();
        swarm.add("a");
        List<PeerSnapshot<String>> twice = new ArrayList<>(swarm.snapshots());
        twice.addAll(swarm.snapshots());
        Choker<String> choker = new Choker<>(new Random(16), swarm.clock);
        assertThrows(IllegalArgumentException.class, () -> choker.rechoke(twice, false));
        assertThrows(IllegalArgumentException.class,
                () -> new PeerSnapshot<>("x", true, true, -1, 0, START, null, false, 0));
        assertThrows(IllegalArgumentException.class, () -> ChokerSettings.DEFAULTS.withMaxReservedSlots(5));
    }
}
