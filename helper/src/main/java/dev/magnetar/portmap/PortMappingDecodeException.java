package dev.magnetar.portmap;

/** A gateway's reply that does not parse as the protocol says; the mapper treats the gateway as not answering that way. */
public final class PortMappingDecodeException extends Exception {

    public PortMappingDecodeException(String message) {
        super(message);
    }

    public PortMappingDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
