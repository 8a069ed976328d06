package dev.magnetar.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.magnetar.testing.ExternalTools;
import dev.magnetar.testing.NetworkNamespaces;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/**
 * Three network namespaces for port-mapping tests: "lan" (our side, its default route via the
 * gateway), "gw" (a router: nftables masquerade toward "wan" and Debian's miniupnpd serving UPnP IGD,
 * NAT-PMP and PCP on its LAN side), and "wan" (a peer on the outside, with no route back into the
 * LAN). Nothing is routed to or from the host's own network: every packet of a test stays in these
 * namespaces. Needs root, {@code ip}, {@code nft} and {@code miniupnpd}; skips (fails under CI=true)
 * when they are missing.
 *
 * <p>The "public" side uses 11.213.N.0/24: miniupnpd refuses to map on an external interface with a
 * private or reserved address, and the namespace pair is a closed link, so the address never meets
 * the real one's owner.
 */
final class NatNamespaces implements AutoCloseable {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    final int n = ThreadLocalRandom.current().nextInt(1, 250);
    final String lan = "mg-lan-" + n;
    final String gw = "mg-gw-" + n;
    final String wan = "mg-wan-" + n;
    final String lanAddress = "10.213." + n + ".2";
    final String gatewayLanAddress = "10.213." + n + ".1";
    final String externalAddress = "11.213." + n + ".1";
    final String wanAddress = "11.213." + n + ".2";
    private final Path dir;
    private Process miniupnpd;

    private NatNamespaces(Path dir) {
        this.dir = dir;
    }

    static NatNamespaces create(Path dir) throws Exception {
        NatNamespaces ns = new NatNamespaces(dir);
        return NetworkNamespaces.build(ns, ns.lan, ns::build, "miniupnpd");
    }

    /** Everything after the first namespace, {@code lan}. */
    private void build() throws Exception {
        sh("ip netns add " + gw, "ip netns add " + wan,
                "ip -n " + lan + " link add mgl" + n + " type veth peer name mgg" + n + " netns " + gw,
                "ip -n " + gw + " link add mge" + n + " type veth peer name mgw" + n + " netns " + wan,
                "ip -n " + lan + " addr add " + lanAddress + "/24 dev mgl" + n,
                "ip -n " + gw + " addr add " + gatewayLanAddress + "/24 dev mgg" + n,
                "ip -n " + gw + " addr add " + externalAddress + "/24 dev mge" + n,
                "ip -n " + wan + " addr add " + wanAddress + "/24 dev mgw" + n,
                "ip -n " + lan + " link set lo up", "ip -n " + gw + " link set lo up", "ip -n " + wan + " link set lo up",
                "ip -n " + lan + " link set mgl" + n + " up", "ip -n " + gw + " link set mgg" + n + " up",
                "ip -n " + gw + " link set mge" + n + " up", "ip -n " + wan + " link set mgw" + n + " up",
                "ip -n " + lan + " route add default via " + gatewayLanAddress,
                "ip netns exec " + gw + " sysctl -qw net.ipv4.ip_forward=1");
        // miniupnpd's nftables backend fills the chains named below; the masquerade is the NAT itself.
        Path rules = dir.resolve("gw.nft");
        Files.writeString(rules, "table inet filter {\n"
                + "  chain forward { type filter hook forward priority 0; policy accept; jump miniupnpd; }\n"
                + "  chain miniupnpd { }\n"
                + "  chain prerouting { type nat hook prerouting priority -100; policy accept; jump prerouting_miniupnpd; }\n"
                + "  chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd;"
                + " oifname \"mge" + n + "\" masquerade; }\n"
                + "  chain prerouting_miniupnpd { }\n"
                + "  chain postrouting_miniupnpd { }\n"
                + "}\n");
        sh("ip netns exec " + gw + " nft -f " + rules);
        Path conf = dir.resolve("miniupnpd.conf");
        Files.writeString(conf, "ext_ifname=mge" + n + "\n"
                + "listening_ip=mgg" + n + "\n"
                + "http_port=0\n"
                + "enable_natpmp=yes\n"
                + "enable_upnp=yes\n"
                + "secure_mode=yes\n"
                + "system_uptime=yes\n"
                + "lease_file=" + dir.resolve("leases") + "\n"
                + "uuid=6d51b627-2d3c-4678-bc3d-5258d35897" + String.format("%02x", n) + "\n"
                + "allow 1024-65535 10.213." + n + ".0/24 1024-65535\n"
                + "deny 0-65535 0.0.0.0/0 0-65535\n");
        miniupnpd = new ProcessBuilder("ip", "netns", "exec", gw, "miniupnpd", "-d", "-f", conf.toString(),
                "-P", dir.resolve("miniupnpd.pid").toString()).redirectErrorStream(true).start();
        awaitReady();
    }

    /** miniupnpd says when each listener is up; reading its log is the synchronisation. */
    private void awaitReady() throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(miniupnpd.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        boolean http = false;
        boolean pmp = false;
        String line;
        while (!(http && pmp) && (line = out.readLine()) != null) {
            seen.add(line);
            http |= line.contains("HTTP listening on port");
            pmp |= line.contains("Listening for NAT-PMP/PCP traffic");
        }
        if (!(http && pmp)) {
            throw new AssertionError("miniupnpd did not start:\n" + String.join("\n", seen));
        }
        Thread drain = new Thread(() -> {
            try {
                out.transferTo(java.io.Writer.nullWriter());
            } catch (IOException e) {
                // miniupnpd ended
            }
        }, "miniupnpd-log");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Maps {@code external} for TCP on the router to another port of the LAN host with NAT-PMP, as another
     * program there would: a later TCP request for that external port gets a different one, while the
     * same number stays free for UDP.
     */
    void occupyExternalTcpPort(int external, int internal) throws Exception {
        String script = "import socket,struct,sys\n"
                + "s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM)\n"
                + "s.settimeout(5)\n"
                + "s.sendto(struct.pack('>BBHHHI',0,2,0,int(sys.argv[2]),int(sys.argv[3]),3600),(sys.argv[1],5351))\n" // RFC 6886 3.3: opcode 2 maps TCP
                + "r=s.recv(16)\n"
                + "code,ext=struct.unpack('>H',r[2:4])[0],struct.unpack('>H',r[10:12])[0]\n"
                + "assert code==0 and ext==int(sys.argv[3]),(code,ext)\n";
        ExternalTools.Result r = ExternalTools.run(COMMAND_TIMEOUT, "ip", "netns", "exec", lan, "python3", "-c", script,
                gatewayLanAddress, String.valueOf(internal), String.valueOf(external));
        assertEquals(0, r.exitCode(), "NAT-PMP mapping of TCP port " + external + ": " + r.stderr());
    }

    /** The DNAT rules miniupnpd keeps for its mappings. */
    String mappingRules() throws Exception {
        return sh("ip netns exec " + gw + " nft list chain inet filter prerouting_miniupnpd");
    }

    /** Runs each command, failing on the first that fails; returns the last one's output. */
    static String sh(String... commands) throws IOException, TimeoutException {
        return ExternalTools.shell(COMMAND_TIMEOUT, commands);
    }

    @Override
    public void close() throws Exception {
        if (miniupnpd != null) {
            miniupnpd.destroy(); // `ip netns exec` execs miniupnpd itself: this PID is miniupnpd's
            if (!miniupnpd.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                miniupnpd.destroyForcibly();
            }
        }
        NetworkNamespaces.delete(List.of(lan, gw, wan));
    }
}
