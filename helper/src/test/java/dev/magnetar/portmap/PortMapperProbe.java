package dev.magnetar.portmap;

import dev.magnetar.engine.AddOptions;
import dev.magnetar.engine.Engine;
import dev.magnetar.engine.EngineEvent;
import dev.magnetar.engine.EngineSettings;
import dev.magnetar.engine.PeerDiscoverySettings;
import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs inside the "lan" namespace of {@link NatNamespaces} (a child JVM under {@code ip netns exec}):
 * an engine listening on every interface with one torrent, and a {@link PortMapper} for its port on
 * the gateway {@link DefaultRoute} finds — the production path. It reports on stdout, one line per
 * fact ({@code LISTENING port}, {@code MAPPED …}, {@code FAILED …}, {@code RENEWED n}), and removes
 * the mapping and exits when stdin says {@code close} (printing {@code CLOSED}).
 *
 * <p>Arguments: the methods (comma-separated {@link PortMapper.Method} names), the torrent's info-hash
 * in hex, a work folder, the requested lifetime in seconds; then, optionally, {@code listen=PORT} (0 by
 * default) and {@code seed=TORRENT_FILE,CONTENT_DIR,TRACKER_URL}: seed that torrent, announced to that
 * tracker, instead of a bare magnet. The mapper's status reaches the engine as in the daemon, so the
 * tracker and peers are told the mapped port. Each incoming peer is reported as {@code INCOMING ip port}.
 */
public final class PortMapperProbe {

    private PortMapperProbe() {}

    public static void main(String[] args) throws Exception {
        List<PortMapper.Method> methods = Arrays.stream(args[0].split(",")).map(PortMapper.Method::valueOf).toList();
        Path work = Path.of(args[2]);
        int listenPort = 0;
        String[] seed = null;
        for (String option : Arrays.asList(args).subList(4, args.length)) {
            if (option.startsWith("listen=")) {
                listenPort = Integer.parseInt(option.substring("listen=".length()));
            } else if (option.startsWith("seed=")) {
                seed = option.substring("seed=".length()).split(",", 3);
            } else {
                throw new IllegalArgumentException("unknown option " + option);
            }
        }
        EngineSettings settings = EngineSettings.builder(work.resolve("downloads"), work.resolve("resume"))
                .listen("0.0.0.0", listenPort).discovery(PeerDiscoverySettings.offline()).utp(true).build();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (Engine engine = Engine.open(settings)) {
            engine.subscribe(e -> {
                if (e instanceof EngineEvent.PeerConnected pc && !pc.outgoing()) {
                    lines.add("INCOMING " + pc.peer().address().getAddress().getHostAddress() + " " + pc.peer().address().getPort());
                }
            });
            if (seed == null) {
                engine.addMagnet("magnet:?xt=urn:btih:" + args[1], AddOptions.defaults());
            } else {
                TorrentInfo info = MetainfoParser.parse(Files.readAllBytes(Path.of(seed[0]))).info();
                engine.add(info, Path.of(seed[1]), List.of(List.of(seed[2])), AddOptions.defaults());
            }
            int port = engine.listenAddress().getPort();
            System.out.println("LISTENING " + port);
            Gateway gateway = DefaultRoute.find().orElseThrow(() -> new IllegalStateException("no default route"));
            System.out.println("GATEWAY " + gateway.address().getHostAddress() + " " + gateway.interfaceName());
            PortMapper mapper = new PortMapper(gateway, port, new PortMapper.Options(Duration.ofSeconds(Long.parseLong(args[3])), methods, 3));
            mapper.addListener(engine::portMapping); // as the daemon does
            int[] renewalsSeen = {0};
            mapper.addListener(s -> {
                if (PortMappingStatus.MAPPED.equals(s.state())) {
                    if (mapper.renewals() > renewalsSeen[0]) {
                        renewalsSeen[0] = mapper.renewals();
                        lines.add("RENEWED " + renewalsSeen[0]);
                    } else if (renewalsSeen[0] == 0) {
                        lines.add("MAPPED " + s.method() + " " + s.externalAddress() + " " + s.externalTcpPort() + " " + s.externalUdpPort());
                    }
                } else if (PortMappingStatus.FAILED.equals(s.state())) {
                    lines.add("FAILED " + s.message());
                }
            });
            Thread printer = new Thread(() -> {
                try {
                    while (true) {
                        System.out.println(lines.take());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            printer.setDaemon(true);
            printer.start();
            mapper.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("close")) {
                // wait for the test to say close
            }
            mapper.close();
            while (!lines.isEmpty()) {
                Thread.onSpinWait();
            }
            System.out.println("CLOSED");
        }
    }
}
