package dev.magnetar.devnet;

import java.nio.file.Path;

/** Another devnet (usually the helper daemon's) already owns this data directory: talk to that one over gRPC instead. */
public final class DevnetInUseException extends RuntimeException {

    public DevnetInUseException(Path dataDir) {
        super("the devnet in " + dataDir + " is already running in another process (the helper daemon?); "
                + "connect to it over gRPC or stop it first");
    }

    /** The directory is held, but its holder never said where it serves. */
    public DevnetInUseException(Path dataDir, Path endpointFile) {
        super("the devnet in " + dataDir + " is held by another process that does not say where it serves (no live "
                + endpointFile.getFileName() + "); stop that process (the helper daemon or a magnetar command) and retry");
    }
}
