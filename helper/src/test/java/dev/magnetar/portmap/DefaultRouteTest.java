package dev.magnetar.portmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DefaultRouteTest {

    private static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

    @Test
    void readsTheGatewayInTheKernelsByteOrder() {
        String table = HEADER
                + "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n"
                + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
        DefaultRoute.Entry e = DefaultRoute.parse(table).orElseThrow();
        assertEquals("eth0", e.interfaceName());
        assertEquals("192.0.2.1", e.gateway().getHostAddress());
    }

    @Test
    void thePreferredDefaultRouteHasTheLowestMetric() {
        String table = HEADER
                + "wlan0\t00000000\t0101A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0\n"
                + "eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
        assertEquals("10.0.0.1", DefaultRoute.parse(table).orElseThrow().gateway().getHostAddress());
    }

    @Test
    void noDefaultRouteOrAGarbledTableMeansNoGateway() {
        assertTrue(DefaultRoute.parse(HEADER + "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n").isEmpty());
        assertTrue(DefaultRoute.parse(HEADER + "tun0\t00000000\t00000000\t0001\t0\t0\t0\t00000000\t0\t0\t0\n").isEmpty(),
                "a default route without a gateway (a point-to-point tunnel) has no router to ask");
        assertTrue(DefaultRoute.parse(HEADER + "eth0\t00000000\tZZZZ\t0003\n\n\tjunk").isEmpty());
        assertTrue(DefaultRoute.parse("").isEmpty());
    }

    @Test
    void renewsAtHalfTheGrantedLifetimeAndRefreshesPermanentLeases() {
        assertEquals(Duration.ofHours(1), PortMapper.renewDelay(Duration.ofHours(2)));
        assertEquals(Duration.ofSeconds(1), PortMapper.renewDelay(Duration.ofSeconds(1)), "never a busy loop");
        assertEquals(PortMapper.PERMANENT_REFRESH, PortMapper.renewDelay(Duration.ZERO));
    }
}
