package dev.magnetar.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.w3c.dom.Document;

/**
 * The three SOAP actions of WANIPConnection (UPnP IGD, WANIPConnection:1 service template §2.4) a port
 * mapping needs — GetExternalIPAddress, AddPortMapping, DeletePortMapping — as request bodies, and
 * their replies. A gateway that says no answers HTTP 500 with a SOAP fault carrying a UPnPError code
 * (e.g. 718 ConflictInMappingEntry, 725 OnlyPermanentLeasesSupported); {@link #checkFault} turns it
 * into a {@link UpnpFaultException}.
 */
public final class UpnpSoap {

    public static final String DESCRIPTION = "Magnetar";
    /** WANIPConnection:1 §2.4.16: the router keeps only permanent (lease 0) mappings; ask again with 0. */
    public static final int ONLY_PERMANENT_LEASES_SUPPORTED = 725;

    private UpnpSoap() {}

    /** The SOAPAction header's value: the service type, '#', the action. */
    public static String soapAction(String serviceType, String action) {
        return "\"" + serviceType + "#" + action + "\"";
    }

    public static byte[] getExternalIpAddress(String serviceType) {
        return envelope(serviceType, "GetExternalIPAddress", "");
    }

    public static byte[] addPortMapping(String serviceType, TransportProtocol protocol, int externalPort, Inet4Address internalClient,
            int internalPort, Duration lease) {
        return envelope(serviceType, "AddPortMapping", "<NewRemoteHost></NewRemoteHost>"
                + "<NewExternalPort>" + externalPort + "</NewExternalPort>"
                + "<NewProtocol>" + protocol.upnpName + "</NewProtocol>"
                + "<NewInternalPort>" + internalPort + "</NewInternalPort>"
                + "<NewInternalClient>" + internalClient.getHostAddress() + "</NewInternalClient>"
                + "<NewEnabled>1</NewEnabled>"
                + "<NewPortMappingDescription>" + DESCRIPTION + "</NewPortMappingDescription>"
                + "<NewLeaseDuration>" + lease.toSeconds() + "</NewLeaseDuration>");
    }

    public static byte[] deletePortMapping(String serviceType, TransportProtocol protocol, int externalPort) {
        return envelope(serviceType, "DeletePortMapping", "<NewRemoteHost></NewRemoteHost>"
                + "<NewExternalPort>" + externalPort + "</NewExternalPort>"
                + "<NewProtocol>" + protocol.upnpName + "</NewProtocol>");
    }

    private static byte[] envelope(String serviceType, String action, String arguments) {
        return ("<?xml version=\"1.0\"?>\r\n"
                + "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><s:Body>"
                + "<u:" + action + " xmlns:u=\"" + serviceType + "\">" + arguments + "</u:" + action + ">"
                + "</s:Body></s:Envelope>\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A reply to GetExternalIPAddress: its NewExternalIPAddress, an IPv4 literal (never a name to resolve). */
    public static Inet4Address decodeExternalIpAddress(int httpStatus, byte[] body) throws PortMappingDecodeException, UpnpFaultException {
        Document doc = checkFault(httpStatus, body, "GetExternalIPAddress");
        String ip = UpnpXml.text(doc, "NewExternalIPAddress");
        if (ip == null || !ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new PortMappingDecodeException("GetExternalIPAddress reply has no IPv4 NewExternalIPAddress: " + ip);
        }
        try {
            return (Inet4Address) InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new PortMappingDecodeException("GetExternalIPAddress reply's address does not parse: " + ip, e);
        }
    }

    /** A reply to AddPortMapping or DeletePortMapping: success carries no values. */
    public static void decodeEmptyReply(int httpStatus, byte[] body, String action) throws PortMappingDecodeException, UpnpFaultException {
        checkFault(httpStatus, body, action);
    }

    static Document checkFault(int httpStatus, byte[] body, String action) throws PortMappingDecodeException, UpnpFaultException {
        Document doc = UpnpXml.parse(body, action + " reply");
        if (httpStatus == 200) {
            if (UpnpXml.text(doc, "Body") == null) {
                throw new PortMappingDecodeException(action + " reply is not a SOAP envelope");
            }
            return doc;
        }
        String code = UpnpXml.text(doc, "errorCode");
        if (code == null || !code.matches("\\d{1,4}")) {
            throw new PortMappingDecodeException(action + " failed with HTTP " + httpStatus + " and no UPnP error code");
        }
        String description = UpnpXml.text(doc, "errorDescription");
        throw new UpnpFaultException(action, Integer.parseInt(code), description == null ? "" : description);
    }
}
