package dev.triage.tools.report;

/**
 * One line of results: a policy at a cache size, for one class (or {@code all}).
 */
public record ResultRow(String policy, long cacheBytes, String className, long touches, long hits, long readTouches,
        long readHits) {

    public static final String ALL = "all";

    public double hitRatio() {
        return touches == 0 ? 0.0 : (double) hits / touches;
    }

    public double readHitRatio() {
        return readTouches == 0 ? 0.0 : (double) readHits / readTouches;
    }

    public long writeTouches() {
        return touches - readTouches;
    }

    public long writeHits() {
        return hits - readHits;
    }
}
