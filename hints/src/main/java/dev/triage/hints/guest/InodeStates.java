package dev.triage.hints.guest;

import java.util.Arrays;

/**
 * What the classifier knows of each inode it saw in use: type, size, a generation (bumped when
 * the blocks it mapped no longer count) and a hash of its block map as last parsed. An
 * open-addressing map from inode number to a slot of primitive arrays; lookups allocate
 * nothing. At most {@code maxInodes} slots; a slot, once given, stays with its inode.
 */
final class InodeStates {
    static final byte FREE = -1;
    static final int GEN_MASK = 0xffffff;

    private int[] keys;
    private int[] slotOf;
    private int mask;
    private int used;
    private final int maxInodes;

    long[] size = new long[64];
    byte[] type = new byte[64];
    int[] gen = new int[64];
    int[] mapHash = new int[64];
    private int slots;

    InodeStates(int maxInodes) {
        this.maxInodes = maxInodes;
        keys = new int[128];
        slotOf = new int[128];
        mask = 127;
    }

    private static int hash(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The slot of an inode (its number as an unsigned int, never 0), or -1. */
    int find(int ino) {
        int i = hash(ino) & mask;
        while (true) {
            int k = keys[i];
            if (k == ino) {
                return slotOf[i];
            }
            if (k == 0) {
                return -1;
            }
            i = (i + 1) & mask;
        }
    }

    /** The slot of an inode, given a fresh one (type FREE, size -1, gen 0) if it had none; -1 when full. */
    int findOrAdd(int ino) {
        int i = hash(ino) & mask;
        while (true) {
            int k = keys[i];
            if (k == ino) {
                return slotOf[i];
            }
            if (k == 0) {
                break;
            }
            i = (i + 1) & mask;
        }
        if (slots >= maxInodes) {
            return -1;
        }
        if (slots == size.length) {
            int n = slots * 2;
            size = Arrays.copyOf(size, n);
            type = Arrays.copyOf(type, n);
            gen = Arrays.copyOf(gen, n);
            mapHash = Arrays.copyOf(mapHash, n);
        }
        int s = slots++;
        size[s] = -1;
        type[s] = FREE;
        gen[s] = 0;
        mapHash[s] = 0;
        keys[i] = ino;
        slotOf[i] = s;
        if (++used * 2 > keys.length) {
            rehash();
        }
        return s;
    }

    private void rehash() {
        int[] oldKeys = keys;
        int[] oldSlots = slotOf;
        keys = new int[oldKeys.length * 2];
        slotOf = new int[keys.length];
        mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                int j = hash(oldKeys[i]) & mask;
                while (keys[j] != 0) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                slotOf[j] = oldSlots[i];
            }
        }
    }

    /** Bumps a slot's generation: everything it mapped before stops counting. */
    void bump(int s) {
        gen[s] = (gen[s] + 1) & GEN_MASK;
    }

    /** The slots in use. */
    int count() {
        return slots;
    }
}
