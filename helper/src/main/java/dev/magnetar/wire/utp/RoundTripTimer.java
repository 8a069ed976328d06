package dev.magnetar.wire.utp;

/**
 * Round-trip estimate and retransmission timeout of a uTP connection, as BEP 29 computes them (the
 * TCP estimator of RFC 6298): rtt and rtt_var smoothed over samples from packets sent once, timeout
 * rtt + 4 × rtt_var but at least {@link #MIN_TIMEOUT_MICROS}; each timeout in a row doubles it.
 */
final class RoundTripTimer {

    /** BEP 29: the timeout never goes below 500 ms. */
    static final long MIN_TIMEOUT_MICROS = 500_000;
    /** BEP 29: 1 s before the first sample. */
    static final long INITIAL_TIMEOUT_MICROS = 1_000_000;
    static final long MAX_TIMEOUT_MICROS = 60_000_000;
    /** The tail loss probe's floor: a scheduling hiccup of a loaded peer is not a loss. */
    static final long MIN_PROBE_MICROS = 20_000;

    private long rttMicros;
    private long rttVarianceMicros;
    private boolean sampled;
    private int backoff;

    void sample(long rttSampleMicros) {
        if (!sampled) {
            rttMicros = rttSampleMicros;
            rttVarianceMicros = rttSampleMicros / 2;
            sampled = true;
        } else {
            long delta = rttMicros - rttSampleMicros;
            rttVarianceMicros += (Math.abs(delta) - rttVarianceMicros) / 4;
            rttMicros += (rttSampleMicros - rttMicros) / 8;
        }
        backoff = 0;
    }

    long roundTripMicros() {
        return sampled ? rttMicros : INITIAL_TIMEOUT_MICROS;
    }

    long timeoutMicros() {
        long base = sampled ? Math.max(MIN_TIMEOUT_MICROS, rttMicros + 4 * rttVarianceMicros) : INITIAL_TIMEOUT_MICROS;
        return Math.min(MAX_TIMEOUT_MICROS, base << Math.min(backoff, 16));
    }

    /**
     * When a sender that heard nothing since its newest packet probes (UtpSocket's tail loss probe): two
     * round trips, as RFC 8985 7.2 sets its PTO without the delayed-ack allowance (uTP peers ack when
     * they have drained their socket, not on a timer), at least {@link #MIN_PROBE_MICROS}, and never later
     * than the retransmission timeout itself.
     */
    long probeTimeoutMicros() {
        return Math.min(timeoutMicros(), Math.max(MIN_PROBE_MICROS, 2 * roundTripMicros()));
    }

    /** The timer fired: back off. */
    void timedOut() {
        backoff++;
    }
}
