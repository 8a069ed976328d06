package dev.magnetar.portmap;

import java.net.URI;
import java.net.URISyntaxException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The part of an Internet Gateway Device's description a port mapping needs: the control URL of its
 * WANIPConnection (or, on PPP links, WANPPPConnection) service and that service's type, which the
 * SOAP calls name.
 */
public record IgdDescription(URI controlUrl, String serviceType) {

    private static final String[] SERVICES = {
            "urn:schemas-upnp-org:service:WANIPConnection:2", "urn:schemas-upnp-org:service:WANIPConnection:1",
            "urn:schemas-upnp-org:service:WANPPPConnection:1"};

    /**
     * @param location where the description came from: a relative control URL resolves against the
     *     description's {@code URLBase}, else against this (UDA 1.0 §2.1; 1.1 dropped URLBase)
     */
    public static IgdDescription parse(byte[] xml, URI location) throws PortMappingDecodeException {
        Document doc = UpnpXml.parse(xml, "UPnP device description");
        NodeList services = doc.getElementsByTagNameNS("*", "service");
        for (String wanted : SERVICES) {
            for (int i = 0; i < services.getLength(); i++) {
                Element s = (Element) services.item(i);
                if (wanted.equals(UpnpXml.text(s, "serviceType"))) {
                    String control = UpnpXml.text(s, "controlURL");
                    if (control == null || control.isEmpty()) {
                        throw new PortMappingDecodeException("UPnP service " + wanted + " has no controlURL");
                    }
                    return new IgdDescription(resolve(UpnpXml.text(doc, "URLBase"), location, control), wanted);
                }
            }
        }
        throw new PortMappingDecodeException("UPnP device has no WANIPConnection or WANPPPConnection service: not a gateway we can map ports on");
    }

    private static URI resolve(String urlBase, URI location, String control) throws PortMappingDecodeException {
        try {
            URI base = urlBase == null || urlBase.isEmpty() ? location : new URI(urlBase);
            URI resolved = base.resolve(new URI(control));
            if (!"http".equalsIgnoreCase(resolved.getScheme()) || resolved.getHost() == null) {
                throw new PortMappingDecodeException("UPnP control URL is not an http URL: " + resolved);
            }
            return resolved;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new PortMappingDecodeException("UPnP control URL does not parse: " + control, e);
        }
    }
}
