package dev.triage.cache.policy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reference models written from the papers' descriptions with plain collections, as
 * independent as possible of the fast implementations' data structures.
 */
final class References {
    private References() {}

    /** LRU via LinkedHashMap in access order. */
    static ReferenceModel lru(int capacity) {
        return new ReferenceModel() {
            final LinkedHashMap<Long, Boolean> map = new LinkedHashMap<>(16, 0.75f, true);

            public boolean access(int i, Step s) {
                if (map.get(s.block()) != null) {
                    return true;
                }
                if (capacity == 0) {
                    return false;
                }
                if (map.size() == capacity) {
                    Iterator<Long> it = map.keySet().iterator();
                    it.next();
                    it.remove();
                }
                map.put(s.block(), true);
                return false;
            }

            public void remove(long b) {
                map.remove(b);
            }

            public Set<Long> contents() {
                return new HashSet<>(map.keySet());
            }
        };
    }

    /** FIFO via ArrayDeque + HashSet. */
    static ReferenceModel fifo(int capacity) {
        return new ReferenceModel() {
            final ArrayDeque<Long> queue = new ArrayDeque<>();
            final Set<Long> set = new HashSet<>();

            public boolean access(int i, Step s) {
                if (set.contains(s.block())) {
                    return true;
                }
                if (capacity == 0) {
                    return false;
                }
                if (set.size() == capacity) {
                    set.remove(queue.pollFirst());
                }
                queue.addLast(s.block());
                set.add(s.block());
                return false;
            }

            public void remove(long b) {
                if (set.remove(b)) {
                    queue.remove(b);
                }
            }

            public Set<Long> contents() {
                return new HashSet<>(set);
            }
        };
    }

    /** Belady by brute force: scans the future of the trace at every eviction (rule 6). */
    static ReferenceModel opt(int capacity, List<Step> steps) {
        return new ReferenceModel() {
            final List<Long> cached = new ArrayList<>();

            long nextUse(long block, int from) {
                for (int j = from + 1; j < steps.size(); j++) {
                    Step s = steps.get(j);
                    if (s.block() == block) {
                        return s.touch() ? j : Long.MAX_VALUE;
                    }
                }
                return Long.MAX_VALUE;
            }

            public boolean access(int i, Step s) {
                if (cached.contains(s.block())) {
                    return true;
                }
                if (capacity == 0) {
                    return false;
                }
                if (cached.size() < capacity) {
                    cached.add(s.block());
                    return false;
                }
                long missNext = nextUse(s.block(), i);
                int worst = -1;
                long worstNext = -1;
                for (int k = 0; k < cached.size(); k++) {
                    long n = nextUse(cached.get(k), i);
                    if (n > worstNext) {
                        worstNext = n;
                        worst = k;
                    }
                }
                if (missNext >= worstNext) {
                    return false;
                }
                cached.set(worst, s.block());
                return false;
            }

            public void remove(long b) {
                cached.remove(b);
            }

            public Set<Long> contents() {
                return new HashSet<>(cached);
            }
        };
    }

    /**
     * CLOCK and SIEVE as one list model: a list ordered newest first. CLOCK: the hand is the
     * oldest end and a passed block moves to the newest end. SIEVE: blocks never move; the hand
     * walks from old to new and wraps.
     */
    static ReferenceModel secondChance(int capacity, boolean sieve) {
        return new ReferenceModel() {
            final LinkedList<Long> list = new LinkedList<>(); // index 0 = newest
            final Map<Long, Boolean> visited = new HashMap<>();
            Long hand; // sieve: the block the hand points at, null = start at the oldest

            public boolean access(int i, Step s) {
                if (visited.containsKey(s.block())) {
                    visited.put(s.block(), true);
                    return true;
                }
                if (capacity == 0) {
                    return false;
                }
                if (list.size() == capacity) {
                    if (sieve) {
                        int at = hand == null ? list.size() - 1 : list.indexOf(hand);
                        while (visited.get(list.get(at))) {
                            visited.put(list.get(at), false);
                            at = at == 0 ? list.size() - 1 : at - 1;
                        }
                        Long victim = list.get(at);
                        hand = at == 0 ? null : list.get(at - 1);
                        list.remove(at);
                        visited.remove(victim);
                    } else {
                        while (visited.get(list.getLast())) {
                            Long b = list.removeLast();
                            visited.put(b, false);
                            list.addFirst(b);
                        }
                        visited.remove(list.removeLast());
                    }
                }
                list.addFirst(s.block());
                visited.put(s.block(), false);
                return false;
            }

            public void remove(long b) {
                if (visited.remove(b) != null) {
                    if (sieve && Long.valueOf(b).equals(hand)) {
                        int at = list.indexOf(b);
                        hand = at == 0 ? null : list.get(at - 1);
                    }
                    list.remove(b);
                }
            }

            public Set<Long> contents() {
                return new HashSet<>(visited.keySet());
            }
        };
    }

    /** ARC as in figure 4 of Megiddo and Modha, with LinkedHashSets (first = LRU). */
    static ReferenceModel arc(int c) {
        return new ReferenceModel() {
            final LinkedHashSet<Long> t1 = new LinkedHashSet<>();
            final LinkedHashSet<Long> t2 = new LinkedHashSet<>();
            final LinkedHashSet<Long> b1 = new LinkedHashSet<>();
            final LinkedHashSet<Long> b2 = new LinkedHashSet<>();
            long p;

            Long lru(LinkedHashSet<Long> s) {
                return s.iterator().next();
            }

            void replace(boolean inB2) {
                if (t1.size() + t2.size() < c) {
                    return;
                }
                if (!t1.isEmpty() && ((inB2 && t1.size() == p) || t1.size() > p) || t2.isEmpty()) {
                    Long x = lru(t1);
                    t1.remove(x);
                    b1.add(x);
                } else {
                    Long x = lru(t2);
                    t2.remove(x);
                    b2.add(x);
                }
            }

            public boolean access(int i, Step s) {
                Long x = s.block();
                if (t1.remove(x) || t2.remove(x)) {
                    t2.add(x);
                    return true;
                }
                if (c == 0) {
                    return false;
                }
                if (b1.contains(x)) {
                    p = Math.min(c, p + (b1.size() >= b2.size() ? 1 : b2.size() / b1.size()));
                    b1.remove(x);
                    replace(false);
                    t2.add(x);
                    return false;
                }
                if (b2.contains(x)) {
                    p = Math.max(0, p - (b2.size() >= b1.size() ? 1 : b1.size() / b2.size()));
                    b2.remove(x);
                    replace(true);
                    t2.add(x);
                    return false;
                }
                if (t1.size() + b1.size() >= c) {
                    if (t1.size() < c) {
                        b1.remove(lru(b1));
                        replace(false);
                    } else {
                        t1.remove(lru(t1));
                    }
                } else {
                    int total = t1.size() + t2.size() + b1.size() + b2.size();
                    if (total >= c) {
                        if (total >= 2 * c) {
                            b2.remove(lru(b2));
                        }
                        replace(false);
                    }
                }
                t1.add(x);
                return false;
            }

            public void remove(long b) {
                t1.remove(b);
                t2.remove(b);
                b1.remove(b);
                b2.remove(b);
            }

            public Set<Long> contents() {
                Set<Long> r = new HashSet<>(t1);
                r.addAll(t2);
                return r;
            }
        };
    }

    /** Full 2Q (Johnson and Shasha), with LinkedHashSets (first = oldest / LRU). */
    static ReferenceModel twoQ(int c) {
        return new ReferenceModel() {
            final LinkedHashSet<Long> a1in = new LinkedHashSet<>();
            final LinkedHashSet<Long> a1out = new LinkedHashSet<>();
            final LinkedHashSet<Long> am = new LinkedHashSet<>();
            final int kin = c / 4;
            final int kout = c / 2;

            void reclaim() {
                if (a1in.size() + am.size() < c) {
                    return;
                }
                if (a1in.size() > kin || am.isEmpty()) {
                    Long y = a1in.iterator().next();
                    a1in.remove(y);
                    if (kout > 0) {
                        if (a1out.size() >= kout) {
                            a1out.remove(a1out.iterator().next());
                        }
                        a1out.add(y);
                    }
                } else {
                    am.remove(am.iterator().next());
                }
            }

            public boolean access(int i, Step s) {
                Long x = s.block();
                if (am.remove(x)) {
                    am.add(x);
                    return true;
                }
                if (a1in.contains(x)) {
                    return true;
                }
                if (c == 0) {
                    return false;
                }
                if (a1out.remove(x)) {
                    reclaim();
                    am.add(x);
                } else {
                    reclaim();
                    a1in.add(x);
                }
                return false;
            }

            public void remove(long b) {
                a1in.remove(b);
                am.remove(b);
                a1out.remove(b);
            }

            public Set<Long> contents() {
                Set<Long> r = new HashSet<>(a1in);
                r.addAll(am);
                return r;
            }
        };
    }

    /** S3-FIFO as in the paper's algorithm 1 (move on freq > 0), with ArrayDeques. */
    static ReferenceModel s3fifo(int c) {
        return new ReferenceModel() {
            final ArrayDeque<Long> small = new ArrayDeque<>(); // first = oldest
            final ArrayDeque<Long> main = new ArrayDeque<>();
            final ArrayDeque<Long> ghost = new ArrayDeque<>();
            final Map<Long, Integer> freq = new HashMap<>();
            final int ghostCap = c - (c + 9) / 10;

            public boolean access(int i, Step s) {
                Long x = s.block();
                Integer f = freq.get(x);
                if (f != null) {
                    freq.put(x, Math.min(3, f + 1));
                    return true;
                }
                if (c == 0) {
                    return false;
                }
                boolean wasGhost = ghost.remove(x);
                while (freq.size() >= c) {
                    evict();
                }
                (wasGhost ? main : small).addLast(x);
                freq.put(x, 0);
                return false;
            }

            void evict() {
                if (!small.isEmpty() && (small.size() * 10L >= c || main.isEmpty())) {
                    while (!small.isEmpty()) {
                        Long t = small.pollFirst();
                        if (freq.get(t) > 0) {
                            main.addLast(t);
                        } else {
                            freq.remove(t);
                            if (ghostCap > 0) {
                                if (ghost.size() >= ghostCap) {
                                    ghost.pollFirst();
                                }
                                ghost.addLast(t);
                            }
                            return;
                        }
                    }
                }
                while (true) {
                    Long t = main.pollFirst();
                    int f = freq.get(t);
                    if (f > 0) {
                        freq.put(t, f - 1);
                        main.addLast(t);
                    } else {
                        freq.remove(t);
                        return;
                    }
                }
            }

            public void remove(long b) {
                if (freq.remove(b) != null) {
                    small.remove(b);
                    main.remove(b);
                }
                ghost.remove(b);
            }

            public Set<Long> contents() {
                return new HashSet<>(freq.keySet());
            }
        };
    }
}
