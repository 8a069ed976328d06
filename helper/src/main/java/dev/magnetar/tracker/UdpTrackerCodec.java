package dev.magnetar.tracker;

import dev.magnetar.metainfo.InfoHash;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte layout of BEP 15 packets, both directions (the client and {@link EmbeddedUdpTracker} share it).
 * All integers are big-endian, as ByteBuffer writes them by default.
 */
public final class UdpTrackerCodec {

    /** The magic constant of a connect request (BEP 15). */
    public static final long PROTOCOL_ID = 0x41727101980L;
    public static final int ACTION_CONNECT = 0;
    public static final int ACTION_ANNOUNCE = 1;
    public static final int ACTION_SCRAPE = 2;
    public static final int ACTION_ERROR = 3;
    /** BEP 15: "up to about 74 torrents can be scraped at once" (a full packet stays under ~1500 bytes). */
    public static final int MAX_SCRAPE_HASHES = 74;

    private static final int ANNOUNCE_REQUEST_LENGTH = 98;

    private UdpTrackerCodec() {}

    public static byte[] encode(UdpTrackerRequest request) {
        if (request instanceof UdpTrackerRequest.Connect c) {
            return ByteBuffer.allocate(16).putLong(PROTOCOL_ID).putInt(ACTION_CONNECT).putInt(c.transactionId()).array();
        }
        if (request instanceof UdpTrackerRequest.Announce a) {
            return ByteBuffer.allocate(ANNOUNCE_REQUEST_LENGTH)
                    .putLong(a.connectionId()).putInt(ACTION_ANNOUNCE).putInt(a.transactionId())
                    .put(a.infoHash().bytes()).put(a.peerId())
                    .putLong(a.downloaded()).putLong(a.left()).putLong(a.uploaded())
                    .putInt(a.event().udpCode()).putInt(a.ip()).putInt(a.key()).putInt(a.numWant())
                    .putShort((short) a.port())
                    .array();
        }
        UdpTrackerRequest.Scrape s = (UdpTrackerRequest.Scrape) request;
        if (s.infoHashes().size() > MAX_SCRAPE_HASHES) {
            throw new IllegalArgumentException("at most " + MAX_SCRAPE_HASHES + " info-hashes per UDP scrape");
        }
        ByteBuffer b = ByteBuffer.allocate(16 + InfoHash.LENGTH * s.infoHashes().size())
                .putLong(s.connectionId()).putInt(ACTION_SCRAPE).putInt(s.transactionId());
        s.infoHashes().forEach(h -> b.put(h.bytes()));
        return b.array();
    }

    public static byte[] encode(UdpTrackerResponse response) {
        if (response instanceof UdpTrackerResponse.Connected c) {
            return ByteBuffer.allocate(16).putInt(ACTION_CONNECT).putInt(c.transactionId()).putLong(c.connectionId()).array();
        }
        if (response instanceof UdpTrackerResponse.Announced a) {
            // One address family per reply: the tracker answers in the family it was asked over.
            byte[] v4 = CompactPeers.encodeIpv4(a.peers());
            byte[] peers = v4.length > 0 ? v4 : CompactPeers.encodeIpv6(a.peers());
            return ByteBuffer.allocate(20 + peers.length).putInt(ACTION_ANNOUNCE).putInt(a.transactionId())
                    .putInt(a.intervalSeconds()).putInt(a.leechers()).putInt(a.seeders()).put(peers).array();
        }
        if (response instanceof UdpTrackerResponse.Scraped s) {
            ByteBuffer b = ByteBuffer.allocate(8 + 12 * s.counts().size()).putInt(ACTION_SCRAPE).putInt(s.transactionId());
            s.counts().forEach(c -> b.putInt(c.seeders()).putInt(c.completed()).putInt(c.leechers()));
            return b.array();
        }
        UdpTrackerResponse.Error e = (UdpTrackerResponse.Error) response;
        byte[] message = e.message().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + message.length).putInt(ACTION_ERROR).putInt(e.transactionId()).put(message).array();
    }

    /**
     * Decodes a tracker's reply.
     *
     * @param peerEntrySize 6 if we asked over IPv4, 18 over IPv6 (BEP 15 IPv6 section)
     */
    public static UdpTrackerResponse decodeResponse(byte[] packet, int peerEntrySize) throws UdpPacketException {
        ByteBuffer b = ByteBuffer.wrap(packet);
        try {
            int action = b.getInt();
            int tx = b.getInt();
            switch (action) {
                case ACTION_CONNECT:
                    return new UdpTrackerResponse.Connected(tx, b.getLong());
                case ACTION_ANNOUNCE: {
                    int interval = b.getInt();
                    int leechers = b.getInt();
                    int seeders = b.getInt();
                    int peerBytes = packet.length - 20;
                    if (peerBytes % peerEntrySize != 0) {
                        // BEP 15: whole entries, 6 bytes over IPv4, 18 over IPv6; anything else is not a reply we can trust.
                        throw new UdpPacketException("announce reply's peers are " + peerBytes + " bytes, not a multiple of "
                                + peerEntrySize + " (compact " + (peerEntrySize == CompactPeers.IPV6_ENTRY ? "IPv6" : "IPv4")
                                + " entries, as the tracker was asked over that family)");
                    }
                    return new UdpTrackerResponse.Announced(tx, interval, leechers, seeders,
                            CompactPeers.decode(packet, 20, packet.length - 20, peerEntrySize));
                }
                case ACTION_SCRAPE: {
                    List<SwarmCounts> counts = new ArrayList<>();
                    while (b.remaining() >= 12) {
                        counts.add(new SwarmCounts(b.getInt(), b.getInt(), b.getInt()));
                    }
                    return new UdpTrackerResponse.Scraped(tx, counts);
                }
                case ACTION_ERROR: {
                    byte[] message = new byte[b.remaining()];
                    b.get(message);
                    return new UdpTrackerResponse.Error(tx, new String(message, StandardCharsets.UTF_8));
                }
                default:
                    throw new UdpPacketException("unknown action " + action);
            }
        } catch (BufferUnderflowException e) {
            throw new UdpPacketException("packet of " + packet.length + " bytes is too short");
        }
    }

    /** Decodes a client's request (for {@link EmbeddedUdpTracker}). */
    public static UdpTrackerRequest decodeRequest(byte[] packet) throws UdpPacketException {
        ByteBuffer b = ByteBuffer.wrap(packet);
        try {
            long connectionId = b.getLong();
            int action = b.getInt();
            int tx = b.getInt();
            switch (action) {
                case ACTION_CONNECT:
                    if (connectionId != PROTOCOL_ID) {
                        throw new UdpPacketException("connect without the protocol id");
                    }
                    return new UdpTrackerRequest.Connect(tx);
                case ACTION_ANNOUNCE: {
                    byte[] infoHash = new byte[InfoHash.LENGTH];
                    byte[] peerId = new byte[AnnounceRequest.PEER_ID_LENGTH];
                    b.get(infoHash).get(peerId);
                    long downloaded = b.getLong();
                    long left = b.getLong();
                    long uploaded = b.getLong();
                    AnnounceEvent event = AnnounceEvent.fromUdpCode(b.getInt());
                    int ip = b.getInt();
                    int key = b.getInt();
                    int numWant = b.getInt();
                    int port = b.getShort() & 0xffff;
                    return new UdpTrackerRequest.Announce(connectionId, tx, InfoHash.of(infoHash), peerId, downloaded,
                            left, uploaded, event, ip, key, numWant, port);
                }
                case ACTION_SCRAPE: {
                    List<InfoHash> hashes = new ArrayList<>();
                    while (b.remaining() >= InfoHash.LENGTH && hashes.size() < MAX_SCRAPE_HASHES) {
                        byte[] h = new byte[InfoHash.LENGTH];
                        b.get(h);
                        hashes.add(InfoHash.of(h));
                    }
                    return new UdpTrackerRequest.Scrape(connectionId, tx, hashes);
                }
                default:
                    throw new UdpPacketException("unknown action " + action);
            }
        } catch (BufferUnderflowException e) {
            throw new UdpPacketException("packet of " + packet.length + " bytes is too short");
        }
    }
}
