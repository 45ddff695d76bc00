package dev.triage.cache.collect;

import java.util.Arrays;

/**
 * The blocks a policy tracks (resident or ghost), each in a numbered slot: a block → slot map,
 * per-slot arrays (the block, its I/O class, a free int {@code mark} and an optional long {@code
 * key} for the policy's own use), and {@link IntLinkedLists} over the slots. Freed slots are
 * reused, so once the table has grown to its working size nothing is allocated.
 *
 * <p>The arrays start small and double up to {@code maxSlots}, so a huge capacity costs memory
 * only as far as it fills.
 */
public final class BlockSlots {
    public static final int NIL = IntLinkedLists.NIL;

    private static final int INITIAL = 1024;
    /** The most slots a table can have: 2^28 (1 TiB of 4 KiB blocks), the map's limit. */
    public static final int MAX_SLOTS = 1 << 28;

    private final int maxSlots;
    private final LongIntHashMap index;
    private final IntLinkedLists lists;
    private final boolean withKeys;
    private long[] block;
    private int[] ioClass;
    private int[] mark;
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
        this.lists = new IntLinkedLists(lists, initial);
        block = new long[initial];
        ioClass = new int[initial];
        mark = new int[initial];
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
            if (s == block.length) {
                grow();
            }
        }
        block[s] = b;
        ioClass[s] = cls;
        mark[s] = 0;
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
        index.remove(block[s]);
        free[freeTop++] = s;
        size--;
    }

    private void grow() {
        int n = (int) Math.min((long) block.length * 2, maxSlots);
        n = Math.max(n, Math.min(maxSlots, 1));
        block = Arrays.copyOf(block, n);
        ioClass = Arrays.copyOf(ioClass, n);
        mark = Arrays.copyOf(mark, n);
        if (withKeys) {
            key = Arrays.copyOf(key, n);
        }
        free = Arrays.copyOf(free, n);
        lists.ensureNodes(n);
    }

    public long block(int s) {
        return block[s];
    }

    public int ioClass(int s) {
        return ioClass[s];
    }

    public void setIoClass(int s, int cls) {
        ioClass[s] = cls;
    }

    public int mark(int s) {
        return mark[s];
    }

    public void setMark(int s, int m) {
        mark[s] = m;
    }

    public long key(int s) {
        return key[s];
    }

    public void setKey(int s, long k) {
        key[s] = k;
    }
}
