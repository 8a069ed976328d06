package dev.magnetar.daemon;

import dev.magnetar.portmap.DefaultRoute;
import dev.magnetar.portmap.Gateway;
import dev.magnetar.portmap.PortMapper;
import dev.magnetar.portmap.PortMappingStatus;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link PortMapper} for the engine's peer port while the user's setting says so: turning the
 * setting off removes the mappings at once (on another thread: the router may take seconds to answer,
 * and the settings request should not wait for it), turning it on maps again. An engine that accepts
 * peers on loopback only has nothing to map, and never asks the router.
 */
final class PortMappingSwitch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PortMappingSwitch.class);

    private final InetSocketAddress listen;
    private final Supplier<Optional<Gateway>> gateways;
    private PortMapper mapper; // guarded by this
    private PortMappingStatus offStatus; // guarded by this; what to say while no mapper runs
    private volatile java.util.function.Consumer<PortMappingStatus> onStatus = st -> { };

    PortMappingSwitch(InetSocketAddress listen, Supplier<Optional<Gateway>> gateways) {
        this.listen = listen;
        this.gateways = gateways;
        this.offStatus = PortMappingStatus.off("switched off in the settings");
    }

    static PortMappingSwitch forDefaultRoute(InetSocketAddress listen) {
        return new PortMappingSwitch(listen, DefaultRoute::find);
    }

    /** Told of each mapping, renewal, failure and switch-off: the engine announces the external port from it. */
    void onStatus(java.util.function.Consumer<PortMappingStatus> listener) {
        onStatus = listener;
    }

    synchronized void set(boolean on) {
        if (!on) {
            offStatus = PortMappingStatus.off("switched off in the settings");
            onStatus.accept(offStatus);
            PortMapper m = mapper;
            mapper = null;
            if (m != null) {
                Thread t = new Thread(m::close, "magnetar-portmap-stop");
                t.setDaemon(true);
                t.start();
            }
            return;
        }
        if (mapper != null) {
            return;
        }
        if (listen.getAddress().isLoopbackAddress()) {
            offStatus = PortMappingStatus.off("peers are accepted on loopback only: nothing to map");
            return;
        }
        Optional<Gateway> gateway = gateways.get();
        if (gateway.isEmpty()) {
            offStatus = PortMappingStatus.off("no IPv4 default gateway to ask");
            return;
        }
        log.info("mapping peer port {} on the default gateway {}", listen.getPort(), gateway.get());
        mapper = new PortMapper(gateway.get(), listen.getPort(), PortMapper.Options.defaults());
        mapper.addListener(st -> onStatus.accept(st));
        mapper.start();
    }

    synchronized PortMappingStatus status() {
        return mapper != null ? mapper.status() : offStatus;
    }

    /** At exit: removes the mappings, waiting a few seconds at most for the router. */
    @Override
    public void close() {
        PortMapper m;
        synchronized (this) {
            m = mapper;
            mapper = null;
            offStatus = PortMappingStatus.off("stopped");
        }
        if (m != null) {
            m.close();
        }
    }
}
