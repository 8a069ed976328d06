package dev.magnetar.cli;

import picocli.CommandLine.Option;

/** How the download and seed commands reach peers besides TCP. */
final class TransportMixin {

    @Option(names = "--utp", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Speak uTP (BEP 29) on the listen port's UDP twin, shared with the DHT: accept uTP peers and "
                    + "race uTP against TCP when dialling, keeping whichever handshakes first (default: on; "
                    + "--no-utp for TCP only).")
    boolean utp;
}
