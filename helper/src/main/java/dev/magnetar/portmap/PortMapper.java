package dev.magnetar.portmap;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.Inet4Address;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps our listen port mapped on the default gateway, for TCP (peers) and UDP (uTP, DHT): PCP first,
 * NAT-PMP when the gateway answers PCP in NAT-PMP's version, UPnP IGD when neither answers — the
 * order libtorrent's users get in practice. Each mapping is renewed at half its lifetime (RFC 6886
 * §3.3 asks for renewal before expiry; half is what it recommends for the first retry), deleted at
 * {@link #close}, and sought again a few minutes after a failure (a router that was rebooting).
 *
 * <p>Written here rather than taken from a library: jupnp is a full UPnP stack (device hosting,
 * eventing, its own HTTP server and thread pools) for what is three SOAP calls; weupnp has had no
 * release since 2015 and knows only UPnP; neither speaks PCP. The codecs are small and tested against
 * malformed replies.
 */
public final class PortMapper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PortMapper.class);
    /** RFC 6886 §3.3 recommends two hours for a mapping's requested lifetime. */
    public static final Duration DEFAULT_LIFETIME = Duration.ofHours(2);
    /** How often a permanent (lease 0) UPnP mapping is refreshed, in case the router forgot it (rebooted). */
    static final Duration PERMANENT_REFRESH = Duration.ofMinutes(20);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(5);
    static final Duration CLOSE_PATIENCE = Duration.ofSeconds(3);

    /** The methods tried, in order (tests choose one). */
    public enum Method { PCP, NAT_PMP, UPNP }

    public record Options(Duration lifetime, List<Method> methods, int pmpTries) {
        public static Options defaults() {
            return new Options(DEFAULT_LIFETIME, List.of(Method.PCP, Method.NAT_PMP, Method.UPNP), 4);
        }
    }

    private final Gateway gateway;
    private final int port;
    private final Options options;
    private final ScheduledExecutorService executor;
    private final List<MappingMethod> methods = new ArrayList<>();
    private volatile PortMappingStatus status;
    private final java.util.concurrent.CopyOnWriteArrayList<java.util.function.Consumer<PortMappingStatus>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();
    // The rest is touched only on the executor's thread.
    private MappingMethod current;
    private final List<GrantedMapping> granted = new ArrayList<>();
    private ScheduledFuture<?> next;
    private volatile int renewals;

    /**
     * @param port our TCP and UDP listen port (BitTorrent uses the same number for both)
     */
    public PortMapper(Gateway gateway, int port, Options options) {
        this.gateway = gateway;
        this.port = port;
        this.options = options;
        PmpExchange pmp = new PmpExchange(gateway, NatPmpCodec.PORT, options.pmpTries());
        for (Method m : options.methods()) {
            methods.add(switch (m) {
                case PCP -> new PcpMethod(pmp, gateway.localAddress(), new SecureRandom());
                case NAT_PMP -> new NatPmpMethod(pmp);
                case UPNP -> new UpnpMethod(gateway);
            });
        }
        this.status = new PortMappingStatus(PortMappingStatus.SEARCHING, null, null, null, null, gateway.address().getHostAddress(), null);
        this.executor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("magnetar-portmap", true));
    }

    /** Starts mapping in the background; {@link #status()} tells how it goes. */
    public PortMapper start() {
        executor.execute(this::mapFresh);
        return this;
    }

    public PortMappingStatus status() {
        return status;
    }

    /** Told of every mapping, renewal, failure and the final stop, on the mapper's thread. */
    public void addListener(java.util.function.Consumer<PortMappingStatus> listener) {
        listeners.add(listener);
    }

    private void publish(PortMappingStatus next) {
        status = next;
        for (java.util.function.Consumer<PortMappingStatus> l : listeners) {
            l.accept(next);
        }
    }

    /** How many times the mappings were renewed (for tests and logs); read it in a listener. */
    public int renewals() {
        return renewals;
    }

    private void mapFresh() {
        granted.clear();
        current = null;
        String lastError = null;
        boolean pmpSilent = false;
        for (MappingMethod m : methods) {
            if (pmpSilent && m instanceof NatPmpMethod) {
                continue; // the same port just stayed silent for PCP
            }
            try {
                mapWith(m, 0, 0);
                current = m;
                return;
            } catch (java.net.SocketTimeoutException e) {
                pmpSilent |= m instanceof PcpMethod;
                lastError = e.getMessage();
                log.debug("port mapping by {} on {}: {}", m.name(), gateway, e.getMessage());
            } catch (IOException | PortMappingDecodeException | MappingRefusedException e) {
                lastError = m.name() + ": " + e.getMessage();
                log.debug("port mapping by {} on {}: {}", m.name(), gateway, e.toString());
            }
        }
        log.info("port mapping failed on {}: {}; trying again in {} min", gateway, lastError, RETRY_AFTER_FAILURE.toMinutes());
        publish(new PortMappingStatus(PortMappingStatus.FAILED, null, null, null, null, gateway.address().getHostAddress(),
                "the router did not map port " + port + " (" + lastError + "); peers outside cannot dial us unless it is forwarded by hand"));
        schedule(this::mapFresh, RETRY_AFTER_FAILURE);
    }

    private void mapWith(MappingMethod m, int tcpExternal, int udpExternal)
            throws IOException, PortMappingDecodeException, MappingRefusedException {
        Inet4Address external = m.externalAddress();
        GrantedMapping tcp = m.map(TransportProtocol.TCP, port, tcpExternal, options.lifetime());
        granted.add(tcp);
        // Peers dial uTP at the port trackers and PEX name, which is the TCP one: ask for the same number.
        GrantedMapping udp = m.map(TransportProtocol.UDP, port, udpExternal != 0 ? udpExternal : tcp.externalPort(), options.lifetime());
        granted.add(udp);
        if (udpExternal == 0 && udp.externalPort() != tcp.externalPort()) {
            log.warn("the router {} mapped port {} to {} for TCP but {} for UDP: peers outside cannot reach us over uTP",
                    gateway, port, tcp.externalPort(), udp.externalPort());
        }
        if (external == null) {
            external = tcp.externalAddress();
        }
        String ext = external == null ? null : external.getHostAddress();
        boolean changed = !PortMappingStatus.MAPPED.equals(status.state()) || !java.util.Objects.equals(status.externalTcpPort(), tcp.externalPort());
        publish(new PortMappingStatus(PortMappingStatus.MAPPED, m.name(), ext, tcp.externalPort(), udp.externalPort(),
                gateway.address().getHostAddress(), null));
        if (changed) {
            log.info("port {} mapped by {} on {}: external {}:{} (TCP), :{} (UDP)", port, m.name(), gateway, ext, tcp.externalPort(),
                    udp.externalPort());
        }
        Duration shortest = tcp.lifetime().compareTo(udp.lifetime()) < 0 ? tcp.lifetime() : udp.lifetime();
        schedule(this::renew, renewDelay(shortest));
    }

    /** Half the granted lifetime; a permanent mapping is refreshed now and then. */
    static Duration renewDelay(Duration granted) {
        if (granted.isZero()) {
            return PERMANENT_REFRESH;
        }
        Duration half = granted.dividedBy(2);
        return half.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : half;
    }

    private void renew() {
        MappingMethod m = current;
        int tcp = granted.size() > 0 ? granted.get(0).externalPort() : 0;
        int udp = granted.size() > 1 ? granted.get(1).externalPort() : 0;
        granted.clear();
        try {
            renewals++;
            mapWith(m, tcp, udp);
        } catch (IOException | PortMappingDecodeException | MappingRefusedException e) {
            log.info("renewing the port mapping by {} on {} failed ({}); searching again", m.name(), gateway, e.getMessage());
            mapFresh();
        }
    }

    private void schedule(Runnable task, Duration delay) {
        if (!executor.isShutdown()) {
            next = executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Deletes what was mapped (waiting at most a few seconds for the router), then stops. */
    @Override
    public void close() {
        if (executor.isShutdown()) {
            return;
        }
        try {
            executor.submit(this::unmapAll).get(CLOSE_PATIENCE.toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | java.util.concurrent.RejectedExecutionException e) {
            log.info("port mapping on {} not removed cleanly: {}", gateway, e.toString());
        }
        executor.shutdownNow();
        publish(PortMappingStatus.off("stopped"));
    }

    private void unmapAll() {
        if (next != null) {
            next.cancel(false);
        }
        for (GrantedMapping g : granted) {
            try {
                current.unmap(g);
                log.info("removed the {} mapping of port {} on {}", g.protocol(), port, gateway);
            } catch (IOException | PortMappingDecodeException | MappingRefusedException e) {
                log.info("removing the {} mapping of port {} on {} failed: {}", g.protocol(), port, gateway, e.getMessage());
            }
        }
        granted.clear();
        executor.shutdown();
    }
}
