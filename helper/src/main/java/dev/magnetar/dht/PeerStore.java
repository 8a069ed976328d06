package dev.magnetar.dht;

import dev.magnetar.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers announced to us with announce_peer (BEP 5), per info-hash, each forgotten after {@code ttl}
 * unless re-announced. Bounded per info-hash (the oldest announcement makes room) and in the number of
 * info-hashes (new ones are refused when full), so announcers cannot exhaust our memory.
 */
public final class PeerStore {

    private final Clock clock;
    private final Duration ttl;
    private final int maxPeersPerInfoHash;
    private final int maxInfoHashes;
    /** Insertion order = announce order, so the first entry is the stalest. */
    private final Map<InfoHash, LinkedHashMap<InetSocketAddress, Instant>> swarms = new HashMap<>();

    public PeerStore(Clock clock, Duration ttl, int maxPeersPerInfoHash, int maxInfoHashes) {
        if (maxPeersPerInfoHash < 1 || maxInfoHashes < 1 || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("peer store bounds must be positive");
        }
        this.clock = clock;
        this.ttl = ttl;
        this.maxPeersPerInfoHash = maxPeersPerInfoHash;
        this.maxInfoHashes = maxInfoHashes;
    }

    /** Remembers {@code peer} for {@code infoHash}; false if the store is full of other info-hashes. */
    public synchronized boolean announce(InfoHash infoHash, InetSocketAddress peer) {
        Instant now = clock.instant();
        LinkedHashMap<InetSocketAddress, Instant> peers = swarms.get(infoHash);
        if (peers == null) {
            if (swarms.size() >= maxInfoHashes) {
                purgeExpired();
                if (swarms.size() >= maxInfoHashes) {
                    return false;
                }
            }
            peers = new LinkedHashMap<>();
            swarms.put(infoHash, peers);
        }
        peers.remove(peer); // re-announce moves it to the back with a fresh expiry
        if (peers.size() >= maxPeersPerInfoHash) {
            Iterator<InetSocketAddress> oldest = peers.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        peers.put(peer, now.plus(ttl));
        return true;
    }

    /** Up to {@code max} live peers for {@code infoHash}, in random order (so no peer is always left out). */
    public synchronized List<InetSocketAddress> peers(InfoHash infoHash, int max) {
        LinkedHashMap<InetSocketAddress, Instant> peers = swarms.get(infoHash);
        if (peers == null) {
            return List.of();
        }
        Instant now = clock.instant();
        peers.values().removeIf(expiry -> !now.isBefore(expiry));
        if (peers.isEmpty()) {
            swarms.remove(infoHash);
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>(peers.keySet());
        Collections.shuffle(out);
        return out.size() > max ? out.subList(0, max) : out;
    }

    /** Up to {@code max} live peers for {@code infoHash} whose address is of {@code family} (BEP 32). */
    public List<InetSocketAddress> peers(InfoHash infoHash, IpFamily family, int max) {
        List<InetSocketAddress> all = peers(infoHash, Integer.MAX_VALUE);
        List<InetSocketAddress> out = new ArrayList<>(Math.min(max, all.size()));
        for (InetSocketAddress p : all) {
            if (out.size() < max && IpFamily.of(p) == family) {
                out.add(p);
            }
        }
        return out;
    }

    /** Drops every expired announcement. */
    public synchronized void purgeExpired() {
        Instant now = clock.instant();
        for (Iterator<LinkedHashMap<InetSocketAddress, Instant>> it = swarms.values().iterator(); it.hasNext(); ) {
            LinkedHashMap<InetSocketAddress, Instant> peers = it.next();
            peers.values().removeIf(expiry -> !now.isBefore(expiry));
            if (peers.isEmpty()) {
                it.remove();
            }
        }
    }

    public synchronized int infoHashCount() {
        return swarms.size();
    }
}
