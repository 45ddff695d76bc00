package dev.triage.cache.policy;

import dev.triage.cache.collect.BlockSlots;
import dev.triage.cache.collect.IntLinkedLists;

/**
 * S3-FIFO (Yang et al., SOSP 2023): a small FIFO S (10% of the capacity), a main FIFO M, and a
 * ghost FIFO G of block numbers as long as M's share (90%). Every block has a 2-bit frequency
 * (0..3) that a hit raises. A missed block goes to M if G remembers it, else to S, with
 * frequency 0. To make room: while S holds at least 10% of the capacity (or M is empty), S's
 * oldest block moves to M if it was hit since it entered ({@code freq > 0}, the paper's text;
 * the threshold is a constructor parameter), else it is evicted and remembered in G; otherwise
 * M's oldest block is reinserted at M's head with its frequency lowered by one if that is
 * positive, else evicted. A block moved from S to M keeps its frequency.
 *
 * <p>G is looked up (and the block taken out of it) before room is made, as in the authors'
 * libCacheSim. A discard drops the block from S, M and G.
 */
public final class S3FifoPolicy extends AbstractPolicy {
    private static final int SMALL = 0;
    private static final int MAIN = 1;
    private static final int GHOST = 0;
    private static final int MAX_FREQ = 3;

    private final BlockSlots ghosts;
    private final long ghostCapacity;
    private final int moveThreshold;

    public S3FifoPolicy(long capacity) {
        this(capacity, 1);
    }

    /** @param moveThreshold frequency at which a block leaving S goes to M (1 = hit at least once) */
    public S3FifoPolicy(long capacity, int moveThreshold) {
        super("s3fifo", capacity, 2, false);
        if (moveThreshold < 1 || moveThreshold > MAX_FREQ) {
            throw new IllegalArgumentException("move threshold " + moveThreshold + " is not in 1..3");
        }
        this.moveThreshold = moveThreshold;
        long small = (capacity + 9) / 10;
        ghostCapacity = capacity - small;
        ghosts = new BlockSlots(ghostCapacity, 1, false);
    }

    /** Sizes of S, M, G (for tests and stats). */
    public long[] listSizes() {
        return new long[] {
            slots.lists().count(SMALL), slots.lists().count(MAIN), ghosts.lists().count(GHOST)
        };
    }

    /** True when the block is cached in the main FIFO (for tests). */
    public boolean inMain(long block) {
        int s = slots.slotOf(block);
        return s != NIL && slots.lists().listOf(s) == MAIN;
    }

    /** True when the ghost FIFO remembers the block (for tests). */
    public boolean inGhost(long block) {
        return ghosts.contains(block);
    }

    @Override
    public boolean access(Touch t) {
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setIoClass(s, t.ioClass);
            int f = slots.mark(s);
            if (f < MAX_FREQ) {
                slots.setMark(s, f + 1);
            }
            return true;
        }
        if (capacity == 0) {
            return false;
        }
        int gs = ghosts.slotOf(t.block);
        if (gs != NIL) {
            ghosts.release(gs);
        }
        while (full()) {
            evictOne();
        }
        slots.lists().addHead(gs != NIL ? MAIN : SMALL, slots.allocate(t.block, t.ioClass));
        return false;
    }

    private void evictOne() {
        IntLinkedLists l = slots.lists();
        if (l.count(SMALL) > 0 && (10L * l.count(SMALL) >= capacity || l.count(MAIN) == 0)) {
            while (l.count(SMALL) > 0) {
                int victim = l.tail(SMALL);
                if (slots.mark(victim) >= moveThreshold) {
                    l.moveToHead(MAIN, victim);
                } else {
                    long b = slots.block(victim);
                    int cls = slots.ioClass(victim);
                    evict(victim);
                    remember(b, cls);
                    return;
                }
            }
        }
        while (true) {
            int victim = l.tail(MAIN);
            int f = slots.mark(victim);
            if (f > 0) {
                slots.setMark(victim, f - 1);
                l.moveToHead(MAIN, victim);
            } else {
                evict(victim);
                return;
            }
        }
    }

    private void remember(long b, int cls) {
        if (ghostCapacity == 0) {
            return;
        }
        IntLinkedLists g = ghosts.lists();
        if (g.count(GHOST) >= ghostCapacity) {
            ghosts.release(g.tail(GHOST));
        }
        g.addHead(GHOST, ghosts.allocate(b, cls));
    }

    @Override
    public void remove(long block) {
        super.remove(block);
        int gs = ghosts.slotOf(block);
        if (gs != NIL) {
            ghosts.release(gs);
        }
    }
}
