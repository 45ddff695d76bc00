package dev.triage.cache.live;

import dev.triage.cache.replay.ClassStats;

/**
 * A snapshot of the live cache's counters. {@link #touches()} counts exactly what the
 * simulator counts (per class touches and hits), so the two can be compared. Arrays are indexed
 * by class id of the cache's vocabulary.
 *
 * @param bypassByClass per class, block accesses whose block did not stay in the cache: sequential
 *     bypass, write-around, or not admitted by the policy (never because the cache was full of
 *     dirty data: such lines are cleaned synchronously)
 * @param poisoned stale clean copies made unreadable before the slow side of their block changed
 * @param droppedUnknown lines of volumes unknown at recovery (deleted), dropped
 */
public record LiveCacheStats(ClassStats touches, long[] occupancyByClass, long[] dirtyByClass, long[] bypassByClass,
        long lines, long dirtyLines, long capacity, long slots, long bypassedSequential, long verifyFailures,
        long corruptDirty, long destaged, long syncDestaged, long destageErrors, long fastReadErrors, long poisoned,
        long commits, long recoveredLines, long recoveredDirty, long droppedUnknown, double recoveryMillis) {

    /** Bypasses of a class (0 for a class never seen). */
    public long bypasses(int ioClass) {
        return ioClass >= 0 && ioClass < bypassByClass.length ? bypassByClass[ioClass] : 0;
    }

    /** Lines of a class in the cache. */
    public long occupancy(int ioClass) {
        return ioClass >= 0 && ioClass < occupancyByClass.length ? occupancyByClass[ioClass] : 0;
    }
}
