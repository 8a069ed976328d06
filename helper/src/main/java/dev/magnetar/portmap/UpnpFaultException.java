package dev.magnetar.portmap;

/** A UPnP gateway answered a SOAP action with a UPnPError: it understood us and said no. */
public final class UpnpFaultException extends MappingRefusedException {

    private final int errorCode;

    public UpnpFaultException(String action, int errorCode, String description) {
        super(action + " refused by the router: UPnP error " + errorCode + (description.isEmpty() ? "" : " " + description));
        this.errorCode = errorCode;
    }

    public int errorCode() {
        return errorCode;
    }
}
