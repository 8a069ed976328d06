package dev.magnetar.wallet;

/**
 * The daemon's connection to its TRON network (the embedded devnet, or the client of a node) could
 * not be started; unchecked because it surfaces from a lazily started connection that the API's
 * wallet routes ask for, where it answers as the chain being unavailable.
 */
public final class ChainNotStartedException extends RuntimeException {

    public ChainNotStartedException(String message, Throwable cause) {
        super(message, cause);
    }
}
