package dev.triage.cache.collect;

import java.util.Arrays;

/**
 * Several intrusive doubly linked lists over the same space of int nodes ({@code 0..}): each
 * node is in at most one list at a time. Every operation is O(1) and allocates nothing (except
 * {@link #ensureNodes} and {@link #ensureLists}, which grow the arrays).
 *
 * <p>A node's fields (its neighbours and its list) sit side by side in one int array, {@link
 * #stride} ints per node, so that linking or unlinking a node reads one cache line for it
 * rather than one per field. An owner such as {@link BlockSlots} may ask for a wider stride and
 * keep its own per-node fields in the spare ints ({@link #FIRST_FREE} onwards).
 *
 * <p>Each list runs from its head to its tail; {@link #next} walks towards the tail and {@link
 * #prev} towards the head. Caches put the newest or most recently used node at the head and
 * take victims from the tail.
 */
public final class IntLinkedLists {
    /** No node (the end of a list, or an empty list). */
    public static final int NIL = -1;

    static final int PREV = 0;
    static final int NEXT = 1;
    static final int LIST = 2;
    /** The first int of a node that the lists leave to their owner. */
    static final int FIRST_FREE = 3;

    private final int shift; // log2 of the stride
    /** The nodes' fields, {@code 1 << shift} ints per node; read by {@link BlockSlots}. */
    int[] nodes;
    private int[] head;
    private int[] tail;
    private int[] count;

    public IntLinkedLists(int lists, int nodes) {
        this(lists, nodes, 2);
    }

    /** {@code shift}: log2 of the ints per node, at least 2. */
    IntLinkedLists(int lists, int nodes, int shift) {
        if (shift < 2) {
            throw new IllegalArgumentException("stride 2^" + shift + " is too small");
        }
        this.shift = shift;
        this.nodes = new int[nodes << shift];
        for (int i = 0; i < this.nodes.length; i += 1 << shift) {
            this.nodes[i + LIST] = NIL;
        }
        head = new int[lists];
        tail = new int[lists];
        count = new int[lists];
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
    }

    /** Ints per node. */
    int stride() {
        return 1 << shift;
    }

    /** Makes room for nodes {@code 0..nodes-1}. */
    public void ensureNodes(int nodes) {
        int old = this.nodes.length >> shift;
        if (nodes > old) {
            this.nodes = Arrays.copyOf(this.nodes, nodes << shift);
            for (int i = old << shift; i < this.nodes.length; i += 1 << shift) {
                this.nodes[i + LIST] = NIL;
            }
        }
    }

    /** Makes room for lists {@code 0..lists-1}. */
    public void ensureLists(int lists) {
        if (lists > head.length) {
            int old = head.length;
            head = Arrays.copyOf(head, lists);
            tail = Arrays.copyOf(tail, lists);
            count = Arrays.copyOf(count, lists);
            Arrays.fill(head, old, lists, NIL);
            Arrays.fill(tail, old, lists, NIL);
        }
    }

    public int lists() {
        return head.length;
    }

    public int head(int list) {
        return head[list];
    }

    public int tail(int list) {
        return tail[list];
    }

    public int count(int list) {
        return count[list];
    }

    /** The next node towards the tail, or {@link #NIL}. */
    public int next(int node) {
        return nodes[(node << shift) + NEXT];
    }

    /** The next node towards the head, or {@link #NIL}. */
    public int prev(int node) {
        return nodes[(node << shift) + PREV];
    }

    /** The list that holds {@code node}, or {@link #NIL}. */
    public int listOf(int node) {
        return nodes[(node << shift) + LIST];
    }

    /** Puts a node that is in no list at the head of {@code list}. */
    public void addHead(int list, int node) {
        int[] a = nodes;
        int sh = shift;
        int h = head[list];
        int i = node << sh;
        a[i + PREV] = NIL;
        a[i + NEXT] = h;
        a[i + LIST] = list;
        if (h == NIL) {
            tail[list] = node;
        } else {
            a[(h << sh) + PREV] = node;
        }
        head[list] = node;
        count[list]++;
    }

    /** Puts a node that is in no list at the tail of {@code list}. */
    public void addTail(int list, int node) {
        int[] a = nodes;
        int sh = shift;
        int t = tail[list];
        int i = node << sh;
        a[i + NEXT] = NIL;
        a[i + PREV] = t;
        a[i + LIST] = list;
        if (t == NIL) {
            head[list] = node;
        } else {
            a[(t << sh) + NEXT] = node;
        }
        tail[list] = node;
        count[list]++;
    }

    /** Takes a node out of its list; nothing when it is in none. */
    public void unlink(int node) {
        int[] a = nodes;
        int sh = shift;
        int i = node << sh;
        int list = a[i + LIST];
        if (list == NIL) {
            return;
        }
        int p = a[i + PREV];
        int n = a[i + NEXT];
        if (p == NIL) {
            head[list] = n;
        } else {
            a[(p << sh) + NEXT] = n;
        }
        if (n == NIL) {
            tail[list] = p;
        } else {
            a[(n << sh) + PREV] = p;
        }
        a[i + PREV] = NIL;
        a[i + NEXT] = NIL;
        a[i + LIST] = NIL;
        count[list]--;
    }

    /** Moves a node (in any list or none) to the head of {@code list}. */
    public void moveToHead(int list, int node) {
        int[] a = nodes;
        int sh = shift;
        int i = node << sh;
        int from = a[i + LIST];
        int h = head[list];
        if (from == list && h == node) {
            return;
        }
        if (from != NIL) { // unlink, without clearing the fields about to be set
            int p = a[i + PREV];
            int n = a[i + NEXT];
            if (p == NIL) {
                head[from] = n;
            } else {
                a[(p << sh) + NEXT] = n;
            }
            if (n == NIL) {
                tail[from] = p;
            } else {
                a[(n << sh) + PREV] = p;
            }
            count[from]--;
            h = head[list];
        }
        a[i + PREV] = NIL;
        a[i + NEXT] = h;
        a[i + LIST] = list;
        if (h == NIL) {
            tail[list] = node;
        } else {
            a[(h << sh) + PREV] = node;
        }
        head[list] = node;
        count[list]++;
    }

    /** Moves a node (in any list or none) to the tail of {@code list}. */
    public void moveToTail(int list, int node) {
        if (listOf(node) == list && tail[list] == node) {
            return;
        }
        unlink(node);
        addTail(list, node);
    }
}
