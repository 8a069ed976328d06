package dev.magnetar.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When the daemon asks for a collection so that its heap can shrink, and when it leaves the heap alone. */
class IdleHeapShrinkerTest {

    private static final long MIB = 1024 * 1024;

    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong free = new AtomicLong();
    private final AtomicLong now = new AtomicLong(TimeUnit.HOURS.toNanos(1));
    private final AtomicInteger collections = new AtomicInteger();
    private final AtomicInteger torrents = new AtomicInteger(100);
    /** What a full collection leaves committed (MaxHeapFreeRatio): by default 30 MiB for 22 MiB live. */
    private final AtomicLong committedAfterCollection = new AtomicLong(30 * MIB);
    private final IdleHeapShrinker shrinker = new IdleHeapShrinker(committed::get, free::get, now::get, torrents::get, () -> {
        collections.incrementAndGet();
        committed.set(committedAfterCollection.get());
        free.set(committedAfterCollection.get() / 4);
    });

    /** One check a minute later, with the heap as given. */
    private void checkWith(long committedMib, long usedMib) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(IdleHeapShrinker.CHECK_SECONDS));
        committed.set(committedMib * MIB);
        free.set((committedMib - usedMib) * MIB);
        shrinker.check();
    }

    @Test
    void aQuietDaemonWithABigHeapIsCollectedEvenWhenGarbageFillsIt() {
        // Torrents removed: 72 MiB "used" of 89, most of it garbage no young collection has cleared.
        checkWith(89, 71);
        assertEquals(0, collections.get(), "one sample cannot tell quiet from busy");
        checkWith(89, 72);
        assertEquals(1, collections.get());
    }

    @Test
    void aBusyDaemonIsLeftAlone() {
        checkWith(89, 40);
        checkWith(89, 75); // a download allocating fast
        checkWith(89, 30); // a young collection in between
        assertEquals(0, collections.get());
    }

    @Test
    void aHeapOfIdleSizeIsLeftAlone() {
        checkWith(20, 15);
        checkWith(20, 15);
        assertEquals(0, collections.get());
    }

    @Test
    void aHeapThatHasNotGrownSinceTheLastCollectionIsNotCollectedAgain() {
        checkWith(89, 71);
        checkWith(89, 72);
        assertEquals(1, collections.get());
        for (int i = 0; i < 20; i++) {
            checkWith(30, 22 + (i % 2)); // quiet, same size as after the collection: nothing to give back
        }
        assertEquals(1, collections.get());
    }

    @Test
    void collectionsAreSpacedEvenWhenTheHeapGrowsAgainAtOnce() {
        checkWith(89, 71);
        checkWith(89, 72);
        assertEquals(1, collections.get());
        checkWith(89, 72); // grown again and quiet one minute later
        checkWith(89, 72);
        assertEquals(1, collections.get(), "collected again within the minimum spacing");
        for (int i = 0; i < 5; i++) {
            checkWith(89, 72);
        }
        assertEquals(2, collections.get());
    }

    @Test
    void aCollectionThatFoundMuchAliveDoesNotKeepTheHeapFromShrinkingOnceTheDaemonGoesQuiet() {
        // A quiet minute between two busy ones: the collection finds a download's buffers alive and
        // leaves 85 MiB committed.
        committedAfterCollection.set(85 * MIB);
        checkWith(89, 71);
        checkWith(89, 72);
        assertEquals(1, collections.get());
        committedAfterCollection.set(30 * MIB);
        checkWith(85, 30); // busy again
        checkWith(85, 80);
        for (int i = 0; i < 10 && collections.get() == 1; i++) {
            checkWith(76, 56); // every torrent removed: quiet, a smaller heap than the last collection left, mostly garbage
        }
        assertEquals(2, collections.get(), "the heap of a daemon gone quiet is collected once more");
        for (int i = 0; i < 20; i++) {
            checkWith(30, 22 + (i % 2)); // what that collection left
        }
        assertEquals(2, collections.get(), "and then left alone while it stays quiet");
    }

    @Test
    void removingTorrentsRightAfterACollectionIsCollectedAtTheNextQuietCheckOnce() {
        checkWith(89, 71);
        checkWith(89, 72);
        assertEquals(1, collections.get());
        checkWith(40, 30); // seeding 100 torrents, quiet
        torrents.set(0); // the user removes them all a minute after the collection
        checkWith(40, 30);
        assertEquals(2, collections.get(), "torrents removed within the spacing are given back without waiting for it");
        for (int i = 0; i < 3; i++) {
            checkWith(40, 30); // still within the spacing, nothing removed since: left alone
        }
        assertEquals(2, collections.get());
    }

    @Test
    void aCollectionAskedInARemovalThatStillFoundMuchAliveIsFollowedByOneMoreAtTheNextQuietCheck() {
        checkWith(89, 71);
        checkWith(89, 72);
        assertEquals(1, collections.get());
        // The user removes every torrent a minute later; the check comes while their buffers are still alive.
        committedAfterCollection.set(64 * MIB);
        torrents.set(0);
        checkWith(40, 24);
        assertEquals(2, collections.get(), "torrents removed: collected without waiting for the spacing");
        committedAfterCollection.set(30 * MIB);
        checkWith(64, 48); // a minute later, quiet: the removal's buffers are garbage now
        assertEquals(3, collections.get(), "the collection that found the removal's buffers alive is followed up at once");
        checkWith(40, 30); // busy again
        checkWith(40, 31); // and quiet, grown, within the spacing, nothing removed: left alone
        checkWith(40, 31);
        assertEquals(3, collections.get(), "one follow-up, not one at every quiet check");
    }

    @Test
    void aCollectionAskedInARemovalThatLeftAnIdleHeapIsNotFollowedUp() {
        checkWith(89, 71);
        checkWith(89, 72);
        torrents.set(0);
        checkWith(40, 24);
        assertEquals(2, collections.get());
        checkWith(30, 23); // what it left: 30 MiB committed, below what is worth a collection
        checkWith(33, 24); // grown a little, quiet, within the spacing
        assertEquals(2, collections.get());
    }

    @Test
    void aCountThatOnlyGrowsDoesNotCutTheSpacingShort() {
        checkWith(89, 71);
        checkWith(89, 72);
        assertEquals(1, collections.get());
        torrents.set(150);
        checkWith(40, 30);
        checkWith(40, 30);
        assertEquals(1, collections.get());
    }
}
