package dev.magnetar.tracker;

import dev.magnetar.metainfo.InfoHash;
import java.net.Inet6Address;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What a client tells a tracker (BEP 3 announce; the same fields travel in a BEP 15 packet).
 *
 * @param peerId our 20-byte peer id
 * @param port where we accept peer connections
 * @param left bytes still missing; 0 makes us a seeder in the tracker's eyes
 * @param numWant how many peers we ask for; negative means "tracker's default" (BEP 15 uses -1)
 * @param key a value that lets the tracker recognise us across IP changes; may be null
 * @param ipv6 our IPv6 address for BEP 7's {@code ipv6=}, so that a tracker we reach over IPv4 can
 *     hand us to IPv6 peers too; null when we have none to offer (HTTP only: BEP 15 has no field for it)
 */
public record AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded,
        long left, AnnounceEvent event, int numWant, String key, Inet6Address ipv6) {

    /** An announce without an IPv6 address to offer. */
    public AnnounceRequest(InfoHash infoHash, byte[] peerId, int port, long uploaded, long downloaded,
            long left, AnnounceEvent event, int numWant, String key) {
        this(infoHash, peerId, port, uploaded, downloaded, left, event, numWant, key, null);
    }

    public static final int PEER_ID_LENGTH = 20;

    public AnnounceRequest {
        Objects.requireNonNull(infoHash, "infoHash");
        Objects.requireNonNull(event, "event");
        if (peerId == null || peerId.length != PEER_ID_LENGTH) {
            throw new IllegalArgumentException("a peer id is 20 bytes");
        }
        if (port < 0 || port > 0xffff) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (uploaded < 0 || downloaded < 0 || left < 0) {
            throw new IllegalArgumentException("byte counts cannot be negative");
        }
        peerId = peerId.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnnounceRequest r && infoHash.equals(r.infoHash) && Arrays.equals(peerId, r.peerId)
                && port == r.port && uploaded == r.uploaded && downloaded == r.downloaded && left == r.left
                && event == r.event && numWant == r.numWant && Objects.equals(key, r.key) && Objects.equals(ipv6, r.ipv6);
    }

    @Override
    public int hashCode() {
        return Objects.hash(infoHash, Arrays.hashCode(peerId), port, uploaded, downloaded, left, event, numWant, key, ipv6);
    }

    @Override
    public String toString() {
        return "AnnounceRequest[" + infoHash + ", peerId=" + HexFormat.of().formatHex(peerId) + ", port=" + port
                + ", uploaded=" + uploaded + ", downloaded=" + downloaded + ", left=" + left + ", event=" + event
                + ", numWant=" + numWant + (ipv6 == null ? "" : ", ipv6=" + ipv6.getHostAddress()) + "]";
    }
}
