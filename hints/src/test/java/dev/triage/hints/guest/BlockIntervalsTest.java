package dev.triage.hints.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** {@link BlockIntervals} against a per-block array model, across bucket boundaries. */
class BlockIntervalsTest {
    private static final long BLOCKS = 3L * BlockIntervals.BUCKET_BLOCKS + 1000;

    /** One operation: put (kind 1..5) or remove (kind 0) of [from, from + len). */
    record Op(long from, long len, int kind, int owner) {}

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Long> near = Arbitraries.longs().between(-10, BLOCKS + 10);
        Arbitrary<Long> boundary = Arbitraries.integers().between(0, 3).flatMap(k -> Arbitraries.longs()
                .between(Math.max(0, k * (long) BlockIntervals.BUCKET_BLOCKS - 40), k * (long) BlockIntervals.BUCKET_BLOCKS + 40));
        Arbitrary<Long> len = Arbitraries.oneOf(Arbitraries.longs().between(0, 50),
                Arbitraries.longs().between(0, 2L * BlockIntervals.BUCKET_BLOCKS));
        return Combinators.combine(Arbitraries.oneOf(near, boundary), len, Arbitraries.integers().between(0, 5),
                Arbitraries.integers().between(1, 4)).as(Op::new);
    }

    @Property(tries = 200)
    void agreesWithAPerBlockModel(@ForAll @Size(max = 40) List<@net.jqwik.api.From("ops") Op> ops) {
        BlockIntervals m = new BlockIntervals(BLOCKS, Long.MAX_VALUE, null);
        long[] model = new long[(int) BLOCKS];
        for (Op op : ops) {
            long to = op.from() + op.len();
            if (op.kind() == 0) {
                m.remove(op.from(), to);
            } else {
                m.put(op.from(), to, op.kind(), op.owner(), op.owner() * 3);
            }
            long v = op.kind() == 0 ? 0 : BlockIntervals.pack(op.kind(), op.owner(), op.owner() * 3);
            for (long b = Math.max(0, op.from()); b < Math.min(to, BLOCKS); b++) {
                model[(int) b] = v;
            }
        }
        long[] count = {0};
        long[] prevEnd = {-1};
        m.forEach((from, to, kind, owner, gen) -> {
            assertTrue(from >= prevEnd[0] && from < to, "disjoint and sorted");
            prevEnd[0] = to;
            count[0]++;
        });
        assertEquals(count[0], m.entries());
        for (long b = 0; b < BLOCKS; b += 7) {
            assertEquals(model[(int) b], m.lookup(b), "block " + b);
        }
        for (Op op : ops) { // the edges of every operation
            for (long b : new long[] {op.from() - 1, op.from(), op.from() + op.len() - 1, op.from() + op.len()}) {
                if (b >= 0 && b < BLOCKS) {
                    assertEquals(model[(int) b], m.lookup(b), "block " + b);
                }
            }
        }
    }

    @Test
    void theCapDropsNewIntervalsAndStaleOnesMakeRoom() {
        boolean[] stale = {false};
        BlockIntervals m = new BlockIntervals(1 << 20, 10, (kind, owner, gen) -> stale[0] && owner == 1);
        for (int i = 0; i < 20; i++) {
            m.put(i * 10L, i * 10L + 5, 1, 1, 0);
        }
        assertEquals(10, m.entries());
        assertEquals(10, m.dropped());
        assertEquals(0, m.lookup(150));
        m.removeMatching(0, 1000, BlockIntervals.pack(1, 1, 0));
        assertEquals(0, m.entries());
        for (int i = 0; i < 8; i++) {
            m.put(i * 10L, i * 10L + 5, 1, 1, 0);
        }
        stale[0] = true; // owner 1's intervals no longer count: a full bucket purges them
        for (int i = 0; i < 8; i++) {
            m.put(1000 + i * 10L, 1000 + i * 10L + 5, 2, 2, 0);
        }
        assertTrue(m.entries() <= 10);
        assertEquals(BlockIntervals.pack(2, 2, 0), m.lookup(1070));
    }

    @Test
    void removeMatchingLeavesOthers() {
        BlockIntervals m = new BlockIntervals(1 << 17, 100, null);
        m.put(10, 20, 3, 1, 0);
        m.put(15, 17, 4, 2, 0);
        m.removeMatching(0, 100, BlockIntervals.pack(3, 1, 0));
        assertEquals(0, m.lookup(12));
        assertEquals(BlockIntervals.pack(4, 2, 0), m.lookup(16));
        assertEquals(0, m.lookup(18));
    }
}
