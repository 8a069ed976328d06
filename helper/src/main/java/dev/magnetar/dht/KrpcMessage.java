package dev.magnetar.dht;

import dev.magnetar.metainfo.InfoHash;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A KRPC message (BEP 5): a query, a response or an error, each carrying the transaction id that ties a
 * reply to its query. Records only; {@link KrpcCodec} turns them into bencode and back.
 */
public sealed interface KrpcMessage permits KrpcMessage.Query, KrpcMessage.Response, KrpcMessage.Error {

    TransactionId transactionId();

    /** A query ("y":"q"); every query carries the querying node's id in "a"."id". */
    sealed interface Query extends KrpcMessage permits Ping, FindNode, GetPeers, AnnouncePeer {
        NodeId sender();

        /** The "q" method name. */
        String method();
    }

    record Ping(TransactionId transactionId, NodeId sender) implements Query {
        public Ping {
            Objects.requireNonNull(transactionId);
            Objects.requireNonNull(sender);
        }

        @Override
        public String method() {
            return "ping";
        }
    }

    /**
     * @param want the address families whose contacts the querier wants back (BEP 32 "want"); empty
     *     when the query does not say, and then the family it arrived over is meant
     */
    record FindNode(TransactionId transactionId, NodeId sender, NodeId target, Set<IpFamily> want) implements Query {
        public FindNode {
            Objects.requireNonNull(transactionId);
            Objects.requireNonNull(sender);
            Objects.requireNonNull(target);
            want = copyOf(want);
        }

        public FindNode(TransactionId transactionId, NodeId sender, NodeId target) {
            this(transactionId, sender, target, Set.of());
        }

        @Override
        public String method() {
            return "find_node";
        }
    }

    /** @param want as in {@link FindNode}: which families' contacts to return besides the values */
    record GetPeers(TransactionId transactionId, NodeId sender, InfoHash infoHash, Set<IpFamily> want) implements Query {
        public GetPeers {
            Objects.requireNonNull(transactionId);
            Objects.requireNonNull(sender);
            Objects.requireNonNull(infoHash);
            want = copyOf(want);
        }

        public GetPeers(TransactionId transactionId, NodeId sender, InfoHash infoHash) {
            this(transactionId, sender, infoHash, Set.of());
        }

        @Override
        public String method() {
            return "get_peers";
        }
    }

    /**
     * @param port the announced TCP port; ignored by the receiver when {@code impliedPort} is set, in
     *     which case the UDP source port counts (BEP 5, for peers behind NAT that use uTP)
     */
    record AnnouncePeer(TransactionId transactionId, NodeId sender, InfoHash infoHash, int port,
                        boolean impliedPort, Token token) implements Query {
        public AnnouncePeer {
            Objects.requireNonNull(transactionId);
            Objects.requireNonNull(sender);
            Objects.requireNonNull(infoHash);
            Objects.requireNonNull(token);
        }

        @Override
        public String method() {
            return "announce_peer";
        }
    }

    /**
     * A response ("y":"r"). KRPC responses do not name the method they answer, so this one record holds
     * every field any of the four methods may return; the querier knows which it asked.
     *
     * @param nodes compact IPv4 node info ("nodes"), empty when absent
     * @param nodes6 compact IPv6 node info ("nodes6", BEP 32), empty when absent
     * @param values peers for get_peers ("values": 6-byte IPv4 or 18-byte IPv6 compact peers), empty when absent
     * @param token the announce token of a get_peers reply, or null
     */
    record Response(TransactionId transactionId, NodeId responder, List<NodeInfo> nodes, List<NodeInfo> nodes6,
                    List<InetSocketAddress> values, Token token) implements KrpcMessage {
        public Response {
            Objects.requireNonNull(transactionId);
            Objects.requireNonNull(responder);
            nodes = List.copyOf(nodes);
            nodes6 = List.copyOf(nodes6);
            values = List.copyOf(values);
        }

        /** A reply with only the responder's id: the answer to ping and announce_peer. */
        public static Response bare(TransactionId transactionId, NodeId responder) {
            return new Response(transactionId, responder, List.of(), List.of(), List.of(), null);
        }
    }

    /** An unmodifiable copy kept in enum order, so that equal sets encode the same "want" list. */
    private static Set<IpFamily> copyOf(Set<IpFamily> want) {
        return want.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(want));
    }

    /** An error ("y":"e") with a BEP 5 code: 201 generic, 202 server, 203 protocol, 204 method unknown. */
    record Error(TransactionId transactionId, int code, String message) implements KrpcMessage {
        public static final int GENERIC = 201;
        public static final int SERVER = 202;
        public static final int PROTOCOL = 203;
        public static final int METHOD_UNKNOWN = 204;

        public Error {
            Objects.requireNonNull(transactionId);
            Objects.requireNonNull(message);
        }
    }
}
