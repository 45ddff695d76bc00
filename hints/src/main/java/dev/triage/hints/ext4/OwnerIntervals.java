package dev.triage.hints.ext4;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which inode owns each block, as disjoint intervals: {@link #put} overwrites (the latest
 * mapping wins), {@link #fill} only claims blocks nobody owns yet (the first mapping wins).
 */
final class OwnerIntervals {
    private record Span(long end, long inode) {}

    private final TreeMap<Long, Span> spans = new TreeMap<>();

    /** The owner of a block, or 0. */
    long get(long block) {
        Map.Entry<Long, Span> e = spans.floorEntry(block);
        return e != null && block < e.getValue().end() ? e.getValue().inode() : 0;
    }

    /** Gives {@code [from, to)} to {@code inode}, taking it from earlier owners. */
    void put(long from, long to, long inode) {
        if (to <= from) {
            return;
        }
        Map.Entry<Long, Span> before = spans.lowerEntry(from);
        if (before != null && before.getValue().end() > from) {
            Span s = before.getValue();
            spans.put(before.getKey(), new Span(from, s.inode()));
            if (s.end() > to) {
                spans.put(to, new Span(s.end(), s.inode()));
            }
        }
        // Spans starting inside [from, to): drop, keeping any tail past `to`.
        for (Map.Entry<Long, Span> e = spans.ceilingEntry(from); e != null && e.getKey() < to;
                e = spans.ceilingEntry(from)) {
            spans.remove(e.getKey());
            if (e.getValue().end() > to) {
                spans.put(to, new Span(e.getValue().end(), e.getValue().inode()));
                break;
            }
        }
        spans.put(from, new Span(to, inode));
    }

    /** Gives the blocks of {@code [from, to)} that nobody owns yet to {@code inode}. */
    void fill(long from, long to, long inode) {
        long at = from;
        while (at < to) {
            Map.Entry<Long, Span> e = spans.floorEntry(at);
            if (e != null && at < e.getValue().end()) {
                at = e.getValue().end();
                continue;
            }
            Long next = spans.ceilingKey(at);
            long gapEnd = next == null ? to : Math.min(to, next);
            spans.put(at, new Span(gapEnd, inode));
            at = gapEnd;
        }
    }

    int size() {
        return spans.size();
    }
}
