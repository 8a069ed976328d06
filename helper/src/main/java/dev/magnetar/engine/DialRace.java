package dev.magnetar.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * One outgoing dial that tries uTP and TCP and keeps the first connection whose BitTorrent handshake
 * completes. uTP goes first (BEP 29 peers prefer it, and many home peers take only it); TCP follows after
 * a {@linkplain #HEAD_START_MILLIS head start} unless the uTP SYN was answered by then, and at once when
 * the uTP attempt fails. A peer that speaks only TCP costs the head start, not the seconds of uTP SYN
 * retries.
 *
 * <p>The transports race; the handshakes do not. Our handshake goes out on the first transport to
 * connect, and on the other only if that one closes before the peer's handshake arrives; a transport
 * that connects meanwhile waits, silent. Sending it on both at once lets the two ends keep different
 * connections: the peer admits whichever handshake it read first and refuses the other as a duplicate
 * peer id, while we keep whichever answer we read first, and when those differ both are lost. With one
 * handshake at a time the peer never sees this dial twice. The loser is closed before the peer protocol
 * sees it, so one dial gives at most one connection.
 *
 * <p>The transports are behind {@link Legs}, so the rules are testable without sockets. Thread-safe:
 * the uTP leg reports on the uTP socket's loop and the TCP leg on the torrent's.
 */
final class DialRace {

    /**
     * How long uTP leads before TCP joins: RFC 8305's "Connection Attempt Delay" (250 ms), the head start
     * Happy Eyeballs gives the preferred of two ways to one host. A uTP SYN is answered within one
     * round trip, which is shorter than that for most peers, so a peer that speaks both stays on uTP.
     */
    static final long HEAD_START_MILLIS = 250;

    enum Transport { UTP, TCP }

    /** Starts the attempts and the timer; the attempts report back through the race's methods. */
    interface Legs {

        /** Starts connecting over {@code transport}, sending nothing until {@link Leg#beginHandshake}. */
        Leg start(Transport transport, DialRace race);

        /** Runs {@code task} after {@code millis} unless the returned handle is cancelled. */
        Cancellable schedule(Runnable task, long millis);
    }

    /** An attempt in flight. */
    interface Leg {

        /** The transport connected and won its turn: send our side of the handshake (MSE first if encrypted). */
        void beginHandshake();

        void close();
    }

    interface Cancellable {
        void cancel();
    }

    /** How the race ended; called once. */
    interface Outcome {

        /** {@code transport}'s handshake arrived first; its connection goes on to the peer protocol. */
        void won(Transport transport);

        /**
         * TCP won while our uTP SYN was still unanswered, a head start and a TCP handshake later: the peer
         * ignores uTP. Called just before {@link #won}.
         */
        default void utpUnanswered() {
        }

        /**
         * No handshake arrived on any transport.
         *
         * @param hungUp a transport connected and the peer closed it before its handshake (maybe it
         *     wants encryption), as opposed to nobody answering
         */
        void lost(boolean hungUp);
    }

    private enum Stage { CONNECTING, WAITING, HANDSHAKING, ENDED }

    private final Legs legs;
    private final Outcome outcome;
    private final Map<Transport, Leg> legsStarted = new EnumMap<>(Transport.class);
    private final Map<Transport, Stage> stages = new EnumMap<>(Transport.class);
    private boolean anyConnected;
    private boolean tcpFallback = true;
    private Cancellable headStart;
    private Transport winner;
    private boolean over;

    private DialRace(Legs legs, Outcome outcome) {
        this.legs = legs;
        this.outcome = outcome;
    }

    /** Starts a race: uTP first when {@code utp}, else TCP alone. */
    static DialRace start(Legs legs, Outcome outcome, boolean utp, long headStartMillis) {
        DialRace race = new DialRace(legs, outcome);
        synchronized (race) {
            if (utp) {
                race.startLeg(Transport.UTP);
                if (!race.over && race.stages.get(Transport.UTP) == Stage.CONNECTING) {
                    race.headStart = legs.schedule(race::headStartOver, headStartMillis);
                }
            } else {
                race.startLeg(Transport.TCP);
            }
        }
        return race;
    }

    /**
     * Starts a race with uTP alone, no TCP after it: the answer to a BEP 55 connect, where the peer dials
     * us over uTP at the same moment and TCP would not pass the NATs the punch is opening.
     */
    static DialRace startUtpOnly(Legs legs, Outcome outcome) {
        DialRace race = new DialRace(legs, outcome);
        synchronized (race) {
            race.tcpFallback = false;
            race.startLeg(Transport.UTP);
        }
        return race;
    }

    private void startLeg(Transport t) {
        stages.put(t, Stage.CONNECTING); // before it can report back
        Leg leg = legs.start(t, this);
        legsStarted.put(t, leg);
        if (stages.get(t) == Stage.HANDSHAKING) { // it connected while starting
            leg.beginHandshake();
        }
    }

    private synchronized void headStartOver() {
        headStart = null;
        if (!over && stages.get(Transport.UTP) == Stage.CONNECTING && !stages.containsKey(Transport.TCP)) {
            startLeg(Transport.TCP);
        }
    }

    /** {@code t}'s transport is open (uTP: our SYN was answered; TCP: the socket connected). */
    synchronized void connected(Transport t) {
        if (over || stages.get(t) != Stage.CONNECTING) {
            return;
        }
        anyConnected = true;
        if (t == Transport.UTP) {
            cancelHeadStart(); // the peer speaks uTP: TCP now only if this connection fails before the handshake
        }
        if (stages.containsValue(Stage.HANDSHAKING)) {
            stages.put(t, Stage.WAITING);
        } else {
            handshakeOver(t);
        }
    }

    private void handshakeOver(Transport t) {
        stages.put(t, Stage.HANDSHAKING);
        Leg leg = legsStarted.get(t);
        if (leg != null) { // else startLeg begins it once start returns
            leg.beginHandshake();
        }
    }

    /**
     * {@code t}'s peer handshake arrived. True when {@code t} wins (the caller passes the handshake on);
     * false otherwise (the caller closes its connection).
     */
    synchronized boolean handshakeArrived(Transport t) {
        if (over || stages.get(t) != Stage.HANDSHAKING) {
            return false;
        }
        winner = t;
        over = true;
        cancelHeadStart();
        if (t == Transport.TCP && stages.get(Transport.UTP) == Stage.CONNECTING) {
            outcome.utpUnanswered();
        }
        for (Map.Entry<Transport, Stage> e : stages.entrySet()) {
            Leg other = legsStarted.get(e.getKey());
            if (e.getKey() != t && e.getValue() != Stage.ENDED && other != null) {
                other.close();
            }
        }
        outcome.won(t);
        return true;
    }

    /** {@code t}'s attempt ended: the connect failed, or the connection closed (before or after winning). */
    synchronized void ended(Transport t) {
        if (over || !stages.containsKey(t) || stages.get(t) == Stage.ENDED) {
            return;
        }
        stages.put(t, Stage.ENDED);
        Transport other = t == Transport.UTP ? Transport.TCP : Transport.UTP;
        Stage next = stages.get(other);
        if (next == null && t == Transport.UTP && tcpFallback) {
            cancelHeadStart();
            startLeg(Transport.TCP);
        } else if (next == Stage.WAITING) {
            handshakeOver(other);
        } else if (next == null || next == Stage.ENDED) {
            over = true;
            outcome.lost(anyConnected);
        }
    }

    /** Which transport won; null while undecided or when the race was lost. */
    synchronized Transport winner() {
        return winner;
    }

    private void cancelHeadStart() {
        if (headStart != null) {
            headStart.cancel();
            headStart = null;
        }
    }
}
