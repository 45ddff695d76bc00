package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Volumes against a reference model (a byte[] per volume): random writes (any offset and
 * length), discards, write-zeroes, flushes and reopens on two volumes; after every step both
 * volumes read exactly as the model, the zone accounting adds up, and after a reopen the
 * checker is clean.
 */
class VolumeModelPropertyTest {
    static final int SIZE = 96 * 1024;

    record Op(int kind, int volume, int offset, int length, long seed) {
    }

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, SIZE - 1), Arbitraries.integers().between(0, 20_000),
                Arbitraries.longs()).as(Op::new);
    }

    @Property(tries = 60)
    void volumesReadAsTheModel(@ForAll @Size(max = 40) List<@net.jqwik.api.From("ops") Op> ops) throws IOException {
        TestDevice dev = new TestDevice(1 << 20);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        byte[][] model = {new byte[SIZE], new byte[SIZE]};
        pool.createVolume("v0", SIZE);
        pool.createVolume("v1", SIZE);
        for (Op op : ops) {
            Volume v = pool.volume("v" + op.volume());
            byte[] m = model[op.volume()];
            int off = op.offset();
            int len = Math.min(op.length(), SIZE - off);
            switch (op.kind()) {
                case 0, 1, 2, 3 -> {
                    byte[] data = PoolTest.random(op.seed(), len);
                    v.write(off, ByteBuffer.wrap(data), op.kind() - 1, op.kind() == 3);
                    System.arraycopy(data, 0, m, off, len);
                }
                case 4 -> {
                    v.discard(off, len);
                    int first = (off + 4095) / 4096;
                    int end = (off + len) / 4096;
                    if (first < end) {
                        Arrays.fill(m, first * 4096, end * 4096, (byte) 0);
                    }
                }
                case 5 -> {
                    v.writeZeroes(off, len, false);
                    Arrays.fill(m, off, off + len, (byte) 0);
                }
                case 6 -> v.flush();
                case 7 -> {
                    pool.close();
                    pool = Pool.open(dev, null);
                    assertTrue(PoolChecker.check(dev).clean());
                }
                default -> {
                    ByteBuffer got = ByteBuffer.allocate(len);
                    v.read(off, got);
                    assertArrayEquals(Arrays.copyOfRange(m, off, off + len), got.array());
                }
            }
            for (int i = 0; i < 2; i++) {
                assertArrayEquals(model[i], PoolTest.read(pool.volume("v" + i), 0, SIZE), "volume v" + i);
            }
            PoolStats.ZoneStats z = pool.stats().zones().get(0);
            assertEquals(z.total(), z.mapped() + z.pendingFree() + z.free());
            long mapped = pool.volume("v0").mappedBlocks() + pool.volume("v1").mappedBlocks();
            assertEquals(mapped, z.mapped());
        }
        pool.close();
        assertTrue(PoolChecker.check(dev).clean());
    }
}
