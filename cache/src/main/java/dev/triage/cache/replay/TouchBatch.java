package dev.triage.cache.replay;

/**
 * A run of consecutive touches in primitive arrays: how the replay engine hands the trace to
 * its simulations. Batches are reused; nothing is allocated per touch.
 */
public final class TouchBatch {
    /** A read touch. */
    public static final byte READ = 0;
    /** A write touch. */
    public static final byte WRITE = 1;
    /** A discarded block: removed from the cache, counts nothing. */
    public static final byte DISCARD = 2;

    final long[] block;
    final int[] ioClass;
    final byte[] kind;
    final int[] flags;
    final int[] requestBlocks;
    long[] nextUse;
    /** Index of the first entry in the whole touch sequence (discards included). */
    long base;
    int count;
    /** Workers still to apply this batch (streaming mode recycles it at zero). */
    final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

    public TouchBatch(int capacity) {
        block = new long[capacity];
        ioClass = new int[capacity];
        kind = new byte[capacity];
        flags = new int[capacity];
        requestBlocks = new int[capacity];
    }

    public int capacity() {
        return block.length;
    }

    public int count() {
        return count;
    }

    public boolean full() {
        return count == block.length;
    }

    void reset(long base) {
        this.base = base;
        this.count = 0;
    }

    void add(long b, int c, byte k, int f, int n) {
        int i = count++;
        block[i] = b;
        ioClass[i] = c;
        kind[i] = k;
        flags[i] = f;
        requestBlocks[i] = n;
    }
}
