package dev.triage.bench;

import dev.triage.cache.collect.LongLongMap;
import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.Policies;
import dev.triage.cache.policy.Touch;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The touch path of each policy: a fresh policy of 2^16 blocks replays 2^20 touches of a Zipf
 * (s = 0.9) distribution over 2^21 blocks, reads with a class out of 8; one operation is one
 * touch. OPT gets each touch's next use, computed once in the setup.
 *
 * <pre>java -jar bench/jmh/target/benchmarks.jar PolicyTouch -p policy=lru,arc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyTouchBenchmark {
    static final int TOUCHES = 1 << 20;
    static final int CAPACITY = 1 << 16;

    @Param({"lru", "fifo", "clock", "sieve", "arc", "2q", "s3fifo", "wtinylfu", "dss", "opt"})
    public String policy;

    long[] blocks;
    int[] classes;
    long[] nextUse;
    final Touch touch = new Touch();
    CachePolicy cache;

    @Setup(Level.Trial)
    public void trace() {
        blocks = Zipf.blocks(TOUCHES, 1 << 21, 0.9, 42);
        classes = new int[TOUCHES];
        for (int i = 0; i < TOUCHES; i++) {
            classes[i] = (int) (blocks[i] & 7);
        }
        nextUse = new long[TOUCHES];
        LongLongMap next = new LongLongMap(1 << 20, Touch.NEVER);
        for (int i = TOUCHES - 1; i >= 0; i--) {
            nextUse[i] = next.put(blocks[i], i);
        }
    }

    @Setup(Level.Invocation)
    public void fresh() {
        cache = Policies.create(policy, CAPACITY, null);
    }

    @Benchmark
    @OperationsPerInvocation(TOUCHES)
    public long replay() {
        CachePolicy c = cache;
        Touch t = touch;
        long hits = 0;
        for (int i = 0; i < TOUCHES; i++) {
            t.block = blocks[i];
            t.ioClass = classes[i];
            t.index = i;
            t.nextUse = nextUse[i];
            t.requestBlocks = 1;
            if (c.access(t)) {
                hits++;
            }
        }
        return hits;
    }

    /** A Zipf sample by inverse transform over a precomputed CDF; block ids scrambled so hot blocks are not adjacent. */
    static final class Zipf {
        private Zipf() {}

        static long[] blocks(int n, int universe, double s, long seed) {
            double[] cdf = new double[universe];
            double sum = 0;
            for (int k = 0; k < universe; k++) {
                sum += 1.0 / Math.pow(k + 1, s);
                cdf[k] = sum;
            }
            SplittableRandom rnd = new SplittableRandom(seed);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                double u = rnd.nextDouble() * sum;
                int lo = 0;
                int hi = universe - 1;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (cdf[mid] < u) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                out[i] = (lo * 0x9E3779B97F4A7C15L) >>> 24;
            }
            return out;
        }
    }
}
