package dev.magnetar.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The slowloris guard's bookkeeping: who is waiting for headers, who is closed when a client has too many. */
class WaitingConnectionsTest {

    /** A connection as the bookkeeping sees it: a name and the bytes received so far. */
    private static final class Conn {
        final String name;
        long bytesIn;

        Conn(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final long MS = 1_000_000;
    private final InetAddress loopback = InetAddress.getLoopbackAddress();
    private final WaitingConnections<Conn> connections = new WaitingConnections<>(c -> c.bytesIn);

    @Test
    void beyondTheCapTheConnectionWaitingLongestIsClosed() {
        Conn a = new Conn("a");
        Conn b = new Conn("b");
        Conn c = new Conn("c");
        assertEquals(Optional.empty(), connections.opened(a, loopback, 0, 2));
        assertEquals(Optional.empty(), connections.opened(b, loopback, 10 * MS, 2));

        assertEquals(Optional.of(a), connections.opened(c, loopback, 20 * MS, 2));
    }

    @Test
    void aKeptAliveConnectionBetweenRequestsIsNotCounted() {
        Conn extension = new Conn("extension");
        connections.opened(extension, loopback, 0, 1);
        extension.bytesIn = 300;
        connections.serving(extension);
        connections.served(extension);

        assertEquals(Optional.empty(), connections.opened(new Conn("newcomer"), loopback, 10 * MS, 1));
    }

    /**
     * Seen in bench/api: under a flood of new connections, the extension's kept-alive connection, oldest of
     * all, was closed in the instant between its next request's bytes arriving and the request being
     * handled (it then counts as waiting), and the request failed. Newcomers go first.
     */
    @Test
    void aKeptAliveConnectionWhoseNextRequestIsArrivingIsClosedOnlyAfterEveryNewcomer() {
        Conn extension = new Conn("extension");
        connections.opened(extension, loopback, 0, 2);
        extension.bytesIn = 300;
        connections.serving(extension);
        connections.served(extension);
        Conn first = new Conn("first attacker");
        Conn second = new Conn("second attacker");
        connections.opened(first, loopback, 10 * MS, 2);
        connections.opened(second, loopback, 20 * MS, 2);
        extension.bytesIn = 400; // its next request has begun to arrive; not handled yet
        connections.late(25 * MS, 10_000 * MS); // and a sweep saw it, after the attackers opened

        assertEquals(Optional.of(first), connections.opened(new Conn("third attacker"), loopback, 30 * MS, 2));
        assertEquals(Optional.of(second), connections.opened(new Conn("fourth attacker"), loopback, 40 * MS, 2));
    }

    @Test
    void aRequestBeingHandledIsNotWaitingForHeaders() {
        Conn busy = new Conn("busy");
        connections.opened(busy, loopback, 0, 1);
        busy.bytesIn = 100;
        connections.serving(busy);

        assertEquals(Optional.empty(), connections.opened(new Conn("newcomer"), loopback, 10 * MS, 1));
        assertEquals(List.of(), connections.late(100_000 * MS, 10 * MS), "no header clock while it is handled");
    }

    @Test
    void eachClientHasItsOwnCap() throws Exception {
        InetAddress other = InetAddress.getByName("::1");
        Conn mine = new Conn("mine");
        connections.opened(mine, loopback, 0, 1);

        assertEquals(Optional.empty(), connections.opened(new Conn("theirs"), other, 10 * MS, 1));
    }

    @Test
    void headersThatTakeLongerThanTheTimeoutFromTheirFirstByteAreLate() {
        Conn slow = new Conn("slow");
        Conn quiet = new Conn("quiet");
        connections.opened(slow, loopback, 0, 10);
        connections.opened(quiet, loopback, 0, 10);
        slow.bytesIn = 1;
        assertEquals(List.of(), connections.late(1_000 * MS, 5_000 * MS), "its clock starts at the first byte seen");
        assertEquals(List.of(), connections.late(5_000 * MS, 5_000 * MS));

        assertEquals(List.of(slow), connections.late(6_001 * MS, 5_000 * MS), "a connection that sent nothing is the idle timeout's");
        assertEquals(List.of(quiet), connections.watched());
    }
}
