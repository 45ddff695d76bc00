package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyTable;
import org.junit.jupiter.api.Test;

/**
 * A rough single-thread throughput measure (not JMH, not asserted): touches per second of each
 * policy on a synthetic Zipf trace. Runs only with {@code -Dtriage.bench=true}; sizes with
 * {@code -Dtriage.bench.touches}, {@code .universe}, {@code .capacity}, {@code .alpha}.
 */
class PolicyThroughputBench {

    @Test
    void touchesPerSecond() {
        assumeTrue(Boolean.getBoolean("triage.bench"), "benchmark: run with -Dtriage.bench=true");
        int touches = Integer.getInteger("triage.bench.touches", 10_000_000);
        int universe = Integer.getInteger("triage.bench.universe", 1 << 20);
        int capacity = Integer.getInteger("triage.bench.capacity", 1 << 16);
        double alpha = Double.parseDouble(System.getProperty("triage.bench.alpha", "0.99"));
        SyntheticTrace trace = SyntheticTrace.zipf(touches, universe, alpha, 0, 4, 7);
        PolicyTable table = PolicyTable.uniform(new ClassVocabulary());
        System.out.printf("Zipf alpha=%.2f, %d touches over %d blocks, capacity %d blocks%n",
                alpha, touches, universe, capacity);
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            for (String name : Policies.names()) {
                CachePolicy p = Policies.create(name, capacity, table);
                Touch t = new Touch();
                long start = System.nanoTime();
                long cpuStart = cpu.getCurrentThreadCpuTime();
                long hits = trace.replay(p, t, 0, touches, 0);
                long cpuNs = cpu.getCurrentThreadCpuTime() - cpuStart;
                long ns = System.nanoTime() - start;
                if (round == 1) {
                    System.out.printf("%-9s %6.1f M touches/s wall, %6.1f M touches/CPU-s  hit ratio %.4f%n",
                            name, touches / (ns / 1e3), touches / (cpuNs / 1e3), (double) hits / touches);
                }
            }
        }
    }
}
