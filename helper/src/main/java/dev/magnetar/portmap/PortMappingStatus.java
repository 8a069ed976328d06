package dev.magnetar.portmap;

/**
 * What the port mapper has achieved, for the status API and the popup.
 *
 * @param state           {@link #OFF}, {@link #SEARCHING}, {@link #MAPPED} or {@link #FAILED}
 * @param method          "pcp", "nat-pmp" or "upnp" once mapped; null before
 * @param externalAddress the router's public IPv4 address, when it told us
 * @param externalTcpPort the port peers dial on the router for our TCP port; null unless mapped
 * @param externalUdpPort the same for uTP and the DHT
 * @param gateway         the default gateway asked, or null when there is none
 * @param message         why it is off or failed, in words for the user
 */
public record PortMappingStatus(String state, String method, String externalAddress, Integer externalTcpPort,
        Integer externalUdpPort, String gateway, String message) {

    public static final String OFF = "off";
    public static final String SEARCHING = "searching";
    public static final String MAPPED = "mapped";
    public static final String FAILED = "failed";

    public static PortMappingStatus off(String why) {
        return new PortMappingStatus(OFF, null, null, null, null, null, why);
    }
}
