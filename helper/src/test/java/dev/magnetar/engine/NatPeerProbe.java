package dev.magnetar.engine;

import dev.magnetar.metainfo.MetainfoParser;
import dev.magnetar.metainfo.TorrentInfo;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of our engines in a network namespace of {@link TwoNats} (a child JVM under {@code ip netns
 * exec}), listening on every interface with uTP on, reporting on stdout one line per fact:
 * {@code LISTENING port}, {@code READY}, {@code CONNECTED ip:port in|out} for each peer admitted,
 * {@code COMPLETE utpBytesReceived downloadedBytes rendezvousAskedAfterFailedDials}. Stdin: {@code peer ip port} adds a peer,
 * {@code close} ends it.
 *
 * <p>Arguments: the role ({@code relay}: PEX on, wants no file, so it can only introduce;
 * {@code seeder}: PEX off, so it learns of nobody but through the relay's BEP 55 connect;
 * {@code downloader}: PEX on), the bencoded info dictionary's file, the torrent's folder (the content
 * for the seeder, where to download for the others), a work folder.
 */
public final class NatPeerProbe {

    private NatPeerProbe() {}

    public static void main(String[] args) throws Exception {
        String role = args[0];
        TorrentInfo info = MetainfoParser.parseInfo(Files.readAllBytes(Path.of(args[1])));
        Path data = Path.of(args[2]);
        Path work = Path.of(args[3]);
        PeerDiscoverySettings discovery = PeerDiscoverySettings.offline()
                .withPex(!role.equals("seeder"), dev.magnetar.metadata.PexTracker.Options.defaults());
        EngineSettings settings = EngineSettings.builder(work.resolve("downloads"), work.resolve("resume"))
                .listen("0.0.0.0", 0).discovery(discovery).utp(true).build();
        try (Engine engine = Engine.start(settings)) {
            say("LISTENING " + engine.listenAddress().getPort());
            Torrent t = engine.add(info, data, List.of(), AddOptions.defaults());
            t.addListener(e -> {
                if (e instanceof EngineEvent.PeerConnected pc) {
                    InetSocketAddress a = pc.peer().address();
                    say("CONNECTED " + a.getAddress().getHostAddress() + ":" + a.getPort() + (pc.outgoing() ? " out" : " in"));
                }
            });
            if (role.equals("relay")) {
                for (int i = 0; i < info.files().size(); i++) {
                    t.setFilePriority(i, 0).get(30, TimeUnit.SECONDS);
                }
            } else if (role.equals("seeder")) {
                t.completion().get(60, TimeUnit.SECONDS); // the check of the content
            } else {
                t.completion().thenRun(() -> say("COMPLETE " + engine.utp().streamBytesReceived() + " " + t.status().downloadedBytes()
                        + " " + t.rendezvousAfterFailedDials()));
            }
            say("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("close")) {
                String[] w = line.split(" ");
                if (w[0].equals("peer")) {
                    t.addPeer(new InetSocketAddress(w[1], Integer.parseInt(w[2])));
                }
            }
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
