package dev.magnetar.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * How interop tests run Transmission 3.00's {@code transmission-cli} on loopback only.
 *
 * <p>transmission-cli has no flags for DHT, LPD, PEX or uTP, so they are switched off in the
 * settings.json of a throwaway config dir (its HOME is throwaway too); it binds 127.0.0.1 only, has no
 * port mapping (-M) and prefers plaintext connections (-et). {@link Transport#UTP_ENCRYPTED} is how
 * Transmission meets real swarms instead: uTP on (it dials uTP first) and MSE required (-er), so
 * every connection is RC4 over uTP. When it has the whole
 * torrent it runs a done-script that creates {@link #doneMarker()}. Transmission has been seen to wait
 * minutes before its first peer (shared/TESTING.md), so callers dial it once it listens: it binds its
 * port when its session starts, before its first {@code Progress:} status line.
 *
 * @param command the command line to start
 * @param environment extra environment (the throwaway HOME)
 * @param doneMarker appears when Transmission has downloaded (or verified) everything
 */
public record TransmissionCli(List<String> command, Map<String, String> environment, Path doneMarker) {

    /** Which connections it makes and takes. */
    public enum Transport {
        /** TCP only, plaintext preferred. */
        TCP_PLAIN,
        /** uTP (BEP 29) on beside TCP, MSE required: what Transmission picks with a peer that speaks both. */
        UTP_ENCRYPTED
    }

    /** {@link #prepare(Path, Path, int, Path, Path, Transport)} over {@link Transport#TCP_PLAIN}. */
    public static TransmissionCli prepare(Path transmission, Path home, int port, Path downloadDir, Path torrentFile) throws IOException {
        return prepare(transmission, home, port, downloadDir, torrentFile, Transport.TCP_PLAIN);
    }

    /**
     * Prepares a run of {@code transmission} on {@code port} that saves {@code torrentFile}'s content to
     * {@code downloadDir}; its config and HOME live under {@code home}.
     */
    public static TransmissionCli prepare(Path transmission, Path home, int port, Path downloadDir, Path torrentFile,
                                          Transport transport) throws IOException {
        boolean utp = transport == Transport.UTP_ENCRYPTED;
        Path config = Files.createDirectories(home.resolve("config"));
        // Keys of Transmission 3.00's settings.json (libtransmission/quark.h); the CLI reads it from -g.
        Files.writeString(config.resolve("settings.json"), """
                {
                  "dht-enabled": false,
                  "lpd-enabled": false,
                  "pex-enabled": false,
                  "utp-enabled": %b,
                  "port-forwarding-enabled": false,
                  "blocklist-enabled": false,
                  "bind-address-ipv4": "127.0.0.1",
                  "bind-address-ipv6": "::1",
                  "peer-port": %d,
                  "encryption": %d,
                  "ratio-limit-enabled": false,
                  "idle-seeding-limit-enabled": false,
                  "speed-limit-down-enabled": false,
                  "speed-limit-up-enabled": false
                }
                """.formatted(utp, port, utp ? 2 : 0)); // encryption: 0 prefer plaintext, 2 required
        Path doneMarker = home.resolve("done");
        Path doneScript = home.resolve("done.sh");
        Files.writeString(doneScript, "#!/bin/sh\ntouch '" + doneMarker + "'\n");
        Files.setPosixFilePermissions(doneScript, PosixFilePermissions.fromString("rwx------"));
        List<String> command = List.of(transmission.toString(), "-g", config.toString(), "-w", downloadDir.toString(),
                "-p", Integer.toString(port), "-M", utp ? "-er" : "-et", "-D", "-U", "-f", doneScript.toString(), torrentFile.toString());
        return new TransmissionCli(command, Map.of("HOME", home.toString()), doneMarker);
    }

    /** Whether a line of its output (split on \r and \n) is its periodic status line, i.e. it listens. */
    public static boolean isStatusLine(String line) {
        return line.startsWith("Progress:") || line.startsWith("Seeding");
    }
}
