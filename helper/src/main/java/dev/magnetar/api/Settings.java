package dev.magnetar.api;

import java.util.List;

/**
 * The helper's user settings, stored in {@code <data>/settings.json}.
 *
 * @param downloadDir     absolute directory new torrents are saved to
 * @param quitWithBrowser when true the native host asks the daemon to shut down when the browser disconnects
 * @param listenPort      API port on loopback; 0 = any free port (the extension learns it from the native hello)
 * @param network         TRON network: devnet (embedded, default), nile, mainnet
 * @param devnetPort      loopback port of the embedded devnet; 0 = any free port
 * @param extensionIds    Chromium extension ids whose {@code chrome-extension://} origin the API accepts;
 *                        not changeable over the API (a caller with the token must not widen who may call)
 * @param downloadBytesPerSecond the engine-wide download limit, 0 = none (each torrent may have a
 *                        lower one of its own); a file written before limits existed has none
 * @param uploadBytesPerSecond   the same for uploads
 * @param chainEndpoint   {@code host:port} of the TRON gRPC node to use instead of the network's own;
 *                        on devnet, a devnet another helper serves (this helper then runs none); null = default
 * @param askPerGiBBtt    the least a peer pays per GiB (decimal BTT) for one of our paid upload slots
 *                        when we seed with a wallet; "0" (the default) sells nothing
 * @param seedRatioLimit  a complete torrent stops seeding once it uploaded this many times its size;
 *                        0 (the default) = no limit; a torrent may have a goal of its own
 * @param seedingTimeLimitMinutes a complete torrent stops seeding after this many minutes of seeding;
 *                        0 (the default) = no limit
 * @param portMapping     ask the default gateway (PCP, NAT-PMP, UPnP IGD) to forward our peer port, so
 *                        peers outside can dial us; on by default, as in the clients users know
 * @param utp             speak uTP (BEP 29) beside TCP: accept it on the peer port's UDP twin and race it
 *                        against TCP when dialling (on by default, also for a file written before the
 *                        setting existed: many home peers are reachable only over uTP); applies at the next
 *                        daemon start
 */
public record Settings(String downloadDir, boolean quitWithBrowser, int listenPort, String network, int devnetPort,
        List<String> extensionIds, Long downloadBytesPerSecond, Long uploadBytesPerSecond, String chainEndpoint, String askPerGiBBtt,
        Double seedRatioLimit, Long seedingTimeLimitMinutes, Boolean portMapping, Boolean utp) {

    /** The extension's fixed Chromium id (extension/IDENTITY.md). */
    public static final String MAGNETAR_EXTENSION_ID = "ighcbjpaekabdiphmkfgookimbgnoogf";
    public static final List<String> NETWORKS = List.of("devnet", "nile", "mainnet");

    public Settings {
        extensionIds = extensionIds == null ? List.of(MAGNETAR_EXTENSION_ID) : List.copyOf(extensionIds);
        downloadBytesPerSecond = downloadBytesPerSecond == null ? 0L : downloadBytesPerSecond;
        uploadBytesPerSecond = uploadBytesPerSecond == null ? 0L : uploadBytesPerSecond;
        chainEndpoint = chainEndpoint == null || chainEndpoint.isBlank() ? null : chainEndpoint.trim();
        askPerGiBBtt = askPerGiBBtt == null ? "0" : askPerGiBBtt.trim();
        seedRatioLimit = seedRatioLimit == null ? 0.0 : seedRatioLimit;
        seedingTimeLimitMinutes = seedingTimeLimitMinutes == null ? 0L : seedingTimeLimitMinutes;
        portMapping = portMapping == null || portMapping;
        utp = utp == null || utp;
    }

    /** The engine-wide seeding goal these settings set (0 is no limit; see {@link dev.magnetar.engine.SeedingGoal}). */
    public dev.magnetar.engine.SeedingGoal seedingGoal() {
        return new dev.magnetar.engine.SeedingGoal(seedRatioLimit > 0 ? seedRatioLimit : null,
                seedingTimeLimitMinutes > 0 ? seedingTimeLimitMinutes : null);
    }

    /** The settings of a new install; downloads go to the user's Downloads folder ({@code UserDirectories#downloads}). */
    public static Settings defaults(java.nio.file.Path downloadDir) {
        return new Settings(downloadDir.toString(), false, 0, "devnet",
                dev.magnetar.wallet.TronNetwork.DEVNET_DEFAULT_PORT, List.of(MAGNETAR_EXTENSION_ID), 0L, 0L, null, "0", 0.0, 0L, true, true);
    }
}
