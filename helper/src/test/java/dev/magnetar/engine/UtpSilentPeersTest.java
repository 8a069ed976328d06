package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UtpSilentPeersTest {

    private long now = 1_000;
    private final UtpSilentPeers peers = new UtpSilentPeers(() -> now);
    private final InetSocketAddress silent = new InetSocketAddress("127.0.0.1", 6881);

    @Test
    void aPeerIsDialledOverTcpAloneOnlyAfterItIgnoredUtp() {
        assertFalse(peers.dialOverTcpAlone(silent));
        peers.silentOverUtp(silent);
        assertTrue(peers.dialOverTcpAlone(silent));
        assertFalse(peers.dialOverTcpAlone(new InetSocketAddress("127.0.0.1", 6882)), "another port is another peer");
        assertEquals(1, peers.tcpAloneDials());
    }

    @Test
    void itsSilenceIsForgottenAfterAnHourSoUtpIsTriedAgain() {
        peers.silentOverUtp(silent);
        now += UtpSilentPeers.FORGET_AFTER_NANOS - 1;
        assertTrue(peers.dialOverTcpAlone(silent));
        now += 1;
        assertFalse(peers.dialOverTcpAlone(silent));
        assertEquals(0, peers.size());
    }

    @Test
    void aFailedTcpAloneDialForgetsThePeer() {
        peers.silentOverUtp(silent);
        peers.forget(silent);
        assertFalse(peers.dialOverTcpAlone(silent));
    }

    @Test
    void theOldestSilenceMakesRoomWhenTheBoundIsReached() {
        for (int port = 1; port <= UtpSilentPeers.MAX_REMEMBERED + 1; port++) {
            peers.silentOverUtp(new InetSocketAddress("10.0.0.1", port));
        }
        assertEquals(UtpSilentPeers.MAX_REMEMBERED, peers.size());
        assertFalse(peers.dialOverTcpAlone(new InetSocketAddress("10.0.0.1", 1)), "the first one went");
        assertTrue(peers.dialOverTcpAlone(new InetSocketAddress("10.0.0.1", UtpSilentPeers.MAX_REMEMBERED + 1)));
    }

    @Test
    void seeingItSilentAgainMakesItTheNewestAndRestartsItsHour() {
        peers.silentOverUtp(silent);
        now += UtpSilentPeers.FORGET_AFTER_NANOS / 2;
        peers.silentOverUtp(silent);
        for (int port = 1; port < UtpSilentPeers.MAX_REMEMBERED; port++) {
            peers.silentOverUtp(new InetSocketAddress("10.0.0.1", port));
        }
        now += UtpSilentPeers.FORGET_AFTER_NANOS / 2 + 1;
        assertTrue(peers.dialOverTcpAlone(silent));
    }
}
