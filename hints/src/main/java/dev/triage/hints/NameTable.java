package dev.triage.hints;

import java.util.Arrays;

/**
 * Interns names (process names, volume names, class names) into dense int ids. Looking up a
 * name that is already known allocates nothing: the characters are hashed and compared in
 * place. Ids are assigned in order of first appearance, from 0.
 *
 * <p>Writes are synchronized; readers of {@link #name(int)} on other threads see every id that
 * was handed to them through a happens-before edge (for example a queue).
 */
public class NameTable {
    private String[] names = new String[16];
    private int[] slots = new int[64]; // open addressing, id + 1, 0 = empty
    private int size;

    /** The id of {@code s[from, to)}, interning it if new. */
    public synchronized int intern(CharSequence s, int from, int to) {
        int h = hash(s, from, to);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return add(s.subSequence(from, to).toString(), i);
            }
            if (equal(names[slot - 1], s, from, to)) {
                return slot - 1;
            }
        }
    }

    /** The id of a name, interning it if new. */
    public int intern(CharSequence s) {
        return intern(s, 0, s.length());
    }

    /** The id of {@code s[from, to)}, or -1 when it is not known. */
    public synchronized int find(CharSequence s, int from, int to) {
        int h = hash(s, from, to);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int slot = slots[i];
            if (slot == 0) {
                return -1;
            }
            if (equal(names[slot - 1], s, from, to)) {
                return slot - 1;
            }
        }
    }

    public int find(CharSequence s) {
        return find(s, 0, s.length());
    }

    /** The name of an id. */
    public synchronized String name(int id) {
        if (id < 0 || id >= size) {
            throw new IndexOutOfBoundsException("no name with id " + id);
        }
        return names[id];
    }

    public synchronized int size() {
        return size;
    }

    /** A copy of every name, indexed by id. */
    public synchronized String[] names() {
        return Arrays.copyOf(names, size);
    }

    private int add(String name, int slotIndex) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
        }
        names[size] = name;
        slots[slotIndex] = size + 1;
        size++;
        if (size * 2 > slots.length) {
            rehash();
        }
        return size - 1;
    }

    private void rehash() {
        int[] fresh = new int[slots.length * 2];
        int mask = fresh.length - 1;
        for (int id = 0; id < size; id++) {
            String n = names[id];
            int i = hash(n, 0, n.length()) & mask;
            while (fresh[i] != 0) {
                i = (i + 1) & mask;
            }
            fresh[i] = id + 1;
        }
        slots = fresh;
    }

    private static int hash(CharSequence s, int from, int to) {
        int h = 0x9E3779B9;
        for (int i = from; i < to; i++) {
            h = (h ^ s.charAt(i)) * 0x01000193;
        }
        return h ^ (h >>> 16);
    }

    private static boolean equal(String name, CharSequence s, int from, int to) {
        int n = to - from;
        if (name.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (name.charAt(i) != s.charAt(from + i)) {
                return false;
            }
        }
        return true;
    }
}
