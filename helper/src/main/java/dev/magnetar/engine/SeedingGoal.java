package dev.magnetar.engine;

import java.time.Duration;

/**
 * When a complete torrent has seeded enough and stops (qBittorrent's "ratio limit" and "seeding time
 * limit"): either limit reached is enough. A null limit is none.
 *
 * @param ratioLimit uploaded bytes ÷ the torrent's size at which seeding stops, e.g. 2.0; more than 0
 * @param seedingTimeLimitMinutes minutes spent seeding (complete and uploading, summed over restarts)
 *     after which seeding stops; more than 0
 */
public record SeedingGoal(Double ratioLimit, Long seedingTimeLimitMinutes) {

    /** Seeds on for ever. */
    public static final SeedingGoal NONE = new SeedingGoal(null, null);
    /** A ratio above this is a typing error, not a goal (qBittorrent's own maximum is 9998). */
    public static final double MAX_RATIO = 9998;
    /** A year. */
    public static final long MAX_MINUTES = 525_600;

    public SeedingGoal {
        if (ratioLimit != null && !(ratioLimit > 0 && ratioLimit <= MAX_RATIO)) {
            throw new IllegalArgumentException("ratioLimit must be more than 0 and at most " + (long) MAX_RATIO + ", not " + ratioLimit);
        }
        if (seedingTimeLimitMinutes != null && (seedingTimeLimitMinutes <= 0 || seedingTimeLimitMinutes > MAX_MINUTES)) {
            throw new IllegalArgumentException("seedingTimeLimitMinutes must be 1 to " + MAX_MINUTES + ", not " + seedingTimeLimitMinutes);
        }
    }

    public boolean limitsNothing() {
        return ratioLimit == null && seedingTimeLimitMinutes == null;
    }

    /**
     * Why seeding must stop now, or null: the ratio of {@code uploadedBytes} to {@code sizeBytes}, or the
     * time seeded, reached its limit.
     */
    public String reachedBy(long uploadedBytes, long sizeBytes, Duration seeded) {
        if (ratioLimit != null && sizeBytes > 0 && uploadedBytes >= ratioLimit * sizeBytes) {
            return String.format(java.util.Locale.ROOT, "ratio %.2f reached (limit %s)", (double) uploadedBytes / sizeBytes, ratioText());
        }
        if (seedingTimeLimitMinutes != null && seeded.compareTo(Duration.ofMinutes(seedingTimeLimitMinutes)) >= 0) {
            return "seeded " + seeded.toMinutes() + " min (limit " + seedingTimeLimitMinutes + " min)";
        }
        return null;
    }

    private String ratioText() {
        return java.math.BigDecimal.valueOf(ratioLimit).stripTrailingZeros().toPlainString();
    }
}
