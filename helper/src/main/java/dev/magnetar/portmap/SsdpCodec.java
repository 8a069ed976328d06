package dev.magnetar.portmap;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * SSDP search (UPnP Device Architecture 1.1, §1.3): the M-SEARCH we multicast for an Internet Gateway
 * Device, and the {@code LOCATION} of the device description in a reply. Replies are HTTP-like
 * headers over UDP; names are case-insensitive.
 */
public final class SsdpCodec {

    public static final String GROUP = "239.255.255.250";
    public static final int PORT = 1900;
    public static final int MAX_REPLY_BYTES = 2048;
    /** IGD v1 and v2 (miniupnpd and most routers answer both); v2 adds nothing a port mapping needs. */
    public static final String[] SEARCH_TARGETS = {
            "urn:schemas-upnp-org:device:InternetGatewayDevice:1", "urn:schemas-upnp-org:device:InternetGatewayDevice:2"};

    private SsdpCodec() {}

    /** UDA 1.1 §1.3.2: MX is how many seconds a device may wait before it answers. */
    public static byte[] search(String target, int mxSeconds) {
        return ("M-SEARCH * HTTP/1.1\r\n"
                + "HOST: " + GROUP + ":" + PORT + "\r\n"
                + "MAN: \"ssdp:discover\"\r\n"
                + "MX: " + mxSeconds + "\r\n"
                + "ST: " + target + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The device description's URL from a search reply ({@code HTTP/1.1 200 OK} with a LOCATION header). */
    public static URI location(byte[] reply) throws PortMappingDecodeException {
        if (reply.length > MAX_REPLY_BYTES) {
            throw new PortMappingDecodeException("SSDP reply of " + reply.length + " bytes is larger than " + MAX_REPLY_BYTES);
        }
        String[] lines = new String(reply, StandardCharsets.ISO_8859_1).split("\r?\n");
        if (lines.length == 0 || !lines[0].matches("HTTP/1\\.[01] 200( .*)?")) {
            throw new PortMappingDecodeException("SSDP reply does not start with HTTP/1.1 200");
        }
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("location")) {
                String value = lines[i].substring(colon + 1).trim();
                try {
                    URI uri = new URI(value);
                    if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                        throw new PortMappingDecodeException("SSDP LOCATION is not an http URL: " + value);
                    }
                    return uri;
                } catch (URISyntaxException e) {
                    throw new PortMappingDecodeException("SSDP LOCATION does not parse: " + value, e);
                }
            }
        }
        throw new PortMappingDecodeException("SSDP reply has no LOCATION header");
    }
}
