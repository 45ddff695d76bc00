package dev.triage.cache.policy.adaptive;

import java.util.Random;

/**
 * Synthetic touch sequences with class structure, as parallel arrays (block, class, write,
 * request size), for the adaptive policy's tests.
 */
final class SyntheticTraces {
    final long[] block;
    final int[] ioClass;
    final boolean[] write;
    final int[] requestBlocks;
    int n;

    SyntheticTraces(int capacity) {
        block = new long[capacity];
        ioClass = new int[capacity];
        write = new boolean[capacity];
        requestBlocks = new int[capacity];
    }

    void add(long b, int cls, boolean w, int req) {
        block[n] = b;
        ioClass[n] = cls;
        write[n] = w;
        requestBlocks[n] = req;
        n++;
    }

    /** Random touches over {@code blocks} blocks and {@code classes} classes (ids from 0). */
    static SyntheticTraces random(long seed, int n, int blocks, int classes) {
        Random r = new Random(seed);
        SyntheticTraces t = new SyntheticTraces(n);
        for (int i = 0; i < n; i++) {
            // skewed: half the touches on a tenth of the blocks
            int b = r.nextBoolean() ? r.nextInt(Math.max(1, blocks / 10)) : r.nextInt(blocks);
            t.add(b, r.nextInt(classes), r.nextInt(3) == 0, 1 + r.nextInt(4));
        }
        return t;
    }

    /**
     * A file system's life in three classes: a write-only journal (a stream of new blocks in
     * 32-block requests, never read), a hot class (single-block reads and writes of a small set,
     * zipf-like), and a scan class (large sequential reads over a big region, repeated rarely).
     */
    static SyntheticTraces journalHotScan(long seed, int n, int journal, int hot, int scan, int hotBlocks) {
        Random r = new Random(seed);
        SyntheticTraces t = new SyntheticTraces(n + 64);
        long journalNext = 1L << 30;
        long scanNext = 1L << 32;
        long scanEnd = scanNext + 20L * hotBlocks;
        while (t.n < n) {
            int p = r.nextInt(10);
            if (p < 3) {
                for (int i = 0; i < 32; i++) {
                    t.add(journalNext++, journal, true, 32);
                }
            } else if (p < 9) {
                double u = r.nextDouble();
                long b = (long) (hotBlocks * u * u * u);
                t.add(b, hot, r.nextInt(5) == 0, 1);
            } else {
                for (int i = 0; i < 16; i++) {
                    t.add(scanNext++, scan, false, 16);
                    if (scanNext == scanEnd) {
                        scanNext = 1L << 32;
                    }
                }
            }
        }
        return t;
    }
}
