package dev.magnetar.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Seeding goals of all torrents: counts each torrent's seeding time and upload over restarts, and says
 * when one has reached its goal (its own, else the engine-wide one). Pure bookkeeping: the caller
 * observes its torrents now and then ({@link #observe}) with a monotonic clock, and stops those this
 * returns a reason for. Thread-safe.
 */
final class SeedingGoals {

    /** One torrent's counts: what earlier sessions left plus this session's. */
    private static final class Tracked {
        SeedingGoal ownGoal;
        long uploadedBefore;
        long seedingNanos;
        Long lastSeedingAtNanos;
        String finishedReason;
        long sessionUploaded;

        synchronized SeedingRecord record() {
            return new SeedingRecord(ownGoal, uploadedBefore + sessionUploaded,
                    Duration.ofNanos(seedingNanos).toSeconds(), finishedReason);
        }
    }

    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private volatile SeedingGoal global = SeedingGoal.NONE;

    void setGlobal(SeedingGoal goal) {
        global = goal == null ? SeedingGoal.NONE : goal;
    }

    SeedingGoal global() {
        return global;
    }

    /**
     * Starts counting a torrent from what the session list kept (a new torrent: {@link SeedingRecord#NEW});
     * its session upload counter starts at 0.
     */
    void track(String infoHash, SeedingRecord from) {
        Tracked t = new Tracked();
        t.ownGoal = from.goal();
        t.uploadedBefore = from.uploadedBytes();
        t.seedingNanos = Duration.ofSeconds(from.seedingSeconds()).toNanos();
        t.finishedReason = from.finishedReason();
        tracked.put(infoHash, t);
    }

    void forget(String infoHash) {
        tracked.remove(infoHash);
    }

    /**
     * A torrent's own goal (null: follow the engine-wide one). A new goal may let a finished torrent
     * seed again, which the caller does by resuming it; the finish is forgotten here.
     */
    void setOwnGoal(String infoHash, SeedingGoal goal) {
        Tracked t = tracked.get(infoHash);
        if (t != null) {
            synchronized (t) {
                t.ownGoal = goal;
                t.finishedReason = null;
            }
        }
    }

    /** The user resumed a finished torrent: it seeds on with no goal of its own until given one. */
    void resumedAfterFinish(String infoHash) {
        Tracked t = tracked.get(infoHash);
        if (t != null) {
            synchronized (t) {
                if (t.finishedReason != null) {
                    t.finishedReason = null;
                    t.ownGoal = SeedingGoal.NONE;
                }
            }
        }
    }

    /**
     * Looks at a torrent now: counts the time since the last look if it was seeding then and is now,
     * and returns why it must stop, once, when its goal is reached while it seeds.
     *
     * @param sessionUploaded payload bytes it uploaded since the engine started
     * @param sizeBytes the torrent's total size (0 while unknown: no ratio yet)
     */
    Optional<String> observe(String infoHash, TorrentState state, long sessionUploaded, long sizeBytes, long nowNanos) {
        Tracked t = tracked.get(infoHash);
        if (t == null) {
            return Optional.empty();
        }
        synchronized (t) {
            t.sessionUploaded = sessionUploaded;
            boolean seeding = state == TorrentState.SEEDING;
            if (seeding && t.lastSeedingAtNanos != null) {
                t.seedingNanos += Math.max(0, nowNanos - t.lastSeedingAtNanos);
            }
            t.lastSeedingAtNanos = seeding ? nowNanos : null;
            if (!seeding || t.finishedReason != null) {
                return Optional.empty();
            }
            SeedingGoal goal = t.ownGoal != null ? t.ownGoal : global;
            long uploaded = t.uploadedBefore + sessionUploaded;
            String reason = goal.reachedBy(uploaded, sizeBytes, Duration.ofNanos(t.seedingNanos));
            t.finishedReason = reason;
            return Optional.ofNullable(reason);
        }
    }

    /** What the session list should keep for a torrent, or null for one not tracked. */
    SeedingRecord record(String infoHash) {
        Tracked t = tracked.get(infoHash);
        return t == null ? null : t.record();
    }

    /** The goal that applies to a torrent: its own, else the engine-wide one. */
    SeedingGoal effectiveGoal(String infoHash) {
        Tracked t = tracked.get(infoHash);
        SeedingGoal own = t == null ? null : t.record().goal();
        return own != null ? own : global;
    }
}
