package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Threads writing, discarding and flushing on their own volumes and on a shared one. */
class ConcurrencyTest {
    static final int VOL = 256 * 1024;

    @Test
    void concurrentRequestsKeepEveryVolumeExact() throws Exception {
        TestDevice dev = new TestDevice(8 << 20);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        int threads = 6;
        for (int i = 0; i < 3; i++) {
            pool.createVolume("own" + i, VOL);
        }
        pool.createVolume("shared", VOL);
        // threads 0..2 own a volume each; threads 3..5 share one volume, each in its own third
        byte[][] model = new byte[threads][];
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            fs.add(ex.submit(() -> {
                Random r = new Random(id);
                Volume v = pool.volume(id < 3 ? "own" + id : "shared");
                int base = id < 3 ? 0 : (id - 3) * (VOL / 3 / 4096) * 4096;
                int span = id < 3 ? VOL : (VOL / 3 / 4096) * 4096;
                byte[] m = new byte[span];
                for (int i = 0; i < 400; i++) {
                    int off = r.nextInt(span);
                    int len = Math.min(span - off, 1 + r.nextInt(10_000));
                    int k = r.nextInt(10);
                    if (k < 6) {
                        byte[] d = new byte[len];
                        r.nextBytes(d);
                        v.write(base + off, ByteBuffer.wrap(d), r.nextInt(4) - 1, r.nextInt(20) == 0);
                        System.arraycopy(d, 0, m, off, len);
                    } else if (k < 8) {
                        v.writeZeroes(base + off, len, false);
                        java.util.Arrays.fill(m, off, off + len, (byte) 0);
                    } else if (k < 9) {
                        v.flush();
                    } else {
                        ByteBuffer got = ByteBuffer.allocate(len);
                        v.read(base + off, got);
                        assertArrayEquals(java.util.Arrays.copyOfRange(m, off, off + len), got.array());
                    }
                }
                model[id] = m;
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        ex.shutdown();
        pool.close();
        Pool again = Pool.open(dev, null);
        for (int t = 0; t < threads; t++) {
            Volume v = again.volume(t < 3 ? "own" + t : "shared");
            int base = t < 3 ? 0 : (t - 3) * (VOL / 3 / 4096) * 4096;
            assertArrayEquals(model[t], PoolTest.read(v, base, model[t].length), "thread " + t);
        }
        assertTrue(PoolChecker.check(dev).clean(), PoolChecker.check(dev).format());
        PoolStats.ZoneStats z = again.stats().zones().get(0);
        assertEquals(z.total(), z.mapped() + z.free());
    }
}
