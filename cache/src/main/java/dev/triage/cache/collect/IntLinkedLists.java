package dev.triage.cache.collect;

import java.util.Arrays;

/**
 * Several intrusive doubly linked lists over the same space of int nodes ({@code 0..}), kept in
 * int arrays: each node is in at most one list at a time. Every operation is O(1) and allocates
 * nothing (except {@link #ensureNodes} and {@link #ensureLists}, which grow the arrays).
 *
 * <p>Each list runs from its head to its tail; {@link #next} walks towards the tail and {@link
 * #prev} towards the head. Caches put the newest or most recently used node at the head and
 * take victims from the tail.
 */
public final class IntLinkedLists {
    /** No node (the end of a list, or an empty list). */
    public static final int NIL = -1;

    private int[] prev;
    private int[] next;
    private int[] listOf;
    private int[] head;
    private int[] tail;
    private int[] count;

    public IntLinkedLists(int lists, int nodes) {
        prev = new int[nodes];
        next = new int[nodes];
        listOf = new int[nodes];
        Arrays.fill(listOf, NIL);
        head = new int[lists];
        tail = new int[lists];
        count = new int[lists];
        Arrays.fill(head, NIL);
        Arrays.fill(tail, NIL);
    }

    /** Makes room for nodes {@code 0..nodes-1}. */
    public void ensureNodes(int nodes) {
        if (nodes > prev.length) {
            int old = prev.length;
            prev = Arrays.copyOf(prev, nodes);
            next = Arrays.copyOf(next, nodes);
            listOf = Arrays.copyOf(listOf, nodes);
            Arrays.fill(listOf, old, nodes, NIL);
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
        return next[node];
    }

    /** The next node towards the head, or {@link #NIL}. */
    public int prev(int node) {
        return prev[node];
    }

    /** The list that holds {@code node}, or {@link #NIL}. */
    public int listOf(int node) {
        return listOf[node];
    }

    /** Puts a node that is in no list at the head of {@code list}. */
    public void addHead(int list, int node) {
        int h = head[list];
        prev[node] = NIL;
        next[node] = h;
        if (h == NIL) {
            tail[list] = node;
        } else {
            prev[h] = node;
        }
        head[list] = node;
        listOf[node] = list;
        count[list]++;
    }

    /** Puts a node that is in no list at the tail of {@code list}. */
    public void addTail(int list, int node) {
        int t = tail[list];
        next[node] = NIL;
        prev[node] = t;
        if (t == NIL) {
            head[list] = node;
        } else {
            next[t] = node;
        }
        tail[list] = node;
        listOf[node] = list;
        count[list]++;
    }

    /** Takes a node out of its list; nothing when it is in none. */
    public void unlink(int node) {
        int list = listOf[node];
        if (list == NIL) {
            return;
        }
        int p = prev[node];
        int n = next[node];
        if (p == NIL) {
            head[list] = n;
        } else {
            next[p] = n;
        }
        if (n == NIL) {
            tail[list] = p;
        } else {
            prev[n] = p;
        }
        prev[node] = NIL;
        next[node] = NIL;
        listOf[node] = NIL;
        count[list]--;
    }

    /** Moves a node (in any list or none) to the head of {@code list}. */
    public void moveToHead(int list, int node) {
        if (listOf[node] == list && head[list] == node) {
            return;
        }
        unlink(node);
        addHead(list, node);
    }

    /** Moves a node (in any list or none) to the tail of {@code list}. */
    public void moveToTail(int list, int node) {
        if (listOf[node] == list && tail[list] == node) {
            return;
        }
        unlink(node);
        addTail(list, node);
    }
}
