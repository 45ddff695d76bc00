package dev.triage.cache.policy;

import dev.triage.cache.collect.BlockSlots;

/**
 * What every policy here shares: a name, a capacity, the resident blocks in {@link BlockSlots}
 * (and, for ARC, its ghosts),
 * and the eviction listener. Subclasses keep their queues as lists over the slots.
 */
abstract class AbstractPolicy implements CachePolicy {
    static final int NIL = BlockSlots.NIL;

    private final String name;
    protected final long capacity;
    /** Resident blocks only (ghosts, where a policy has them, live in a table of their own). */
    protected final BlockSlots slots;
    protected EvictionListener listener = EvictionListener.NONE;

    AbstractPolicy(String name, long capacity, int lists, boolean withKeys) {
        this(name, capacity, lists, withKeys, 0);
    }

    /** {@code extraSlots}: for a policy that inserts before it evicts, or keeps ghosts. */
    AbstractPolicy(String name, long capacity, int lists, boolean withKeys, long extraSlots) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity " + capacity + " is negative");
        }
        this.name = name;
        this.capacity = capacity;
        this.slots = new BlockSlots(capacity + extraSlots, lists, withKeys);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final long capacity() {
        return capacity;
    }

    /** Resident blocks; a policy that keeps ghosts in {@link #slots} overrides it. */
    @Override
    public long size() {
        return slots.size();
    }

    /** Whether the block is resident; a policy that keeps ghosts in {@link #slots} overrides it. */
    @Override
    public boolean contains(long block) {
        return slots.contains(block);
    }

    @Override
    public final void setEvictionListener(EvictionListener l) {
        listener = l == null ? EvictionListener.NONE : l;
    }

    @Override
    public void remove(long block) {
        int s = slots.slotOf(block);
        if (s != NIL) {
            beforeRemove(s);
            slots.release(s);
        }
    }

    /** Called before a resident slot is dropped by {@link #remove}; for a hand or a heap. */
    void beforeRemove(int slot) {}

    /** Evicts a resident slot and tells the listener. */
    final void evict(int s) {
        long b = slots.block(s);
        int c = slots.ioClass(s);
        slots.release(s);
        listener.evicted(b, c);
    }

    /**
     * For a policy with a list per class: evicts {@code victim} (unless NIL), then admits the
     * block at the head of its class's list, with {@code key} (a policy's recency clock).
     */
    final void admitToClassList(int victim, long block, int ioClass, long key) {
        if (victim != NIL) {
            evict(victim);
        }
        int s = slots.allocate(block, ioClass);
        slots.setKey(s, key);
        slots.lists().addHead(ioClass, s);
    }

    final boolean full() {
        return size() >= capacity;
    }

    @Override
    public String toString() {
        return name + "(" + capacity + " blocks, " + size() + " cached)";
    }
}
