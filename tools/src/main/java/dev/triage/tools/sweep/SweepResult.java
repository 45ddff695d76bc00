package dev.triage.tools.sweep;

import java.util.List;

/**
 * What a sweep found: for each series (a policy, or a curve such as {@code lru~shards}) and each
 * cache size, the hit ratio overall and per class, and for exact series the hit counts.
 *
 * @param sizes cache sizes in bytes, ascending
 * @param classes class names with touches, by class id order
 * @param classTouches touches per class (same order)
 */
public record SweepResult(String trace, int blockSize, long touches, long requests, double seconds, int threads,
        List<Long> sizes, List<String> classes, long[] classTouches, List<Series> series) {

    /**
     * One line of the plot.
     *
     * @param ratio hit ratio by [size][class]; the class index {@code classes.size()} is overall
     * @param hits exact hits by [size] overall, or null for an estimate
     * @param note how it was computed (replayed, stack distances, SHARDS at R, ...)
     */
    public record Series(String name, double[][] ratio, long[] hits, boolean estimate, String note) {
        public double overall(int size) {
            return ratio[size][ratio[size].length - 1];
        }
    }

    public Series series(String name) {
        for (Series s : series) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
