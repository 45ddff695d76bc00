package dev.triage.cache.policy;

import java.util.Arrays;

/**
 * Belady's optimum, exactly as rule 6 of the replay semantics: on a miss with a full cache, of
 * the cached blocks and the missed block, the one whose next touch is furthest away goes; when
 * that is the missed block it is not admitted. A block never touched again (or discarded
 * first) has next use {@link Touch#NEVER}, furthest of all; between two such blocks the missed
 * one is declined (either choice gives the same hits). The cached blocks sit in an indexed
 * binary max-heap keyed by next use (arrays of slots), updated on every hit.
 *
 * <p>Needs {@link Touch#nextUse}, so {@link #needsFuture()} is true.
 */
public final class OptPolicy extends AbstractPolicy {
    private int[] heap = new int[0]; // slots, heap[0] has the furthest next use
    private int[] pos = new int[0]; // slot -> index in heap
    private int n;

    public OptPolicy(long capacity) {
        super("opt", capacity, 0, true);
    }

    @Override
    public boolean needsFuture() {
        return true;
    }

    @Override
    public boolean access(Touch t) {
        int s = slots.slotOf(t.block);
        if (s != NIL) {
            slots.setIoClass(s, t.ioClass);
            long old = slots.key(s);
            slots.setKey(s, t.nextUse);
            if (t.nextUse > old) {
                siftUp(pos[s]);
            } else {
                siftDown(pos[s]);
            }
            return true;
        }
        if (capacity == 0) {
            return false;
        }
        if (!full()) {
            int ns = slots.allocate(t.block, t.ioClass);
            slots.setKey(ns, t.nextUse);
            ensure(ns);
            heap[n] = ns;
            pos[ns] = n;
            siftUp(n++);
            return false;
        }
        int top = heap[0];
        if (t.nextUse >= slots.key(top)) {
            return false; // the missed block is needed last: not admitted
        }
        evict(top);
        int ns = slots.allocate(t.block, t.ioClass);
        slots.setKey(ns, t.nextUse);
        ensure(ns);
        heap[0] = ns;
        pos[ns] = 0;
        siftDown(0);
        return false;
    }

    /** The next use of a cached block, or -1 when it is not cached (for tests). */
    public long nextUseOf(long block) {
        int s = slots.slotOf(block);
        return s == NIL ? -1 : slots.key(s);
    }

    @Override
    void beforeRemove(int slot) {
        int i = pos[slot];
        int last = heap[--n];
        if (i != n) {
            heap[i] = last;
            pos[last] = i;
            siftUp(i);
            siftDown(pos[last]);
        }
    }

    private void ensure(int slot) {
        if (slot >= pos.length) {
            int len = (int) Math.min(Math.max(16L, Math.max(slot + 1L, pos.length * 2L)), capacity);
            pos = Arrays.copyOf(pos, len);
            heap = Arrays.copyOf(heap, len);
        }
    }

    private void siftUp(int i) {
        int s = heap[i];
        long k = slots.key(s);
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int ps = heap[parent];
            if (slots.key(ps) >= k) {
                break;
            }
            heap[i] = ps;
            pos[ps] = i;
            i = parent;
        }
        heap[i] = s;
        pos[s] = i;
    }

    private void siftDown(int i) {
        int s = heap[i];
        long k = slots.key(s);
        int half = n >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int cs = heap[child];
            long ck = slots.key(cs);
            int right = child + 1;
            if (right < n && slots.key(heap[right]) > ck) {
                child = right;
                cs = heap[right];
                ck = slots.key(cs);
            }
            if (k >= ck) {
                break;
            }
            heap[i] = cs;
            pos[cs] = i;
            i = child;
        }
        heap[i] = s;
        pos[s] = i;
    }
}
