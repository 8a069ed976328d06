package dev.magnetar.cli;

import picocli.CommandLine.Option;

/** How the download and seed commands reach peers besides TCP. */
final class TransportMixin {

    @Option(names = "--utp", description = "Also speak uTP (BEP 29) on the listen port's UDP twin, shared with the DHT: "
            + "accept uTP peers and dial uTP first, TCP when it gets no answer.")
    boolean utp;
}
