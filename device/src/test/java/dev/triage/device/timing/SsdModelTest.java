package dev.triage.device.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.DeviceOp;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SsdModelTest {

    @Test
    void smallOpsCostTheirLatency() {
        SsdModel m = new SsdModel();
        assertEquals(80_000, m.serviceNanos(DeviceOp.READ, 0, 4096, 0));
        assertEquals(20_000, m.serviceNanos(DeviceOp.WRITE, 0, 4096, 0));
        assertEquals(50_000, m.serviceNanos(DeviceOp.DISCARD, 0, 1 << 20, 0));
        assertEquals(100_000, m.serviceNanos(DeviceOp.FLUSH, 0, 0, 0));
    }

    @Property(tries = 100)
    void largerReadsNeverFaster(@ForAll @IntRange(min = 1, max = 4096) int a, @ForAll @IntRange(min = 1, max = 4096) int b) {
        SsdModel m = new SsdModel();
        long small = 4096L * Math.min(a, b);
        long large = 4096L * Math.max(a, b);
        assertTrue(m.serviceNanos(DeviceOp.READ, 0, small, 0) <= m.serviceNanos(DeviceOp.READ, 0, large, 0));
    }

    @Test
    void channelsServeALargeReadInParallel() {
        // an interface fast enough (8 GB/s) that the flash channels are the limit
        SsdModel.Params one = new SsdModel.Params(80_000, 20_000, 16384, 1, 50_000, 8_000_000_000L, 8_000_000_000L,
                256L << 20, 400_000_000, 50_000, 100_000, false);
        SsdModel.Params eight = new SsdModel.Params(80_000, 20_000, 16384, 8, 50_000, 8_000_000_000L, 8_000_000_000L,
                256L << 20, 400_000_000, 50_000, 100_000, false);
        long serial = new SsdModel(one).serviceNanos(DeviceOp.READ, 0, 1 << 20, 0);
        long parallel = new SsdModel(eight).serviceNanos(DeviceOp.READ, 0, 1 << 20, 0);
        assertEquals(80_000 + 63 * 50_000, serial);
        assertEquals(80_000 + 7 * 50_000, parallel);
        assertTrue(parallel < serial / 2, "8 channels " + parallel + " vs 1 channel " + serial);
    }

    @Test
    void sustainedWritesCostMoreThanReadsOnceTheCacheIsFull() {
        SsdModel m = new SsdModel();
        long clock = 0;
        long writes = 0;
        for (int i = 0; i < 2048; i++) { // 2 GiB, eight times the write cache
            long t = m.serviceNanos(DeviceOp.WRITE, (long) i << 20, 1 << 20, clock);
            writes += t;
            clock += t;
        }
        long reads = 0;
        for (int i = 0; i < 2048; i++) {
            long t = m.serviceNanos(DeviceOp.READ, (long) i << 20, 1 << 20, clock);
            reads += t;
            clock += t;
        }
        double writeMBps = 2048.0 * (1 << 20) / (writes / 1e9) / 1e6;
        double readMBps = 2048.0 * (1 << 20) / (reads / 1e9) / 1e6;
        assertTrue(writes > reads, "write " + writeMBps + " MB/s vs read " + readMBps + " MB/s");
        assertTrue(writeMBps < 480 && writeMBps > 380, "sustained writes near the program rate: " + writeMBps);
        assertTrue(m.cacheUsed(clock + 10_000_000_000L) == 0, "idle time drains the cache");
    }
}
