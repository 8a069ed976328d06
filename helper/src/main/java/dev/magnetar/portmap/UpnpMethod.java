package dev.magnetar.portmap;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * UPnP IGD to the gateway: an SSDP search multicast on the default route's interface, then the device
 * description and SOAP calls over HTTP. Only a reply from the gateway's own address counts, and only
 * URLs on that address are fetched: another device on the LAN answering the search is ignored, and a
 * description pointing elsewhere is refused.
 */
final class UpnpMethod implements MappingMethod {

    private static final Logger log = LoggerFactory.getLogger(UpnpMethod.class);
    static final int MX_SECONDS = 2;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
    /** UDA 1.1 §1.3.2: a multicast M-SEARCH should have a TTL of 2 (and routers do not forward it further). */
    private static final int SSDP_TTL = 2;

    private final Gateway gateway;
    private IgdDescription igd; // found on first use
    /**
     * Made at the first request, once a gateway answered the search: building the JDK's client loads its
     * TLS stack whether or not a request is https and starts a selector thread for good, and most gateways
     * never answer. Built eagerly, a daemon behind a silent gateway loaded 5,000 classes by its idle instead
     * of 4,337, and idled at 85.2 MiB instead of 79.0 (bench/README.md). Touched on the mapper's thread only,
     * as everything here.
     */
    private HttpClient http;

    UpnpMethod(Gateway gateway) {
        this.gateway = gateway;
    }

    boolean hasHttpClient() {
        return http != null;
    }

    private HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(HTTP_TIMEOUT)
                    .followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    @Override
    public String name() {
        return "upnp";
    }

    @Override
    public Inet4Address externalAddress() throws IOException, PortMappingDecodeException, MappingRefusedException {
        IgdDescription d = igd();
        Reply r = soap(d, "GetExternalIPAddress", UpnpSoap.getExternalIpAddress(d.serviceType()));
        return UpnpSoap.decodeExternalIpAddress(r.status(), r.body());
    }

    /**
     * WANIPConnection asks for the external port itself: we ask for our own port number. A router that
     * keeps only permanent mappings (error 725) is asked again with lease 0; the mapper still
     * refreshes it, and deletes it at exit.
     */
    @Override
    public GrantedMapping map(TransportProtocol protocol, int internalPort, int suggestedExternalPort, Duration lifetime)
            throws IOException, PortMappingDecodeException, MappingRefusedException {
        IgdDescription d = igd();
        int external = suggestedExternalPort == 0 ? internalPort : suggestedExternalPort;
        try {
            add(d, protocol, external, internalPort, lifetime);
            return new GrantedMapping(protocol, internalPort, external, lifetime, null);
        } catch (UpnpFaultException e) {
            if (e.errorCode() != UpnpSoap.ONLY_PERMANENT_LEASES_SUPPORTED || lifetime.isZero()) {
                throw e;
            }
            add(d, protocol, external, internalPort, Duration.ZERO);
            return new GrantedMapping(protocol, internalPort, external, Duration.ZERO, null);
        }
    }

    private void add(IgdDescription d, TransportProtocol protocol, int external, int internalPort, Duration lease)
            throws IOException, PortMappingDecodeException, UpnpFaultException {
        Reply r = soap(d, "AddPortMapping", UpnpSoap.addPortMapping(d.serviceType(), protocol, external, gateway.localAddress(),
                internalPort, lease));
        UpnpSoap.decodeEmptyReply(r.status(), r.body(), "AddPortMapping");
    }

    @Override
    public void unmap(GrantedMapping m) throws IOException, PortMappingDecodeException, MappingRefusedException {
        IgdDescription d = igd();
        Reply r = soap(d, "DeletePortMapping", UpnpSoap.deletePortMapping(d.serviceType(), m.protocol(), m.externalPort()));
        UpnpSoap.decodeEmptyReply(r.status(), r.body(), "DeletePortMapping");
    }

    private IgdDescription igd() throws IOException, PortMappingDecodeException {
        if (igd == null) {
            URI location = search();
            Reply r = send(HttpRequest.newBuilder(location).GET().timeout(HTTP_TIMEOUT).build());
            if (r.status() != 200) {
                throw new PortMappingDecodeException("the gateway's UPnP description at " + location + " answered HTTP " + r.status());
            }
            IgdDescription found = IgdDescription.parse(r.body(), location);
            requireGateway(found.controlUrl());
            igd = found;
            log.debug("UPnP gateway {}: {} at {}", gateway, found.serviceType(), found.controlUrl());
        }
        return igd;
    }

    /** Multicasts the search on the gateway's interface and returns the first LOCATION the gateway itself sends. */
    private URI search() throws IOException, PortMappingDecodeException {
        NetworkInterface ni = NetworkInterface.getByName(gateway.interfaceName());
        if (ni == null) {
            throw new IOException("interface " + gateway.interfaceName() + " is gone");
        }
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
                Selector selector = Selector.open()) {
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, ni);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_TTL, SSDP_TTL);
            ch.bind(new InetSocketAddress(gateway.localAddress(), 0));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            InetSocketAddress group = new InetSocketAddress(InetAddress.getByName(SsdpCodec.GROUP), SsdpCodec.PORT);
            for (String target : SsdpCodec.SEARCH_TARGETS) {
                ch.send(ByteBuffer.wrap(SsdpCodec.search(target, MX_SECONDS)), group);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(MX_SECONDS + 1).toNanos();
            ByteBuffer buf = ByteBuffer.allocate(SsdpCodec.MAX_REPLY_BYTES + 1);
            PortMappingDecodeException last = null;
            long left;
            while ((left = deadline - System.nanoTime()) > 0) {
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                InetSocketAddress from;
                while ((from = (InetSocketAddress) ch.receive(buf.clear())) != null) {
                    if (!from.getAddress().equals(gateway.address())) {
                        log.debug("ignoring an SSDP reply from {}: not the default gateway", from);
                        continue;
                    }
                    byte[] reply = new byte[buf.flip().remaining()];
                    buf.get(reply);
                    try {
                        URI location = SsdpCodec.location(reply);
                        requireGateway(location);
                        return location;
                    } catch (PortMappingDecodeException e) {
                        last = e;
                    }
                }
            }
            if (last != null) {
                throw last;
            }
            throw new SocketTimeoutException("no UPnP gateway answered the SSDP search on " + gateway.interfaceName());
        }
    }

    private void requireGateway(URI url) throws PortMappingDecodeException {
        String host = url.getHost();
        if (host == null || !host.equals(gateway.address().getHostAddress())) {
            throw new PortMappingDecodeException("the UPnP gateway points at " + url + ", which is not the default gateway "
                    + gateway.address().getHostAddress() + ": refused");
        }
    }

    private Reply soap(IgdDescription d, String action, byte[] body) throws IOException {
        return send(HttpRequest.newBuilder(d.controlUrl()).timeout(HTTP_TIMEOUT)
                .header("Content-Type", "text/xml; charset=\"utf-8\"")
                .header("SOAPAction", UpnpSoap.soapAction(d.serviceType(), action))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private record Reply(int status, byte[] body) {
    }

    private Reply send(HttpRequest request) throws IOException {
        try {
            HttpResponse<InputStream> r = http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(UpnpXml.MAX_BYTES + 1); // over the limit: the parser refuses it by size
                return new Reply(r.statusCode(), body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while talking to the gateway", e);
        }
    }
}
