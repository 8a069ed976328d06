package dev.magnetar.engine;

import java.util.EnumMap;
import java.util.Map;

/**
 * One outgoing dial that tries uTP and TCP and keeps the connection whose BitTorrent handshake arrives
 * first. uTP goes first (BEP 29 peers prefer it, and many home peers take only it); TCP follows after a
 * {@linkplain #HEAD_START_MILLIS head start} unless the uTP SYN was answered by then, and at once when the
 * uTP attempt fails. The loser is closed before the peer protocol sees it, so one dial gives at most one
 * connection. A peer that speaks only TCP costs the head start, not the seconds of uTP SYN retries.
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

        /** Starts an attempt over {@code transport}; what it returns closes it. */
        Leg start(Transport transport, DialRace race);

        /** Runs {@code task} after {@code millis} unless the returned handle is cancelled. */
        Leg schedule(Runnable task, long millis);
    }

    /** An attempt in flight (or the head-start timer): closing it ends it. */
    interface Leg {
        void close();
    }

    /** How the race ended; called once. */
    interface Outcome {

        /** {@code transport}'s handshake arrived first; its connection goes on to the peer protocol. */
        void won(Transport transport);

        /**
         * No handshake arrived on any transport.
         *
         * @param hungUp a transport connected and the peer closed it before its handshake (maybe it
         *     wants encryption), as opposed to nobody answering
         */
        void lost(boolean hungUp);
    }

    private final Legs legs;
    private final Outcome outcome;
    private final long headStartMillis;
    private final Map<Transport, Leg> started = new EnumMap<>(Transport.class);
    private final Map<Transport, Boolean> ended = new EnumMap<>(Transport.class);
    private boolean anyConnected;
    private boolean utpConnected;
    private Leg headStart;
    private Transport winner;
    private boolean over;

    private DialRace(Legs legs, Outcome outcome, long headStartMillis) {
        this.legs = legs;
        this.outcome = outcome;
        this.headStartMillis = headStartMillis;
    }

    /** Starts a race: uTP first when {@code utp}, else TCP alone. */
    static DialRace start(Legs legs, Outcome outcome, boolean utp, long headStartMillis) {
        DialRace race = new DialRace(legs, outcome, headStartMillis);
        synchronized (race) {
            if (utp) {
                race.startLeg(Transport.UTP);
                race.headStart = legs.schedule(race::headStartOver, headStartMillis);
            } else {
                race.startLeg(Transport.TCP);
            }
        }
        return race;
    }

    private void startLeg(Transport t) {
        started.put(t, null); // marks it started before it can report back
        Leg leg = legs.start(t, this);
        if (!ended.containsKey(t)) {
            started.put(t, leg);
        }
    }

    private synchronized void headStartOver() {
        headStart = null;
        if (winner == null && !over && !utpConnected && !started.containsKey(Transport.TCP)
                && !ended.containsKey(Transport.TCP)) {
            startLeg(Transport.TCP);
        }
    }

    /** {@code t}'s transport is open (uTP: our SYN was answered; TCP: the socket connected). */
    synchronized void connected(Transport t) {
        anyConnected = true;
        if (t == Transport.UTP) {
            // The peer speaks uTP: TCP now only if this connection fails before the handshake.
            utpConnected = true;
            cancelHeadStart();
        }
    }

    /**
     * {@code t}'s peer handshake arrived. True when {@code t} wins (the caller passes the handshake on);
     * false when the race is already decided (the caller closes its connection).
     */
    synchronized boolean handshakeArrived(Transport t) {
        if (winner != null || over || ended.containsKey(t)) {
            return false;
        }
        winner = t;
        over = true;
        cancelHeadStart();
        for (Map.Entry<Transport, Leg> e : started.entrySet()) {
            if (e.getKey() != t && e.getValue() != null && !ended.containsKey(e.getKey())) {
                e.getValue().close();
            }
        }
        outcome.won(t);
        return true;
    }

    /** {@code t}'s attempt ended: the connect failed, or the connection closed (before or after winning). */
    synchronized void ended(Transport t) {
        if (over || ended.containsKey(t)) {
            return;
        }
        ended.put(t, Boolean.TRUE);
        started.remove(t);
        if (t == Transport.UTP && !ended.containsKey(Transport.TCP) && !started.containsKey(Transport.TCP)) {
            cancelHeadStart();
            startLeg(Transport.TCP);
            return;
        }
        if (started.isEmpty() && headStart == null) {
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
            headStart.close();
            headStart = null;
        }
    }
}
