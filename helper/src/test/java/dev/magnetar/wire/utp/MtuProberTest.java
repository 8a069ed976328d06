package dev.magnetar.wire.utp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MtuProberTest {

    private static final int HEADER = UtpPacketCodec.HEADER_BYTES;

    /** Plays a path that carries datagrams up to {@code pathMtu} whole and drops longer ones; returns the probes sent. */
    private static int search(MtuProber p, int pathMtu) {
        int probes = 0;
        int payload;
        while ((payload = p.nextProbePayloadBytes()) > 0) {
            probes++;
            p.probeSent(payload);
            assertEquals(0, p.nextProbePayloadBytes(), "one probe at a time");
            if (payload + HEADER <= pathMtu) {
                p.probeAcked(payload);
            } else {
                p.probeLost(payload);
            }
        }
        return probes;
    }

    @Test
    void startsAtTheSafeFloorAndClimbsToNearTheEthernetCeilingOnAWidePath() {
        MtuProber p = MtuProber.forPath(false);
        assertEquals(1232, p.datagramBytes(), "IPv6's minimum MTU less IPv6 and UDP headers");
        assertEquals(1232 - HEADER, p.payloadBytes());
        int probes = search(p, 65_536);
        assertTrue(p.datagramBytes() > 1472 - MtuProber.DONE_WITHIN_BYTES && p.datagramBytes() <= 1472, p.toString());
        assertTrue(probes <= 6, "binary search: " + probes + " probes");
        assertFalse(p.searching());
    }

    @Test
    void ipv6PathsStopTwentyBytesLower() {
        MtuProber p = MtuProber.forPath(true);
        search(p, 65_536);
        assertTrue(p.datagramBytes() <= 1452 && p.datagramBytes() > 1452 - MtuProber.DONE_WITHIN_BYTES, p.toString());
    }

    /** WireGuard's default 1,420-byte tunnel over IPv4 carries 1,392-byte UDP payloads. */
    @Test
    void aLostProbeEndsTheSearchAtTheLargestSizeThatArrived() {
        MtuProber p = MtuProber.forPath(false);
        search(p, 1392);
        assertTrue(p.datagramBytes() <= 1392, "never above the path: " + p);
        assertTrue(p.datagramBytes() >= 1352, "above the floor it started from: " + p);
        assertFalse(p.searching());
        assertEquals(0, p.nextProbePayloadBytes());
    }

    @Test
    void aPathNarrowerThanTheFirstProbeKeepsTheFloor() {
        MtuProber p = MtuProber.forPath(false);
        assertEquals(1, search(p, 1300));
        assertEquals(1232, p.datagramBytes());
    }

    @Test
    void timeoutsInARowAtTheFloorFallBackToTheMinimumAndSearchAgain() {
        MtuProber p = MtuProber.forPath(false);
        search(p, 1500);
        int found = p.datagramBytes();
        p.timedOut();
        assertEquals(found, p.datagramBytes(), "one timeout is congestion, not a new path");
        p.floorAcked();
        p.timedOut();
        assertEquals(found, p.datagramBytes(), "an ack in between resets the count");
        p.timedOut();
        assertEquals(MtuProber.MIN_DATAGRAM_BYTES, p.datagramBytes(), "two in a row: the path may have changed");
        assertTrue(p.searching());
        search(p, 1400);
        assertTrue(p.datagramBytes() <= 1400, p.toString());
    }

    @Test
    void aFixedSizeNeverProbes() {
        MtuProber p = MtuProber.fixed(1020);
        assertEquals(0, p.nextProbePayloadBytes());
        assertEquals(1000, p.payloadBytes());
    }

    @Test
    void refusesSizesThatCannotHoldAHeader() {
        assertThrows(IllegalArgumentException.class, () -> new MtuProber(HEADER, 1500));
        assertThrows(IllegalArgumentException.class, () -> new MtuProber(1400, 1300));
    }
}
