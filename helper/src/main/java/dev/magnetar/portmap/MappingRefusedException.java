package dev.magnetar.portmap;

/** The gateway understood a mapping request and said no (a NAT-PMP/PCP result code, a UPnP error). */
public abstract class MappingRefusedException extends Exception {

    protected MappingRefusedException(String message) {
        super(message);
    }
}
