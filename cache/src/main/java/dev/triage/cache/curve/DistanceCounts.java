package dev.triage.cache.curve;

import java.util.Arrays;

/**
 * Weighted counts of touches per class and per size bucket: bucket {@code k} holds touches whose
 * stack distance {@code d} has {@code sizes[k-1] <= d < sizes[k]}, i.e. the smallest cache that
 * hits them is {@code sizes[k]}; the last bucket holds misses at every size (cold touches too).
 */
final class DistanceCounts {
    private final long[] sizes;
    private double[][] counts = new double[0][];

    DistanceCounts(long[] sizes) {
        for (int i = 1; i < sizes.length; i++) {
            if (sizes[i] <= sizes[i - 1]) {
                throw new IllegalArgumentException("cache sizes must be ascending and distinct: " + Arrays.toString(sizes));
            }
        }
        if (sizes.length == 0 || sizes[0] < 0) {
            throw new IllegalArgumentException("at least one cache size >= 0");
        }
        this.sizes = sizes.clone();
    }

    long[] sizes() {
        return sizes.clone();
    }

    /** The bucket of a distance: the first size greater than it, or {@code sizes.length} (a miss everywhere). */
    int bucket(double distance) {
        int lo = 0;
        int hi = sizes.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sizes[mid] > distance) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    void add(int ioClass, int bucket, double weight) {
        if (ioClass >= counts.length) {
            int n = Math.max(ioClass + 1, counts.length * 2);
            double[][] c = Arrays.copyOf(counts, n);
            for (int i = counts.length; i < n; i++) {
                c[i] = new double[sizes.length + 1];
            }
            counts = c;
        }
        counts[ioClass][bucket] += weight;
    }

    int classes() {
        return counts.length;
    }

    /** Weighted touches of bucket 0..upTo, of a class or all (-1). */
    double sum(int ioClass, int upTo) {
        double s = 0;
        for (int c = 0; c < counts.length; c++) {
            if (ioClass < 0 || c == ioClass) {
                for (int k = 0; k <= upTo; k++) {
                    s += counts[c][k];
                }
            }
        }
        return s;
    }

    double total(int ioClass) {
        return sum(ioClass, sizes.length);
    }
}
