package dev.magnetar.dht;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link RoutingTable} per address family, as BEP 32 asks: an IPv6 DHT is a second overlay with the
 * same node id and the same bucket rules, and a contact lives in the table of the address it answers
 * on. Thread-safe because each table is.
 */
final class RoutingTables {

    private final Map<IpFamily, RoutingTable> tables = new EnumMap<>(IpFamily.class);

    RoutingTables(NodeId own, RoutingTable.Policy policy, Clock clock) {
        for (IpFamily f : IpFamily.values()) {
            tables.put(f, new RoutingTable(own, policy, clock));
        }
    }

    RoutingTable of(IpFamily family) {
        return tables.get(family);
    }

    /** The table a contact at {@code address} belongs in. */
    RoutingTable of(InetSocketAddress address) {
        return tables.get(IpFamily.of(address));
    }

    /** Contacts in both tables. */
    int size() {
        int n = 0;
        for (RoutingTable t : tables.values()) {
            n += t.size();
        }
        return n;
    }

    /** Every contact of both tables, IPv4 first. */
    List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>();
        for (RoutingTable t : tables.values()) {
            out.addAll(t.nodes());
        }
        return out;
    }
}
