package dev.magnetar.engine;

import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.NetworkNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two home networks behind two NATs and the internet between them, in five network namespaces:
 * "lanB" (10.1.0.2) behind "natB" (outside 198.51.100.2), "lanC" (10.2.0.2) behind "natC" (outside
 * 203.0.113.2), and "wan", the router between the NATs (198.51.100.1 and 203.0.113.1), where a peer
 * both can reach lives. The outside addresses are the documentation ranges of RFC 5737, on links no
 * other host shares; nothing is routed to or from the host's own network.
 *
 * <p>Each NAT is a home router as Linux builds one: nftables {@code masquerade} toward the outside, and
 * unsolicited packets from the outside dropped (a TCP SYN answered with a reset, so dials fail fast).
 * What that gives, and what BEP 55 relies on: masquerade keeps a flow's source port whenever no other
 * flow holds the same tuple, so a UDP socket keeps one outside port for every destination
 * (endpoint-independent mapping in RFC 4787's terms), while conntrack lets in only replies from the
 * exact address and port a flow was sent to (address- and port-dependent filtering). Two peers that
 * each send to the other's outside endpoint therefore each open the way for the other's packets: the
 * punch works. Dropping the unsolicited packets matters: conntrack confirms an entry only for a packet that
 * passes, and an unreplied entry for the other's early packet would hold the very tuple our later
 * outgoing flow needs, so masquerade would give that flow another port and the punch would miss.
 *
 * <p>Needs root, {@code ip} and {@code nft}; skips (fails under CI=true) when they are missing ({@link NetworkNamespaces}).
 */
final class TwoNats implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final String prefix = "mgh" + ProcessHandle.current().pid() + "x" + SERIAL.incrementAndGet() + "-";
    final String wan = prefix + "wan";
    final String natB = prefix + "natb";
    final String lanB = prefix + "lanb";
    final String natC = prefix + "natc";
    final String lanC = prefix + "lanc";
    final String wanTowardB = "198.51.100.1";
    final String outsideB = "198.51.100.2";
    final String wanTowardC = "203.0.113.1";
    final String outsideC = "203.0.113.2";
    private final Path dir;

    private TwoNats(Path dir) {
        this.dir = dir;
    }

    static TwoNats create(Path dir) throws Exception {
        TwoNats n = new TwoNats(dir);
        return NetworkNamespaces.build(n, n.wan, n::build);
    }

    /** Everything after the first namespace, {@code wan}. */
    private void build() throws Exception {
        sh("ip netns add " + natB, "ip netns add " + lanB, "ip netns add " + natC, "ip netns add " + lanC,
                "ip -n " + wan + " link add tob type veth peer name ext netns " + natB,
                "ip -n " + wan + " link add toc type veth peer name ext netns " + natC,
                "ip -n " + natB + " link add lan type veth peer name eth netns " + lanB,
                "ip -n " + natC + " link add lan type veth peer name eth netns " + lanC,
                "ip -n " + wan + " addr add " + wanTowardB + "/24 dev tob",
                "ip -n " + wan + " addr add " + wanTowardC + "/24 dev toc",
                "ip -n " + natB + " addr add " + outsideB + "/24 dev ext",
                "ip -n " + natC + " addr add " + outsideC + "/24 dev ext",
                "ip -n " + natB + " addr add 10.1.0.1/24 dev lan",
                "ip -n " + natC + " addr add 10.2.0.1/24 dev lan",
                "ip -n " + lanB + " addr add 10.1.0.2/24 dev eth",
                "ip -n " + lanC + " addr add 10.2.0.2/24 dev eth");
        for (String ns : List.of(wan, natB, lanB, natC, lanC)) {
            sh("ip -n " + ns + " link set lo up");
        }
        sh("ip -n " + wan + " link set tob up", "ip -n " + wan + " link set toc up",
                "ip -n " + natB + " link set ext up", "ip -n " + natB + " link set lan up",
                "ip -n " + natC + " link set ext up", "ip -n " + natC + " link set lan up",
                "ip -n " + lanB + " link set eth up", "ip -n " + lanC + " link set eth up",
                "ip -n " + natB + " route add default via " + wanTowardB,
                "ip -n " + natC + " route add default via " + wanTowardC,
                "ip -n " + lanB + " route add default via 10.1.0.1",
                "ip -n " + lanC + " route add default via 10.2.0.1",
                "ip netns exec " + wan + " sysctl -qw net.ipv4.ip_forward=1",
                "ip netns exec " + natB + " sysctl -qw net.ipv4.ip_forward=1",
                "ip netns exec " + natC + " sysctl -qw net.ipv4.ip_forward=1");
        Path rules = dir.resolve("nat.nft");
        Files.writeString(rules, "table inet homerouter {\n"
                + "  chain postrouting { type nat hook postrouting priority 100; policy accept; oifname \"ext\" masquerade; }\n"
                + "  chain input { type filter hook input priority 0; policy accept;\n"
                + "    iifname \"ext\" ct state new meta l4proto tcp reject with tcp reset;\n"
                + "    iifname \"ext\" ct state new drop; }\n"
                + "  chain forward { type filter hook forward priority 0; policy accept;\n"
                + "    iifname \"ext\" ct state new meta l4proto tcp reject with tcp reset;\n"
                + "    iifname \"ext\" ct state new drop; }\n"
                + "}\n");
        sh("ip netns exec " + natB + " nft -f " + rules, "ip netns exec " + natC + " nft -f " + rules);
    }

    /** Runs each command, failing on the first that fails; returns the last one's output. */
    static String sh(String... commands) throws Exception {
        return ExternalTools.shell(COMMAND_TIMEOUT, commands);
    }

    @Override
    public void close() throws Exception {
        NetworkNamespaces.delete(List.of(lanB, lanC, natB, natC, wan));
    }
}
