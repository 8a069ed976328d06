package dev.magnetar.daemon;

import java.nio.file.Path;

/** Another helper daemon already serves this data directory; use it (its port is in daemon.json) or stop it first. */
public final class DaemonAlreadyRunningException extends Exception {

    /** The daemon command's exit status for this case: a host that started it then looks for the running one. */
    public static final int EXIT_STATUS = 3;

    public DaemonAlreadyRunningException(Path dataDir) {
        super("a Magnetar daemon is already running for " + dataDir + " (see " + DaemonStateFile.defaultFile(dataDir)
                + "); stop it first or let the browser use it");
    }
}
