package dev.magnetar.portmap;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.Inet4Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The UPnP method's cost to a daemon whose gateway speaks no UPnP. */
class UpnpMethodTest {

    /**
     * Every daemon makes the mapper at start, and most gateways never answer the SSDP search: building
     * the JDK's HTTP client then loads its TLS stack (~400 classes) and starts a selector thread the
     * daemon keeps for good, for requests it never sends.
     */
    @Test
    void makingTheMethodBuildsNoHttpClientBeforeAGatewayAnswers() throws Exception {
        Inet4Address loopback = (Inet4Address) InetAddress.getByName("127.0.0.1");
        UpnpMethod upnp = new UpnpMethod(new Gateway(loopback, "lo", loopback));
        assertFalse(upnp.hasHttpClient(), "an HTTP client before any gateway answered");
    }
}
