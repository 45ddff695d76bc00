package dev.triage.cache.live;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.cache.replay.ClassStats;
import dev.triage.device.Buffers;
import dev.triage.device.fault.FaultyDevice;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.classify.Classifier;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import dev.triage.hints.trace.TraceOptions;
import dev.triage.hints.trace.TraceReader;
import dev.triage.hints.trace.Traces;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Warm restart after a crash, measured: half of a hinted trace is replayed through a write-back
 * live cache on a {@link FaultyDevice} (the fast side; the slow side keeps no data: hit
 * ratios do not depend on it), then the power
 * is cut (unflushed fast writes dropped or torn) and the cache recovered, and the rest is
 * replayed. The hit ratio of the first requests after recovery is printed beside the same window
 * with no crash, and after a cold restart (the cache emptied — what Open CAS's recovery leaves of
 * the clean lines), and beside the hit ratio just before the crash.
 *
 * <p>Runs only with {@code -Dtriage.bench=true} (bench/live-warm-restart.sh). Options: {@code
 * -Dtriage.bench.trace} (default shared/traces/postmark.csv.gz), {@code .policy} (dss), {@code
 * .capacity} in 4 KiB blocks (16384), {@code .window} in requests (5000).
 */
class LiveWarmRestartBench {
    enum Restart { NONE, CRASH, COLD }

    static final int BS = 4096;

    @Test
    void warmRestart() throws IOException {
        assumeTrue(Boolean.getBoolean("triage.bench"), "benchmark: run with -Dtriage.bench=true");
        Path trace = Path.of(System.getProperty("triage.bench.trace",
                Path.of(System.getProperty("triage.shared", "../shared"), "traces", "postmark.csv.gz").toString()));
        String policy = System.getProperty("triage.bench.policy", "dss");
        long capacity = Long.getLong("triage.bench.capacity", 16384);
        int window = Integer.getInteger("triage.bench.window", 5000);
        assumeTrue(Files.isRegularFile(trace), "trace not found: " + trace);

        ClassVocabulary vocab = new ClassVocabulary();
        PolicyConfig config = PolicyFile.builtin("dss", vocab);
        Trace t = Trace.load(trace, vocab, config);
        int half = t.n / 2;
        System.out.printf("warm restart: %s, %d requests (crash after %d), policy %s, write-back, capacity %d blocks"
                + " (%d MiB), window %d requests%n", trace.getFileName(), t.n, half, policy, capacity,
                capacity * BS >> 20, window);
        double[] none = run(t, config, policy, capacity, Restart.NONE, half, window);
        double[] crash = run(t, config, policy, capacity, Restart.CRASH, half, window);
        double[] cold = run(t, config, policy, capacity, Restart.COLD, half, window);
        System.out.printf("%-34s %12s %12s %12s%n", "block hit ratio", "no crash", "crash+recover", "cold (OCAS)");
        String[] rows = {"last " + window + " requests before the crash", "first " + window + " after restart",
            "first " + 4 * window + " after restart", "whole second half"};
        for (int i = 0; i < rows.length; i++) {
            System.out.printf("%-34s %12.4f %12.4f %12.4f%n", rows[i], none[i], crash[i], cold[i]);
        }
        System.out.printf("%-34s %12s %12.0f %12s%n", "lines recovered", "-", crash[4], "0");
        System.out.printf("%-34s %12s %12.1f %12s%n", "recovery time (ms)", "-", crash[5], "-");
        // the runs must have seen the same first half, and recovery must have found lines
        org.junit.jupiter.api.Assertions.assertEquals(none[0], crash[0], 1e-12, "the same trace before the crash");
        org.junit.jupiter.api.Assertions.assertTrue(crash[4] > 0, "recovery kept lines");
    }

    /** Hit ratios: before the crash, the first window, four windows, the whole second half; lines; ms. */
    static double[] run(Trace t, PolicyConfig config, String policy, long capacity, Restart restart, int half,
            int window) throws IOException {
        int slots = (int) (capacity + LiveCache.reserveOf((int) capacity) + 8);
        long fastBytes = ((4L << 20) + (long) slots * BS + (long) slots * 70) & -4096L;
        FaultyDevice fast = new FaultyDevice(fastBytes);
        Backing backing = new NullBacking(t.maxEnd + BS);
        LiveCache.Options options = LiveCache.Options.of(policy, config.table(), CacheMode.WRITE_BACK)
                .withBackgroundDestage(false).withCapacity(capacity);
        LiveCache cache = LiveCache.format(fast, BS, options, v -> backing);
        ByteBuffer buf = Buffers.allocateAligned(t.maxLength);
        long[] marks = new long[8]; // touches/hits at: half-window, half, half+w, half+4w, end
        replay(cache, t, buf, 0, half - window);
        long[] a = totals(cache);
        replay(cache, t, buf, half - window, half);
        long[] b = totals(cache);
        double before = ratio(a, b);
        long offTouches = 0;
        long offHits = 0;
        double lines = 0;
        double ms = 0;
        switch (restart) {
            case NONE -> { }
            case CRASH -> {
                fast.crash(20261125L);
                offTouches = b[0];
                offHits = b[1];
                cache = LiveCache.open(fast, options, v -> backing);
                lines = cache.stats().recoveredLines();
                ms = cache.stats().recoveryMillis();
            }
            case COLD -> {
                cache.destageAll();
                offTouches = b[0];
                offHits = b[1];
                cache = LiveCache.format(fast, BS, options, v -> backing);
            }
        }
        long[] start = restart == Restart.NONE ? b : new long[] {0, 0};
        replay(cache, t, buf, half, half + window);
        long[] w1 = totals(cache);
        replay(cache, t, buf, half + window, Math.min(t.n, half + 4 * window));
        long[] w4 = totals(cache);
        replay(cache, t, buf, Math.min(t.n, half + 4 * window), t.n);
        long[] end = totals(cache);
        cache.close();
        Arrays.fill(marks, 0);
        return new double[] {before, ratio(start, w1), ratio(start, w4), ratio(start, end), lines, ms};
    }

    static long[] totals(LiveCache c) {
        ClassStats s = c.stats().touches();
        return new long[] {s.totalTouches(), s.totalHits()};
    }

    static double ratio(long[] from, long[] to) {
        long touches = to[0] - from[0];
        return touches == 0 ? Double.NaN : (double) (to[1] - from[1]) / touches;
    }

    static void replay(LiveCache cache, Trace t, ByteBuffer buf, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            if (t.op[i] == Op.FLUSH) {
                cache.flush(0);
                continue;
            }
            int len = t.length[i];
            if (len == 0) {
                continue;
            }
            buf.clear().limit(len);
            switch (t.op[i]) {
                case READ -> cache.read(0, t.offset[i], buf, t.cls[i]);
                case WRITE -> cache.write(0, t.offset[i], buf, t.cls[i], false);
                case DISCARD -> cache.discard(0, t.offset[i], len);
                default -> { }
            }
        }
    }

    /** A slow side that keeps nothing (reads zeros): enough to count hits, and no memory for 4 GiB. */
    record NullBacking(long size) implements Backing {
        @Override
        public void read(long offset, ByteBuffer dst) {
            for (int i = dst.position(); i < dst.limit(); i++) {
                dst.put(i, (byte) 0);
            }
            dst.position(dst.limit());
        }

        @Override
        public void write(long offset, ByteBuffer src, int ioClass, boolean fua) {
            src.position(src.limit());
        }

        @Override
        public void discard(long offset, long length) {
        }

        @Override
        public void writeZeroes(long offset, long length, boolean fua) {
        }

        @Override
        public void flush() {
        }
    }

    /** A trace in memory, classified. */
    static final class Trace {
        Op[] op = new Op[1 << 16];
        long[] offset = new long[1 << 16];
        int[] length = new int[1 << 16];
        int[] cls = new int[1 << 16];
        int n;
        long maxEnd;
        int maxLength = BS;

        static Trace load(Path path, ClassVocabulary vocab, PolicyConfig config) throws IOException {
            Trace t = new Trace();
            Classifier classifier = config.classifier();
            BlockRequest q = new BlockRequest();
            try (TraceReader r = Traces.open(path, TraceOptions.defaults(vocab))) {
                classifier.bind(r.processes(), r.volumes());
                while (r.next(q)) {
                    if (t.n == t.op.length) {
                        t.op = Arrays.copyOf(t.op, t.n * 2);
                        t.offset = Arrays.copyOf(t.offset, t.n * 2);
                        t.length = Arrays.copyOf(t.length, t.n * 2);
                        t.cls = Arrays.copyOf(t.cls, t.n * 2);
                    }
                    t.op[t.n] = q.op;
                    t.offset[t.n] = q.offset;
                    t.length[t.n] = (int) q.length;
                    t.cls[t.n] = classifier.classify(q);
                    t.maxEnd = Math.max(t.maxEnd, q.offset + q.length);
                    t.maxLength = Math.max(t.maxLength, (int) q.length);
                    t.n++;
                }
            }
            t.maxEnd = (t.maxEnd + (1 << 20) - 1) & -(1L << 20);
            return t;
        }
    }
}
