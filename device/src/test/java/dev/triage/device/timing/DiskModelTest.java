package dev.triage.device.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.DeviceOp;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DiskModelTest {

    private static final long CAP = DiskModel.Params.DEFAULT.capacity();

    @Property(tries = 300)
    void longerSeeksAreNeverFaster(@ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long a,
            @ForAll @LongRange(min = 0, max = 4_000_000_000_000L) long b) {
        DiskModel m = new DiskModel(DiskModel.Params.DEFAULT);
        long shorter = Math.min(a, b);
        long longer = Math.max(a, b);
        assertTrue(m.seekNanos(shorter) <= m.seekNanos(longer),
                "seek(" + shorter + ")=" + m.seekNanos(shorter) + " > seek(" + longer + ")=" + m.seekNanos(longer));
    }

    @Test
    void seekCurveHitsTheDatasheetFigures() {
        DiskModel m = new DiskModel(DiskModel.Params.DEFAULT);
        assertEquals(0, m.seekNanos(0));
        assertEquals(1_000_000, m.seekNanos(1), 1_000, "track to track");
        assertEquals(16_000_000, m.seekNanos(CAP), "full stroke");
        Random r = new Random(1);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            sum += m.seekNanos((long) (r.nextDouble() * CAP) - (long) (r.nextDouble() * CAP));
        }
        assertEquals(8_500_000, sum / n, 100_000, "average seek over random pairs");
        assertEquals(8_333_333, m.periodNanos(), 1, "7200 rpm");
    }

    @Test
    void randomReadsAverageSeekPlusHalfARotationAndSequentialStreams() {
        DiskModel m = new DiskModel(DiskModel.Params.DEFAULT);
        Random r = new Random(2);
        long clock = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            long off = (long) (r.nextDouble() * (CAP / 4096)) * 4096;
            long t = m.serviceNanos(DeviceOp.READ, off, 4096, clock);
            assertTrue(t >= 50_000 && t <= 16_000_000 + m.periodNanos() + 100_000, "service " + t);
            clock += t;
        }
        double avg = (double) clock / n;
        assertTrue(avg > 11_500_000 && avg < 13_800_000, "random 4 KiB read ≈ 8.5 + 4.2 + overhead ms: " + avg);
        long seq = 0;
        long off = 0;
        for (int i = 0; i < 1000; i++) {
            long t = m.serviceNanos(DeviceOp.READ, off, 1 << 20, clock);
            seq += t;
            clock += t;
            off += 1 << 20;
        }
        double mbps = 1000.0 * (1 << 20) / (seq / 1e9) / 1e6;
        assertTrue(mbps > 150 && mbps <= 220, "sequential at the outer zone: " + mbps + " MB/s");
    }

    @Test
    void innerZonesTransferSlower() {
        DiskModel m = new DiskModel(DiskModel.Params.DEFAULT);
        assertEquals(220_000_000, m.rateAt(0));
        assertEquals(110_000_000, m.rateAt(CAP - 1));
        long prev = Long.MAX_VALUE;
        for (long off = 0; off < CAP; off += CAP / 64) {
            assertTrue(m.rateAt(off) <= prev);
            prev = m.rateAt(off);
        }
    }

    @Test
    void sameSequenceSameTimes() {
        long[] totals = new long[2];
        for (int round = 0; round < 2; round++) {
            DiskModel m = DiskModel.ofCapacity(1L << 36);
            Random r = new Random(3);
            long clock = 0;
            for (int i = 0; i < 5000; i++) {
                DeviceOp op = r.nextBoolean() ? DeviceOp.READ : DeviceOp.WRITE;
                clock += m.serviceNanos(op, (r.nextLong(1L << 36) / 512) * 512, 512L * (1 + r.nextInt(64)), clock);
            }
            totals[round] = clock;
        }
        assertEquals(totals[0], totals[1]);
    }

    @Test
    void impossibleParametersAreRejectedByName() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DiskModel.Params(1L << 40, 7200, 1_000_000,
                8_500_000, 16_000_000, 0.25, 100_000_000, 200_000_000, 16, 0));
        assertTrue(e.getMessage().contains("innerRate"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new DiskModel(new DiskModel.Params(1L << 40, 7200,
                1_000_000, 15_000_000, 16_000_000, 0.25, 200_000_000, 100_000_000, 16, 0)));
        assertTrue(e2.getMessage().contains("averageSeekNanos"), e2.getMessage());
    }
}
