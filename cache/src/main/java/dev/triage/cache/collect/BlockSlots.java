package dev.triage.cache.collect;

import java.util.Arrays;

/**
 * The blocks a policy tracks (resident or ghost), each in a numbered slot: a block → slot map,
 * per-slot fields (the block, its I/O class, a free int {@code mark} and an optional long {@code
 * key} for the policy's own use), and {@link IntLinkedLists} over the slots. Freed slots are
 * reused, so once the table has grown to its working size nothing is allocated.
 *
 * <p>A slot's fields live beside its list links in the lists' node array (8 ints, 32 bytes per
 * slot), so a hit reads the map's cell and one node, and an eviction reads the tail's node for
 * its block, class and links at once. Only the optional key is kept apart.
 *
 * <p>The arrays start small and double up to {@code maxSlots}, so a huge capacity costs memory
 * only as far as it fills.
 */
public final class BlockSlots {
    public static final int NIL = IntLinkedLists.NIL;

    private static final int INITIAL = 1024;

    // the slot's own ints in the lists' nodes (after the links), 1 << SHIFT ints per slot
    private static final int SHIFT = 3;
    private static final int CLASS = IntLinkedLists.FIRST_FREE;
    private static final int MARK = CLASS + 1;
    private static final int BLOCK_LO = CLASS + 2;
    private static final int BLOCK_HI = CLASS + 3;
    /** The most slots a table can have: 2^28 (1 TiB of 4 KiB blocks), the map's limit. */
    public static final int MAX_SLOTS = 1 << 28;

    private final int maxSlots;
    private final LongIntHashMap index;
    private final IntLinkedLists lists;
    private final boolean withKeys;
    private long[] key;
    private int[] free; // stack of freed slots
    private int freeTop;
    private int highWater; // slots 0..highWater-1 have been handed out at least once
    private int size;

    /**
     * @param maxSlots the most slots ever in use at once
     * @param lists how many lists (more can be added with {@link #ensureLists})
     * @param withKeys whether to keep the per-slot long {@link #key}
     */
    public BlockSlots(long maxSlots, int lists, boolean withKeys) {
        if (maxSlots < 0 || maxSlots > MAX_SLOTS) {
            throw new IllegalArgumentException(
                    "capacity " + maxSlots + " blocks is outside 0.." + MAX_SLOTS);
        }
        this.maxSlots = (int) maxSlots;
        this.withKeys = withKeys;
        int initial = (int) Math.min(maxSlots, INITIAL);
        index = new LongIntHashMap(initial);
        this.lists = new IntLinkedLists(lists, initial, SHIFT);
        key = withKeys ? new long[initial] : null;
        free = new int[initial];
    }

    /** The lists over the slots. */
    public IntLinkedLists lists() {
        return lists;
    }

    public void ensureLists(int n) {
        lists.ensureLists(n);
    }

    /** Slots in use. */
    public int size() {
        return size;
    }

    public int maxSlots() {
        return maxSlots;
    }

    /** The slot of {@code b}, or {@link #NIL}. */
    public int slotOf(long b) {
        return index.get(b);
    }

    public boolean contains(long b) {
        return index.get(b) != LongIntHashMap.MISSING;
    }

    /**
     * Gives {@code b} (which must not be in the table) a slot, in no list, with mark 0 and key 0.
     *
     * @throws IllegalStateException when all {@code maxSlots} are in use
     */
    public int allocate(long b, int cls) {
        int s;
        if (freeTop > 0) {
            s = free[--freeTop];
        } else {
            if (highWater == maxSlots) {
                throw new IllegalStateException("all " + maxSlots + " slots are in use");
            }
            s = highWater++;
            if (s == free.length) {
                grow();
            }
        }
        int[] a = lists.nodes;
        int i = s << SHIFT;
        a[i + CLASS] = cls;
        a[i + MARK] = 0;
        a[i + BLOCK_LO] = (int) b;
        a[i + BLOCK_HI] = (int) (b >>> 32);
        if (withKeys) {
            key[s] = 0;
        }
        index.put(b, s);
        size++;
        return s;
    }

    /** Frees a slot: its block leaves the map, the slot leaves its list. */
    public void release(int s) {
        lists.unlink(s);
        index.remove(block(s));
        free[freeTop++] = s;
        size--;
    }

    private void grow() {
        int n = (int) Math.min((long) free.length * 2, maxSlots);
        n = Math.max(n, Math.min(maxSlots, 1));
        if (withKeys) {
            key = Arrays.copyOf(key, n);
        }
        free = Arrays.copyOf(free, n);
        lists.ensureNodes(n);
    }

    public long block(int s) {
        int[] a = lists.nodes;
        int i = s << SHIFT;
        return ((long) a[i + BLOCK_HI] << 32) | (a[i + BLOCK_LO] & 0xFFFF_FFFFL);
    }

    public int ioClass(int s) {
        return lists.nodes[(s << SHIFT) + CLASS];
    }

    public void setIoClass(int s, int cls) {
        lists.nodes[(s << SHIFT) + CLASS] = cls;
    }

    public int mark(int s) {
        return lists.nodes[(s << SHIFT) + MARK];
    }

    public void setMark(int s, int m) {
        lists.nodes[(s << SHIFT) + MARK] = m;
    }

    public long key(int s) {
        return key[s];
    }

    public void setKey(int s, long k) {
        key[s] = k;
    }
}
