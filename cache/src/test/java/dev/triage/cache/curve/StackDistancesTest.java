package dev.triage.cache.curve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StackDistancesTest {

    /** The definition: the position of the block in an LRU stack (most recent first). */
    static final class NaiveStack {
        final LinkedList<Long> stack = new LinkedList<>();

        long access(long b) {
            int i = stack.indexOf(b);
            if (i >= 0) {
                stack.remove(i);
            }
            stack.addFirst(b);
            return i < 0 ? StackDistances.COLD : i;
        }

        void remove(long b) {
            stack.remove(b);
        }
    }

    @Property(tries = 200)
    void distancesAreStackPositions(@ForAll("ops") List<Integer> ops) {
        StackDistances sd = new StackDistances();
        NaiveStack naive = new NaiveStack();
        for (int op : ops) {
            long b = Math.abs(op) % 61;
            if (op < 0 && op % 7 == 0) {
                sd.remove(b);
                naive.remove(b);
            } else {
                assertEquals(naive.access(b), sd.access(b), "block " + b);
            }
            assertEquals(naive.stack.size(), sd.live());
        }
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<Integer>> ops() {
        return net.jqwik.api.Arbitraries.integers().between(-500, 500).list().ofMaxSize(400);
    }

    @Test
    void compactionAndGrowthKeepDistances() {
        // far more touches than the initial table, and a working set that grows past it
        StackDistances sd = new StackDistances();
        NaiveStack naive = new NaiveStack();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 60_000; i++) {
            long b = i < 30_000 ? rnd.nextInt(300) : rnd.nextInt(3000);
            if (rnd.nextInt(100) == 0) {
                sd.remove(b);
                naive.remove(b);
                continue;
            }
            long expected = naive.access(b);
            long got = sd.access(b);
            if (expected != got) {
                assertEquals(expected, got, "touch " + i + " of block " + b);
            }
        }
    }

    @Property(tries = 20)
    void repeatedBlockHasDistanceZero(@ForAll @IntRange(min = 1, max = 5000) int n) {
        StackDistances sd = new StackDistances();
        List<Long> ds = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ds.add(sd.access(42));
        }
        assertEquals(StackDistances.COLD, ds.get(0));
        for (int i = 1; i < n; i++) {
            assertEquals(0L, ds.get(i));
        }
    }
}
