package dev.magnetar.dht;

import dev.magnetar.bencode.BDictionary;
import dev.magnetar.bencode.BInteger;
import dev.magnetar.bencode.BList;
import dev.magnetar.bencode.BString;
import dev.magnetar.bencode.BValue;
import dev.magnetar.bencode.BencodeDecoder;
import dev.magnetar.bencode.BencodeEncoder;
import dev.magnetar.bencode.BencodeException;
import dev.magnetar.bencode.BencodeLimits;
import dev.magnetar.metainfo.InfoHash;
import dev.magnetar.util.ProductVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * KRPC (BEP 5) records to bencoded datagrams and back. Decoding treats every byte as hostile: size and
 * nesting are bounded before anything is built, every field is type- and length-checked, and any
 * problem becomes a {@link KrpcDecodeException} — never an unchecked exception.
 */
public final class KrpcCodec {

    /** Larger than any honest KRPC datagram (they stay under the ~1.5 KB path MTU) with headroom. */
    public static final int MAX_DATAGRAM_BYTES = 4096;

    /** KRPC nests at most four levels (message → args → list → string); allow a little more. */
    static final BencodeLimits LIMITS = new BencodeLimits(8, MAX_DATAGRAM_BYTES, 1024, false);

    static final int MAX_TRANSACTION_ID_BYTES = 16;
    static final int MAX_TOKEN_BYTES = 64;
    static final int MAX_ERROR_MESSAGE_BYTES = 256;

    /** BEP 5 client version in "v": our client code and a two-byte version. */
    static final byte[] VERSION = ProductVersion.current().dhtVersion();

    private KrpcCodec() {}

    public static byte[] encode(KrpcMessage message) {
        BDictionary.Builder top = BDictionary.builder().put("t", message.transactionId().bytes());
        if (message instanceof KrpcMessage.Query q) {
            top.put("y", "q").put("q", q.method()).put("a", arguments(q)).put("v", VERSION);
        } else if (message instanceof KrpcMessage.Response r) {
            top.put("y", "r").put("r", responseBody(r)).put("v", VERSION);
        } else {
            KrpcMessage.Error e = (KrpcMessage.Error) message;
            top.put("y", "e").put("e", BList.of(new BInteger(e.code()), BString.of(e.message())));
        }
        return BencodeEncoder.encode(top.build());
    }

    private static BDictionary arguments(KrpcMessage.Query q) {
        BDictionary.Builder a = BDictionary.builder().put("id", q.sender().bytes());
        if (q instanceof KrpcMessage.FindNode f) {
            a.put("target", f.target().bytes());
            want(a, f.want());
        } else if (q instanceof KrpcMessage.GetPeers g) {
            a.put("info_hash", g.infoHash().bytes());
            want(a, g.want());
        } else if (q instanceof KrpcMessage.AnnouncePeer ap) {
            a.put("info_hash", ap.infoHash().bytes())
                    .put("port", ap.port())
                    .put("implied_port", ap.impliedPort() ? 1 : 0)
                    .put("token", ap.token().bytes());
        }
        return a.build();
    }

    /** BEP 32: "want" is a list of "n4"/"n6"; left out when the querier has no preference. */
    private static void want(BDictionary.Builder a, Set<IpFamily> want) {
        if (!want.isEmpty()) {
            List<BValue> entries = new ArrayList<>(want.size());
            for (IpFamily f : want) {
                entries.add(BString.of(f.want()));
            }
            a.put("want", new BList(entries));
        }
    }

    private static BDictionary responseBody(KrpcMessage.Response r) {
        BDictionary.Builder b = BDictionary.builder().put("id", r.responder().bytes());
        if (!r.nodes().isEmpty()) {
            b.put("nodes", CompactAddresses.nodes(r.nodes(), false));
        }
        if (!r.nodes6().isEmpty()) {
            b.put("nodes6", CompactAddresses.nodes(r.nodes6(), true));
        }
        if (!r.values().isEmpty()) {
            List<BValue> values = new ArrayList<>(r.values().size());
            for (InetSocketAddress peer : r.values()) {
                values.add(BString.of(CompactAddresses.peer(peer)));
            }
            b.put("values", new BList(values));
        }
        if (r.token() != null) {
            b.put("token", r.token().bytes());
        }
        return b.build();
    }

    public static KrpcMessage decode(byte[] datagram) throws KrpcDecodeException {
        if (datagram.length > MAX_DATAGRAM_BYTES) {
            throw new KrpcDecodeException("datagram of " + datagram.length + " bytes exceeds " + MAX_DATAGRAM_BYTES, null, false, KrpcMessage.Error.PROTOCOL);
        }
        BValue root;
        try {
            root = BencodeDecoder.decode(datagram, LIMITS);
        } catch (BencodeException e) {
            throw new KrpcDecodeException("not bencode: " + e.getMessage(), null, false, KrpcMessage.Error.PROTOCOL);
        }
        if (!(root instanceof BDictionary top)) {
            throw new KrpcDecodeException("message is a " + root.kind() + ", not a dictionary", null, false, KrpcMessage.Error.PROTOCOL);
        }
        TransactionId tid = null;
        if (top.get("t") instanceof BString t && t.length() > 0 && t.length() <= MAX_TRANSACTION_ID_BYTES) {
            tid = TransactionId.of(t.bytes());
        }
        boolean query = top.get("y") instanceof BString y && y.is("q");
        if (tid == null) {
            throw new KrpcDecodeException("missing or bad transaction id \"t\"", null, query, KrpcMessage.Error.PROTOCOL);
        }
        Fields f = new Fields(tid, query);
        BString y = f.string(top, "y", 1, 1);
        if (y.is("q")) {
            return query(top, f);
        } else if (y.is("r")) {
            return response(f.dictionary(top, "r"), f);
        } else if (y.is("e")) {
            return error(top, f);
        }
        throw f.fail("unknown message type \"y\"=" + y);
    }

    private static KrpcMessage.Query query(BDictionary top, Fields f) throws KrpcDecodeException {
        BString method = f.string(top, "q", 1, 32);
        BDictionary a = f.dictionary(top, "a");
        NodeId sender = f.nodeId(a, "id");
        TransactionId t = f.tid;
        if (method.is("ping")) {
            return new KrpcMessage.Ping(t, sender);
        } else if (method.is("find_node")) {
            return new KrpcMessage.FindNode(t, sender, f.nodeId(a, "target"), f.want(a));
        } else if (method.is("get_peers")) {
            return new KrpcMessage.GetPeers(t, sender, InfoHash.of(f.string(a, "info_hash", 20, 20).bytes()), f.want(a));
        } else if (method.is("announce_peer")) {
            InfoHash infoHash = InfoHash.of(f.string(a, "info_hash", 20, 20).bytes());
            boolean implied = a.get("implied_port") instanceof BInteger i && i.value() != 0;
            long port = f.integer(a, "port");
            if (port < (implied ? 0 : 1) || port > 65535) {
                throw f.fail("announce_peer port " + port + " out of range");
            }
            Token token = Token.of(f.string(a, "token", 1, MAX_TOKEN_BYTES).bytes());
            return new KrpcMessage.AnnouncePeer(t, sender, infoHash, (int) port, implied, token);
        }
        throw new KrpcDecodeException("unknown method " + method, t, true, KrpcMessage.Error.METHOD_UNKNOWN);
    }

    private static KrpcMessage.Response response(BDictionary r, Fields f) throws KrpcDecodeException {
        NodeId responder = f.nodeId(r, "id");
        List<NodeInfo> nodes = f.nodes(r, "nodes", CompactAddresses.NODE_V4);
        List<NodeInfo> nodes6 = f.nodes(r, "nodes6", CompactAddresses.NODE_V6);
        List<InetSocketAddress> values = new ArrayList<>();
        BValue v = r.get("values");
        if (v != null) {
            if (!(v instanceof BList list)) {
                throw f.fail("\"values\" is a " + v.kind() + ", not a list");
            }
            for (BValue item : list.items()) {
                // BEP 5/32: each value is one compact peer; entries of another length are skipped.
                if (item instanceof BString s && (s.length() == CompactAddresses.PEER_V4 || s.length() == CompactAddresses.PEER_V6)) {
                    byte[] b = s.bytes();
                    InetSocketAddress peer = CompactAddresses.peer(b, 0, b.length);
                    if (peer != null) {
                        values.add(peer);
                    }
                } else if (!(item instanceof BString)) {
                    throw f.fail("a \"values\" entry is a " + item.kind() + ", not a string");
                }
            }
        }
        Token token = null;
        if (r.containsKey("token")) {
            token = Token.of(f.string(r, "token", 1, MAX_TOKEN_BYTES).bytes());
        }
        return new KrpcMessage.Response(f.tid, responder, nodes, nodes6, values, token);
    }

    private static KrpcMessage.Error error(BDictionary top, Fields f) throws KrpcDecodeException {
        if (!(top.get("e") instanceof BList e) || e.size() < 1 || !(e.get(0) instanceof BInteger code)) {
            throw f.fail("error without [code, message] in \"e\"");
        }
        String message = "";
        if (e.size() > 1 && e.get(1) instanceof BString s) {
            byte[] m = s.bytes();
            // Bounded so that a hostile peer cannot fill our logs through error messages.
            message = new String(m, 0, Math.min(m.length, MAX_ERROR_MESSAGE_BYTES), StandardCharsets.UTF_8);
        }
        long c = code.value();
        return new KrpcMessage.Error(f.tid, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, c)), message);
    }

    /** Typed field access that turns every surprise into a decode error carrying the transaction id. */
    private static final class Fields {
        final TransactionId tid;
        final boolean query;

        Fields(TransactionId tid, boolean query) {
            this.tid = tid;
            this.query = query;
        }

        KrpcDecodeException fail(String problem) {
            return new KrpcDecodeException(problem, tid, query, KrpcMessage.Error.PROTOCOL);
        }

        BString string(BDictionary d, String key, int minLength, int maxLength) throws KrpcDecodeException {
            BValue v = d.get(key);
            if (v == null) {
                throw fail("missing \"" + key + "\"");
            }
            if (!(v instanceof BString s)) {
                throw fail("\"" + key + "\" is a " + v.kind() + ", not a string");
            }
            if (s.length() < minLength || s.length() > maxLength) {
                throw fail("\"" + key + "\" has " + s.length() + " bytes, expected " + minLength + ".." + maxLength);
            }
            return s;
        }

        BDictionary dictionary(BDictionary d, String key) throws KrpcDecodeException {
            BValue v = d.get(key);
            if (!(v instanceof BDictionary inner)) {
                throw fail("\"" + key + "\" is " + (v == null ? "missing" : "a " + v.kind()) + ", not a dictionary");
            }
            return inner;
        }

        long integer(BDictionary d, String key) throws KrpcDecodeException {
            BValue v = d.get(key);
            if (!(v instanceof BInteger i)) {
                throw fail("\"" + key + "\" is " + (v == null ? "missing" : "a " + v.kind()) + ", not an integer");
            }
            return i.value();
        }

        NodeId nodeId(BDictionary d, String key) throws KrpcDecodeException {
            return NodeId.of(string(d, key, NodeId.LENGTH, NodeId.LENGTH).bytes());
        }

        /** BEP 32 "want": a list of strings; entries other than "n4"/"n6" are ignored, as the BEP asks. */
        Set<IpFamily> want(BDictionary a) throws KrpcDecodeException {
            BValue v = a.get("want");
            if (v == null) {
                return Set.of();
            }
            if (!(v instanceof BList list)) {
                throw fail("\"want\" is a " + v.kind() + ", not a list");
            }
            Set<IpFamily> out = EnumSet.noneOf(IpFamily.class);
            for (BValue item : list.items()) {
                if (!(item instanceof BString s)) {
                    throw fail("a \"want\" entry is a " + item.kind() + ", not a string");
                }
                IpFamily family = IpFamily.ofWant(new String(s.bytes(), StandardCharsets.ISO_8859_1));
                if (family != null) {
                    out.add(family);
                }
            }
            return out;
        }

        List<NodeInfo> nodes(BDictionary d, String key, int entryLength) throws KrpcDecodeException {
            if (!d.containsKey(key)) {
                return List.of();
            }
            byte[] b = string(d, key, 0, MAX_DATAGRAM_BYTES).bytes();
            if (b.length % entryLength != 0) {
                throw fail("\"" + key + "\" of " + b.length + " bytes is not a multiple of " + entryLength);
            }
            return CompactAddresses.nodes(b, entryLength);
        }
    }
}
