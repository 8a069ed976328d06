package dev.magnetar.wire.utp;

/**
 * The base one-way delay of a path, as LEDBAT needs it (BEP 29): the lowest delay sample of the last
 * two minutes, kept as one minimum per minute so that a route change that lengthens the path is
 * forgotten within two minutes. Samples are the peer's timestamp_difference_microseconds: our send
 * time against its receive clock, so they carry the clocks' offset, which cancels in
 * {@code sample - base}.
 */
final class DelayHistory {

    private static final long MINUTE_MICROS = 60_000_000L;

    private long minuteStartMicros = Long.MIN_VALUE;
    private long thisMinute = Long.MAX_VALUE;
    private long lastMinute = Long.MAX_VALUE;

    /** Records a sample and answers its queuing delay: how far it is above the base. */
    long queuingDelay(long sampleMicros, long nowMicros) {
        if (minuteStartMicros == Long.MIN_VALUE) {
            minuteStartMicros = nowMicros;
        }
        if (nowMicros - minuteStartMicros >= MINUTE_MICROS) {
            lastMinute = thisMinute;
            thisMinute = Long.MAX_VALUE;
            minuteStartMicros = nowMicros;
        }
        thisMinute = Math.min(thisMinute, sampleMicros);
        long base = Math.min(thisMinute, lastMinute);
        return sampleMicros - base;
    }
}
