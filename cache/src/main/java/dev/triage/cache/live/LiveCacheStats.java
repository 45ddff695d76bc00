package dev.triage.cache.live;

import dev.triage.cache.replay.ClassStats;

/**
 * A snapshot of the live cache's counters. {@link #touches()} counts exactly what the
 * simulator counts (per class touches and hits), so the two can be compared.
 */
public record LiveCacheStats(ClassStats touches, long[] occupancyByClass, long[] dirtyByClass, long lines,
        long dirtyLines, long capacity, long slots, long bypassedSequential, long verifyFailures, long corruptDirty,
        long destaged, long syncDestaged, long commits, long recoveredLines, long recoveredDirty, double recoveryMillis) {}
