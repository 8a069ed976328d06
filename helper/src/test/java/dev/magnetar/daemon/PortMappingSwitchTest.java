package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.portmap.PortMappingStatus;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PortMappingSwitchTest {

    @Test
    void anEngineOnLoopbackNeverAsksTheRouter() {
        AtomicInteger asked = new AtomicInteger();
        try (PortMappingSwitch s = new PortMappingSwitch(new InetSocketAddress("127.0.0.1", 40000), () -> {
            asked.incrementAndGet();
            return Optional.empty();
        })) {
            s.set(true);
            assertEquals(PortMappingStatus.OFF, s.status().state());
            assertTrue(s.status().message().contains("loopback"), s.status().message());
            assertEquals(0, asked.get(), "not even the routing table is read");
        }
    }

    @Test
    void withoutADefaultGatewayItSaysSo() {
        try (PortMappingSwitch s = new PortMappingSwitch(new InetSocketAddress("0.0.0.0", 40000), Optional::empty)) {
            s.set(true);
            assertEquals(PortMappingStatus.OFF, s.status().state());
            assertTrue(s.status().message().contains("no IPv4 default gateway"), s.status().message());
        }
    }

    @Test
    void switchedOffItSaysWhoSwitchedIt() {
        try (PortMappingSwitch s = new PortMappingSwitch(new InetSocketAddress("0.0.0.0", 40000), Optional::empty)) {
            s.set(false);
            assertEquals(PortMappingStatus.off("switched off in the settings"), s.status());
        }
    }
}
