package dev.triage.cache.live;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.device.Buffers;
import dev.triage.device.FileDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The Java side of bench/live-randio.sh: 4 KiB random writes, then random reads, through a
 * {@link CachedPool} volume (pool on one O_DIRECT file, cache on another) from N threads with one
 * request each; prints {@code key=value} lines (IOPS per phase, the hit ratio, the metadata heap
 * of the pool per GiB written and the cache's per line). Runs only with {@code
 * -Dtriage.bench=true}; {@code -Dtriage.bench.dir}, {@code .size} (volume bytes), {@code .cache}
 * (cache bytes), {@code .threads}, {@code .seconds}, {@code .mode} (write-back).
 */
class LiveRandIoBench {
    @Test
    void randomIo() throws Exception {
        assumeTrue(Boolean.getBoolean("triage.bench"), "benchmark: run with -Dtriage.bench=true");
        Path dir = Path.of(System.getProperty("triage.bench.dir", "target/bench"));
        long size = Long.getLong("triage.bench.size", 1L << 30);
        long cacheBytes = Long.getLong("triage.bench.cache", 256L << 20);
        int threads = Integer.getInteger("triage.bench.threads", 4);
        int seconds = Integer.getInteger("triage.bench.seconds", 10);
        CacheMode mode = CacheMode.parse(System.getProperty("triage.bench.mode", "write-back"));
        Files.createDirectories(dir);
        Path slowPath = dir.resolve("live-slow.img");
        Path fastPath = dir.resolve("live-fast.img");
        Files.deleteIfExists(slowPath);
        Files.deleteIfExists(fastPath);
        ClassVocabulary vocab = new ClassVocabulary();
        PolicyConfig config = PolicyFile.builtin("dss", vocab);
        int cls = vocab.intern("file_64k");
        try (FileDevice slow = FileDevice.create(slowPath, size + size / 8 + (64L << 20));
                FileDevice fast = FileDevice.create(fastPath, cacheBytes)) {
            CachedPool p = CachedPool.create(slow, fast, config, new CachedPool.CacheSpec("dss", mode));
            CachedVolume v = p.createVolume("bench", size);
            // fill the volume once, so that reads reach mapped blocks (1 MiB writes)
            ByteBuffer big = Buffers.allocateAligned(1 << 20);
            for (long off = 0; off < size; off += 1 << 20) {
                big.clear();
                v.write(off, big, cls, false);
            }
            v.flush();
            p.cache().destageAll();
            System.out.printf("heap_pool_bytes_per_gib_written=%.0f%n",
                    p.pool().metadataHeapBytes() / (size / (double) (1L << 30)));
            System.out.printf("cache_lines=%d cache_heap_bytes_per_line=%d%n", p.cache().stats().slots(),
                    LiveCache.heapBytesPerSlot());
            for (String phase : List.of("randwrite", "randread")) {
                LiveCacheStats before = p.cache().stats();
                long ops = run(v, phase.equals("randwrite"), threads, seconds, size, cls);
                LiveCacheStats after = p.cache().stats();
                long touches = after.touches().totalTouches() - before.touches().totalTouches();
                long hits = after.touches().totalHits() - before.touches().totalHits();
                System.out.printf("mode=%s runner=triage-cached-pool iops=%.0f hit_ratio=%.3f threads=%d seconds=%d%n",
                        phase, ops / (double) seconds, touches == 0 ? 0 : hits / (double) touches, threads, seconds);
                org.junit.jupiter.api.Assertions.assertTrue(ops > 0, phase + ": no request completed");
            }
            p.close();
        } finally {
            Files.deleteIfExists(slowPath);
            Files.deleteIfExists(fastPath);
        }
    }

    static long run(CachedVolume v, boolean write, int threads, int seconds, long size, int cls) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        LongAdder done = new LongAdder();
        List<Thread> ts = new ArrayList<>();
        List<Exception> errors = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int seed = t;
            ts.add(Thread.ofPlatform().start(() -> {
                SplittableRandom r = new SplittableRandom(seed);
                ByteBuffer b = Buffers.allocateAligned(4096);
                long blocks = size / 4096;
                try {
                    while (!stop.get()) {
                        long off = r.nextLong(blocks) * 4096;
                        b.clear();
                        if (write) {
                            v.write(off, b, cls, false);
                        } else {
                            v.read(off, b, cls);
                        }
                        done.increment();
                    }
                } catch (Exception e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }));
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : ts) {
            t.join();
        }
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
        return done.sum();
    }
}
