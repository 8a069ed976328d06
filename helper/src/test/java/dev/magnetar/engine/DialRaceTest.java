package dev.magnetar.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.magnetar.engine.DialRace.Transport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The rules of a uTP/TCP dial race, with the transports and the timer faked. */
class DialRaceTest {

    /** Records what the race starts, closes, sends and schedules; the test plays the network. */
    private static final class FakeLegs implements DialRace.Legs {
        final List<Transport> started = new ArrayList<>();
        final List<Transport> handshakesSent = new ArrayList<>();
        final Map<Transport, Integer> closed = new EnumMap<>(Transport.class);
        Runnable timer;
        long timerMillis = -1;
        boolean timerCancelled;

        @Override
        public DialRace.Leg start(Transport transport, DialRace race) {
            started.add(transport);
            return leg(transport);
        }

        DialRace.Leg leg(Transport transport) {
            return new DialRace.Leg() {
                @Override
                public void beginHandshake() {
                    synchronized (FakeLegs.this) {
                        handshakesSent.add(transport);
                    }
                }

                @Override
                public void close() {
                    synchronized (FakeLegs.this) {
                        closed.merge(transport, 1, Integer::sum);
                    }
                }
            };
        }

        @Override
        public DialRace.Cancellable schedule(Runnable task, long millis) {
            timer = task;
            timerMillis = millis;
            return () -> timerCancelled = true;
        }

        void fireTimer() {
            if (!timerCancelled) {
                timer.run();
            }
        }

        synchronized int closes(Transport t) {
            return closed.getOrDefault(t, 0);
        }
    }

    private static final class RecordedOutcome implements DialRace.Outcome {
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized void utpUnanswered() {
            calls.add("uTP unanswered");
        }

        @Override
        public synchronized void won(Transport transport) {
            calls.add("won " + transport);
        }

        @Override
        public synchronized void lost(boolean hungUp) {
            calls.add(hungUp ? "lost after a hang-up" : "lost: nobody answered");
        }
    }

    private final FakeLegs legs = new FakeLegs();
    private final RecordedOutcome outcome = new RecordedOutcome();

    private DialRace raceWithUtp() {
        return DialRace.start(legs, outcome, true, DialRace.HEAD_START_MILLIS);
    }

    @Test
    void utpGoesFirstAndTcpWaitsForTheHeadStart() {
        raceWithUtp();
        assertEquals(List.of(Transport.UTP), legs.started);
        assertEquals(DialRace.HEAD_START_MILLIS, legs.timerMillis);
    }

    @Test
    void aPeerThatAnswersUtpWithinTheHeadStartIsNeverDialledOverTcp() {
        DialRace race = raceWithUtp();
        race.connected(Transport.UTP);
        legs.fireTimer();
        assertEquals(List.of(Transport.UTP), legs.handshakesSent);
        assertTrue(race.handshakeArrived(Transport.UTP));
        assertEquals(List.of(Transport.UTP), legs.started);
        assertTrue(legs.timerCancelled);
        assertEquals(List.of("won UTP"), outcome.calls);
        assertEquals(Transport.UTP, race.winner());
    }

    @Test
    void aSilentUtpPeerGetsTcpAfterTheHeadStartAndTheTcpHandshakeWins() {
        DialRace race = raceWithUtp();
        legs.fireTimer();
        assertEquals(List.of(Transport.UTP, Transport.TCP), legs.started);
        race.connected(Transport.TCP);
        assertEquals(List.of(Transport.TCP), legs.handshakesSent);
        assertTrue(race.handshakeArrived(Transport.TCP));
        assertEquals(1, legs.closes(Transport.UTP), "the uTP attempt still sending SYNs is closed");
        assertEquals(0, legs.closes(Transport.TCP));
        race.ended(Transport.UTP); // the closed loser reports its end
        assertEquals(List.of("uTP unanswered", "won TCP"), outcome.calls, "the next dial may skip uTP");
    }

    @Test
    void aTcpWinIsNotBlamedOnUtpWhenUtpHadAnsweredOrFailed() {
        DialRace answered = raceWithUtp();
        legs.fireTimer();
        answered.connected(Transport.TCP);
        answered.connected(Transport.UTP); // answered, waits its turn behind TCP's handshake
        assertTrue(answered.handshakeArrived(Transport.TCP));
        DialRace failed = DialRace.start(new FakeLegs(), outcome, true, DialRace.HEAD_START_MILLIS);
        failed.ended(Transport.UTP); // a reset: TCP starts at once, nothing was waited for
        failed.connected(Transport.TCP);
        assertTrue(failed.handshakeArrived(Transport.TCP));
        assertEquals(List.of("won TCP", "won TCP"), outcome.calls);
    }

    @Test
    void aFailedUtpAttemptStartsTcpAtOnce() {
        DialRace race = raceWithUtp();
        race.ended(Transport.UTP); // e.g. a reset to our SYN
        assertEquals(List.of(Transport.UTP, Transport.TCP), legs.started);
        assertTrue(legs.timerCancelled);
        assertTrue(outcome.calls.isEmpty(), "TCP is still to be heard from");
    }

    @Test
    void aUtpOnlyPeerStillConnectsWhenItsTcpPortRefuses() {
        DialRace race = raceWithUtp();
        legs.fireTimer();
        race.ended(Transport.TCP); // connection refused
        assertTrue(outcome.calls.isEmpty(), "uTP is still in the race");
        race.connected(Transport.UTP);
        assertTrue(race.handshakeArrived(Transport.UTP));
        assertEquals(List.of("won UTP"), outcome.calls);
    }

    @Test
    void aTransportThatConnectsSecondWaitsSilentAndIsClosedWhenTheFirstWins() {
        DialRace race = raceWithUtp();
        legs.fireTimer();
        race.connected(Transport.TCP);
        race.connected(Transport.UTP);
        assertEquals(List.of(Transport.TCP), legs.handshakesSent, "the peer sees one handshake from this dial");
        assertFalse(race.handshakeArrived(Transport.UTP), "nothing was sent on it");
        assertTrue(race.handshakeArrived(Transport.TCP));
        assertEquals(1, legs.closes(Transport.UTP));
        race.ended(Transport.UTP);
        race.ended(Transport.TCP); // the winner closing much later is not the race's business
        assertEquals(List.of("won TCP"), outcome.calls);
    }

    @Test
    void theWaitingTransportGetsItsTurnWhenTheFirstHangsUp() {
        DialRace race = raceWithUtp();
        legs.fireTimer();
        race.connected(Transport.TCP);
        race.connected(Transport.UTP);
        race.ended(Transport.TCP);
        assertEquals(List.of(Transport.TCP, Transport.UTP), legs.handshakesSent);
        assertTrue(race.handshakeArrived(Transport.UTP));
        assertEquals(List.of("won UTP"), outcome.calls);
    }

    @Test
    void aUtpOnlyPeerThatAcceptsAndDropsTcpStillConnectsOverUtp() {
        DialRace race = raceWithUtp();
        legs.fireTimer();
        race.connected(Transport.TCP);
        race.ended(Transport.TCP); // libtorrent with incoming TCP off accepts the socket and closes it
        assertTrue(outcome.calls.isEmpty());
        race.connected(Transport.UTP);
        assertTrue(race.handshakeArrived(Transport.UTP));
        assertEquals(List.of("won UTP"), outcome.calls);
    }

    @Test
    void aUtpConnectionThatHangsUpBeforeItsHandshakeFallsBackToTcp() {
        DialRace race = raceWithUtp();
        race.connected(Transport.UTP);
        legs.fireTimer(); // cancelled: uTP answered
        assertEquals(List.of(Transport.UTP), legs.started);
        race.ended(Transport.UTP);
        assertEquals(List.of(Transport.UTP, Transport.TCP), legs.started);
        race.connected(Transport.TCP);
        assertTrue(race.handshakeArrived(Transport.TCP));
        assertEquals(List.of("won TCP"), outcome.calls);
    }

    @Test
    void nobodyAnsweringOnEitherTransportLosesOnceAndSaysSo() {
        DialRace race = raceWithUtp();
        legs.fireTimer();
        race.ended(Transport.TCP);
        race.ended(Transport.UTP);
        race.ended(Transport.UTP);
        assertEquals(List.of("lost: nobody answered"), outcome.calls);
        assertNull(race.winner());
    }

    @Test
    void aPeerThatHungUpBeforeItsHandshakeIsReportedSoItCanBeDialledWithMse() {
        DialRace race = raceWithUtp();
        legs.fireTimer();
        race.ended(Transport.UTP);
        race.connected(Transport.TCP);
        race.ended(Transport.TCP);
        assertEquals(List.of("lost after a hang-up"), outcome.calls);
    }

    @Test
    void withUtpOffItIsAPlainTcpDial() {
        DialRace race = DialRace.start(legs, outcome, false, DialRace.HEAD_START_MILLIS);
        assertEquals(List.of(Transport.TCP), legs.started);
        assertNull(legs.timer);
        race.ended(Transport.TCP);
        assertEquals(List.of("lost: nobody answered"), outcome.calls);
    }

    @Test
    void anAttemptThatFailsWhileStartingIsNotClosedAgainWhenTheOtherWins() {
        DialRace.Legs failing = new DialRace.Legs() {
            @Override
            public DialRace.Leg start(Transport transport, DialRace race) {
                legs.started.add(transport);
                if (transport == Transport.UTP) {
                    race.ended(transport); // e.g. the uTP loop refused the registration
                }
                return legs.leg(transport);
            }

            @Override
            public DialRace.Cancellable schedule(Runnable task, long millis) {
                return legs.schedule(task, millis);
            }
        };
        DialRace race = DialRace.start(failing, outcome, true, DialRace.HEAD_START_MILLIS);
        assertEquals(List.of(Transport.UTP, Transport.TCP), legs.started);
        race.connected(Transport.TCP);
        assertTrue(race.handshakeArrived(Transport.TCP));
        assertEquals(0, legs.closes(Transport.UTP));
        assertEquals(List.of("won TCP"), outcome.calls);
    }

    @Test
    void transportsConnectingTogetherOnTwoLoopsSendExactlyOneHandshake() throws Exception {
        for (int round = 0; round < 200; round++) {
            FakeLegs l = new FakeLegs();
            RecordedOutcome o = new RecordedOutcome();
            DialRace race = DialRace.start(l, o, true, DialRace.HEAD_START_MILLIS);
            l.fireTimer();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (Transport t : Transport.values()) {
                Thread th = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    race.connected(t);
                    race.handshakeArrived(t);
                });
                th.start();
                threads.add(th);
            }
            go.countDown();
            for (Thread th : threads) {
                th.join();
            }
            synchronized (l) {
                assertEquals(1, l.handshakesSent.size(), "one handshake: " + l.handshakesSent);
                // TCP may win before uTP's connect is reported, which counts as uTP unanswered: not what this checks
                assertEquals(List.of("won " + l.handshakesSent.get(0)),
                        o.calls.stream().filter(c -> c.startsWith("won")).toList());
            }
            Transport loser = race.winner() == Transport.UTP ? Transport.TCP : Transport.UTP;
            assertEquals(1, l.closes(loser));
        }
    }
}
