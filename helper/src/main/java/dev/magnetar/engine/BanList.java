package dev.magnetar.engine;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides when a peer that sent data for pieces failing their hash check is banned, and remembers
 * the bans of one torrent.
 *
 * <p>The rule (in the spirit of libtorrent's trust points and Transmission's strikes): a failed
 * piece gives each peer that contributed blocks to it one strike — but a peer that was its
 * <em>only</em> contributor gets {@value #BAN_STRIKES} strikes at once, because then the bad data
 * can only have come from it. A peer with {@value #BAN_STRIKES} or more strikes is banned: it is
 * disconnected, we never connect to its address:port again, and incoming connections with its peer
 * id (from any port) are refused. So an innocent peer that shared a piece with a liar survives one
 * bad piece; a peer in two failed pieces, or alone in one, does not. A failed piece that a banned peer
 * contributed to gives no strikes: the banned peer explains it.
 *
 * <p>Strikes are counted on the torrent's event loop only; the ban checks may be asked from any thread.
 */
public final class BanList {

    public static final int BAN_STRIKES = 2;

    private final Map<PeerIdentity, Integer> strikes = new HashMap<>();
    // Concurrent sets: the incoming-handshake check may run on another event loop than the torrent's.
    private final Set<InetSocketAddress> bannedAddresses = ConcurrentHashMap.newKeySet();
    private final Set<String> bannedPeerIds = ConcurrentHashMap.newKeySet();

    /**
     * Records a failed piece.
     *
     * @param contributors every peer that sent blocks of it
     * @return the peers banned because of it (newly), to disconnect
     */
    public List<PeerIdentity> pieceFailed(Collection<PeerIdentity> contributors) {
        if (contributors.stream().anyMatch(this::isBanned)) {
            // A peer already banned for lying sent part of it: that explains the failure. Pieces it had
            // filled into were already being hashed when it was banned (the rest are discarded then), and
            // striking the honest peers beside it banned an honest web seed after two such pieces.
            return List.of();
        }
        int penalty = contributors.size() == 1 ? BAN_STRIKES : 1;
        List<PeerIdentity> banned = new ArrayList<>();
        for (PeerIdentity p : contributors) {
            int total = strikes.merge(p, penalty, Integer::sum);
            if (total >= BAN_STRIKES && !isBanned(p)) {
                ban(p);
                banned.add(p);
            }
        }
        return banned;
    }

    public void ban(PeerIdentity p) {
        bannedAddresses.add(p.address());
        bannedPeerIds.add(p.peerIdHex());
    }

    public int strikes(PeerIdentity p) {
        return strikes.getOrDefault(p, 0);
    }

    public boolean isBanned(PeerIdentity p) {
        return bannedAddresses.contains(p.address()) || bannedPeerIds.contains(p.peerIdHex());
    }

    /** Whether we may open a connection to this address. */
    public boolean isBanned(InetSocketAddress address) {
        return bannedAddresses.contains(address);
    }

    /** Whether an incoming handshake with this peer id must be refused. */
    public boolean isBannedPeerId(String peerIdHex) {
        return bannedPeerIds.contains(peerIdHex);
    }

    public int bannedCount() {
        return bannedPeerIds.size();
    }
}
