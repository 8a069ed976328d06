package dev.magnetar.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** SSDP replies, device descriptions and SOAP replies, well-formed and not. */
class UpnpCodecsTest {

    private static final String WANIP1 = "urn:schemas-upnp-org:service:WANIPConnection:1";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void searchAsksForAnInternetGatewayDevice() {
        String m = new String(SsdpCodec.search(SsdpCodec.SEARCH_TARGETS[0], 2), StandardCharsets.US_ASCII);
        assertTrue(m.startsWith("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 2\r\n"), m);
        assertTrue(m.endsWith("ST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n\r\n"), m);
    }

    @Test
    void findsTheLocationHeaderWhateverItsCase() throws Exception {
        byte[] reply = bytes("HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nlocation: http://10.0.0.1:45453/rootDesc.xml\r\n\r\n");
        assertEquals(URI.create("http://10.0.0.1:45453/rootDesc.xml"), SsdpCodec.location(reply));
    }

    @Test
    void badSearchRepliesAreRefused() {
        assertThrows(PortMappingDecodeException.class, () -> SsdpCodec.location(bytes("NOTIFY * HTTP/1.1\r\nLOCATION: http://a/\r\n\r\n")));
        assertThrows(PortMappingDecodeException.class, () -> SsdpCodec.location(bytes("HTTP/1.1 200 OK\r\nST: x\r\n\r\n")));
        assertThrows(PortMappingDecodeException.class, () -> SsdpCodec.location(bytes("HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n")));
        assertThrows(PortMappingDecodeException.class, () -> SsdpCodec.location(bytes("HTTP/1.1 200 OK\r\nLOCATION: http://[bad\r\n\r\n")));
        assertThrows(PortMappingDecodeException.class, () -> SsdpCodec.location(new byte[SsdpCodec.MAX_REPLY_BYTES + 1]));
    }

    @Test
    void descriptionGivesTheWanIpConnectionControlUrlResolvedAgainstTheLocation() throws Exception {
        String xml = "<?xml version=\"1.0\"?><root xmlns=\"urn:schemas-upnp-org:device-1-0\"><device>"
                + "<deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><deviceList><device><deviceList><device>"
                + "<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType>"
                + "<controlURL>/ctl/CmnIfCfg</controlURL></service>"
                + "<service><serviceType>" + WANIP1 + "</serviceType><controlURL>/ctl/IPConn</controlURL></service>"
                + "</serviceList></device></deviceList></device></deviceList></device></root>";
        IgdDescription d = IgdDescription.parse(bytes(xml), URI.create("http://10.0.0.1:45453/rootDesc.xml"));
        assertEquals(URI.create("http://10.0.0.1:45453/ctl/IPConn"), d.controlUrl());
        assertEquals(WANIP1, d.serviceType());
    }

    @Test
    void urlBaseWinsOverTheLocation() throws Exception {
        String xml = "<root><URLBase>http://10.0.0.1:5000/</URLBase><device><serviceList><service><serviceType>"
                + "urn:schemas-upnp-org:service:WANPPPConnection:1</serviceType><controlURL>ppp</controlURL></service></serviceList></device></root>";
        IgdDescription d = IgdDescription.parse(bytes(xml), URI.create("http://10.0.0.1:45453/rootDesc.xml"));
        assertEquals(URI.create("http://10.0.0.1:5000/ppp"), d.controlUrl());
    }

    @Test
    void badDescriptionsAreRefused() {
        URI loc = URI.create("http://10.0.0.1:1/d.xml");
        assertThrows(PortMappingDecodeException.class, () -> IgdDescription.parse(bytes("<root><device>"), loc));
        assertThrows(PortMappingDecodeException.class, () -> IgdDescription.parse(bytes("<root/>"), loc));
        assertThrows(PortMappingDecodeException.class, () -> IgdDescription.parse(bytes("<root><service><serviceType>" + WANIP1
                + "</serviceType></service></root>"), loc));
        assertThrows(PortMappingDecodeException.class, () -> IgdDescription.parse(new byte[UpnpXml.MAX_BYTES + 1], loc));
    }

    @Test
    void aDescriptionCannotReadOurFilesThroughAnEntity() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/hostname\">]>"
                + "<root><service><serviceType>" + WANIP1 + "</serviceType><controlURL>&x;</controlURL></service></root>";
        assertThrows(PortMappingDecodeException.class, () -> IgdDescription.parse(bytes(xxe), URI.create("http://10.0.0.1/")));
    }

    @Test
    void addPortMappingNamesEveryArgumentTheServiceTemplateAsksFor() throws Exception {
        String body = new String(UpnpSoap.addPortMapping(WANIP1, TransportProtocol.UDP, 40001, (Inet4Address) InetAddress.getByName("10.0.0.2"),
                40000, Duration.ofHours(1)), StandardCharsets.UTF_8);
        assertTrue(body.contains("<u:AddPortMapping xmlns:u=\"" + WANIP1 + "\"><NewRemoteHost></NewRemoteHost><NewExternalPort>40001"
                + "</NewExternalPort><NewProtocol>UDP</NewProtocol><NewInternalPort>40000</NewInternalPort><NewInternalClient>10.0.0.2"
                + "</NewInternalClient><NewEnabled>1</NewEnabled><NewPortMappingDescription>Magnetar</NewPortMappingDescription>"
                + "<NewLeaseDuration>3600</NewLeaseDuration></u:AddPortMapping>"), body);
        assertEquals("\"" + WANIP1 + "#AddPortMapping\"", UpnpSoap.soapAction(WANIP1, "AddPortMapping"));
    }

    @Test
    void readsTheExternalAddressReply() throws Exception {
        String reply = "<?xml version=\"1.0\"?><s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body>"
                + "<u:GetExternalIPAddressResponse xmlns:u=\"" + WANIP1 + "\"><NewExternalIPAddress>11.213.1.1</NewExternalIPAddress>"
                + "</u:GetExternalIPAddressResponse></s:Body></s:Envelope>";
        assertEquals("11.213.1.1", UpnpSoap.decodeExternalIpAddress(200, bytes(reply)).getHostAddress());
    }

    @Test
    void anExternalAddressThatIsNotAnIpv4LiteralIsRefusedUnresolved() {
        String reply = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><r><NewExternalIPAddress>evil.example"
                + "</NewExternalIPAddress></r></s:Body></s:Envelope>";
        assertThrows(PortMappingDecodeException.class, () -> UpnpSoap.decodeExternalIpAddress(200, bytes(reply)));
    }

    @Test
    void aSoapFaultIsARefusalWithItsUpnpErrorCode() {
        String fault = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><s:Fault><faultcode>s:Client</faultcode>"
                + "<faultstring>UPnPError</faultstring><detail><UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>718</errorCode>"
                + "<errorDescription>ConflictInMappingEntry</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>";
        UpnpFaultException e = assertThrows(UpnpFaultException.class, () -> UpnpSoap.decodeEmptyReply(500, bytes(fault), "AddPortMapping"));
        assertEquals(718, e.errorCode());
        assertTrue(e.getMessage().contains("ConflictInMappingEntry"), e.getMessage());
    }

    @Test
    void brokenSoapRepliesAreDecodeErrors() {
        assertThrows(PortMappingDecodeException.class, () -> UpnpSoap.decodeEmptyReply(500, bytes("<html>oops</html>"), "AddPortMapping"));
        assertThrows(PortMappingDecodeException.class, () -> UpnpSoap.decodeEmptyReply(200, bytes("<html>ok</html>"), "AddPortMapping"));
        assertThrows(PortMappingDecodeException.class, () -> UpnpSoap.decodeEmptyReply(200, bytes("not xml"), "AddPortMapping"));
        assertThrows(PortMappingDecodeException.class, () -> UpnpSoap.decodeEmptyReply(200, new byte[0], "AddPortMapping"));
    }
}
