package dev.triage.hints.ext4;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link OwnerIntervals} against a per-block array (the simple reference model). */
class OwnerIntervalsTest {
    private static final int BLOCKS = 64;

    record Op(boolean put, int from, int len, int inode) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, BLOCKS - 1),
                Arbitraries.integers().between(0, 20), Arbitraries.integers().between(1, 9)).as(Op::new);
        return op.list().ofMaxSize(40);
    }

    @Property(tries = 300)
    void behavesLikeAnArrayOfOwners(@ForAll("ops") List<Op> ops) {
        OwnerIntervals map = new OwnerIntervals();
        long[] model = new long[BLOCKS + 32];
        for (Op op : ops) {
            int to = op.from() + op.len();
            if (op.put()) {
                map.put(op.from(), to, op.inode());
                for (int b = op.from(); b < to; b++) {
                    model[b] = op.inode();
                }
            } else {
                map.fill(op.from(), to, op.inode());
                for (int b = op.from(); b < to; b++) {
                    if (model[b] == 0) {
                        model[b] = op.inode();
                    }
                }
            }
            for (int b = 0; b < model.length; b++) {
                assertEquals(model[b], map.get(b), "block " + b + " after " + op);
            }
        }
    }
}
