package dev.magnetar.engine;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Peers that let our uTP SYNs go unanswered while their TCP handshake came through: the next dial to
 * one of them goes over TCP alone instead of waiting out the {@linkplain DialRace#HEAD_START_MILLIS uTP
 * head start} again. libtorrent keeps the same fact per peer (its {@code supports_utp} flag is cleared
 * when a uTP connect fails and the peer is redialled over TCP); kept here for the whole engine, so a
 * torrent removed and added again, or another torrent on the same peer, does not pay the head start
 * once more. A peer that ignores uTP usually has it switched off (libtorrent's
 * {@code enable_incoming_utp=false} drops the SYN without a reset), and such a peer is often dialled
 * again and again: every re-add, every reconnect after a choke-out.
 *
 * <p>Bounded ({@link #MAX_REMEMBERED}, oldest first out) and forgotten after {@link #FORGET_AFTER_NANOS}:
 * a peer may turn uTP on later, and a TCP-only dial that fails also forgets it, so its next dial races
 * both again. Thread-safe: dials start on every torrent's loop.
 */
final class UtpSilentPeers {

    static final int MAX_REMEMBERED = 1024;
    static final long FORGET_AFTER_NANOS = TimeUnit.HOURS.toNanos(1);

    private final LongSupplier nanos;
    /** Peer → when its silence was seen; insertion order, so the eldest entry is the one to drop. */
    private final LinkedHashMap<InetSocketAddress, Long> silentSince = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };

    private int tcpAloneDials;

    UtpSilentPeers(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /** {@code peer} left our uTP SYNs unanswered until its TCP handshake arrived. */
    synchronized void silentOverUtp(InetSocketAddress peer) {
        silentSince.remove(peer); // re-inserted as the newest
        silentSince.put(peer, nanos.getAsLong());
    }

    /** Whether to dial {@code peer} over TCP alone: it was silent over uTP within the last hour. */
    synchronized boolean dialOverTcpAlone(InetSocketAddress peer) {
        Long since = silentSince.get(peer);
        if (since == null) {
            return false;
        }
        if (nanos.getAsLong() - since >= FORGET_AFTER_NANOS) {
            silentSince.remove(peer);
            return false;
        }
        tcpAloneDials++;
        return true;
    }

    /** A TCP-alone dial to {@code peer} failed: race both transports again next time. */
    synchronized void forget(InetSocketAddress peer) {
        silentSince.remove(peer);
    }

    /** How many dials went over TCP alone (diagnostics and tests). */
    synchronized int tcpAloneDials() {
        return tcpAloneDials;
    }

    synchronized int size() {
        return silentSince.size();
    }
}
