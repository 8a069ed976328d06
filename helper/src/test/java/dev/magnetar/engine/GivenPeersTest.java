package dev.magnetar.engine;

import static dev.magnetar.engine.GivenPeers.Reach.CONNECTED;
import static dev.magnetar.engine.GivenPeers.Reach.DIALLING;
import static dev.magnetar.engine.GivenPeers.Reach.LOST;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GivenPeersTest {

    private static final InetSocketAddress A = new InetSocketAddress("127.0.0.1", 6881);
    private static final InetSocketAddress B = new InetSocketAddress("127.0.0.1", 6882);
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final GivenPeers given = new GivenPeers();
    private final Map<InetSocketAddress, GivenPeers.Reach> reach = new HashMap<>();
    /** System.nanoTime may read negative: the back-offs here cross zero. */
    private long now = -30 * SECOND;

    /** Ticks once a second for {@code seconds}, returning the seconds (from the start) at which {@code a} was redialled. */
    private List<Integer> tick(int seconds, InetSocketAddress a) {
        List<Integer> at = new ArrayList<>();
        for (int s = 1; s <= seconds; s++) {
            now += SECOND;
            if (given.due(now, x -> reach.getOrDefault(x, LOST)).contains(a)) {
                at.add(s);
                reach.put(a, LOST); // the redial failed again at once
            }
        }
        return at;
    }

    @Test
    void aLostPeerIsDialledAgainAfter5Then15Then60SecondsAndThenLeftAlone() {
        given.given(A);
        reach.put(A, LOST);
        // Lost at the first tick: redials 5 s later, then 15 s after that one failed, then 60 s after that.
        assertEquals(List.of(6, 22, 83), tick(600, A));
    }

    @Test
    void aPeerThatIsConnectedOrBeingDialledIsNeverDialledAgain() {
        given.given(A);
        given.given(B);
        reach.put(A, CONNECTED);
        reach.put(B, DIALLING);
        for (int s = 0; s < 300; s++) {
            now += SECOND;
            assertEquals(List.of(), given.due(now, reach::get));
        }
    }

    @Test
    void aConnectionDroppedRightAfterItWasMadeKeepsTheBackOffGoing() {
        given.given(A);
        reach.put(A, LOST);
        assertEquals(List.of(6), tick(6, A));
        reach.put(A, CONNECTED); // the redial connected, and the peer dropped it within seconds
        tick(3, A);
        reach.put(A, LOST);
        assertEquals(List.of(16), tick(30, A), "the second wait, 15 s, not the first again");
    }

    @Test
    void aConnectionThatHeldAMinuteStartsTheBackOffAfresh() {
        given.given(A);
        reach.put(A, LOST);
        assertEquals(List.of(6, 22, 83), tick(100, A));
        reach.put(A, CONNECTED);
        tick(61, A);
        reach.put(A, LOST);
        assertEquals(List.of(6), tick(10, A));
    }

    @Test
    void givingAPeerAgainStartsTheBackOffAfresh() {
        given.given(A);
        reach.put(A, LOST);
        assertEquals(List.of(6, 22, 83), tick(200, A));
        given.given(A);
        assertEquals(List.of(6), tick(10, A));
        assertEquals(1, given.size());
    }
}
