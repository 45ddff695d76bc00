package dev.triage.cache.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.cache.policy.Policies;
import dev.triage.cache.replay.ClassStats;
import dev.triage.cache.replay.ReplayEngine;
import dev.triage.cache.replay.Simulation;
import dev.triage.device.Buffers;
import dev.triage.device.MemoryDevice;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.classify.Classifier;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import dev.triage.hints.trace.TraceOptions;
import dev.triage.hints.trace.TraceReader;
import dev.triage.hints.trace.Traces;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The live cache and the simulator share the policy code: on a real hinted trace their hit
 * counts must agree, per class, to the last hit.
 */
class LiveCacheSimulatorTest {
    @ParameterizedTest
    @CsvSource({"lru,WRITE_THROUGH", "dss,WRITE_BACK", "s3fifo,WRITE_BACK", "arc,WRITE_THROUGH"})
    void liveHitsEqualSimulatedHits(String policy, CacheMode mode) throws Exception {
        Path trace = Path.of(System.getProperty("triage.shared", "../shared"), "traces", "devtree.csv.gz");
        assumeTrue(Files.isRegularFile(trace), "shared traces not found: " + trace);
        ClassVocabulary vocab = new ClassVocabulary();
        PolicyConfig config = PolicyFile.builtin("dss", vocab);
        long capacity = 2048; // 8 MiB of 4 KiB lines

        Simulation sim = new Simulation(policy, capacity * 4096, Policies.create(policy, capacity, config.table()));
        try (TraceReader r = Traces.open(trace, TraceOptions.defaults(vocab))) {
            new ReplayEngine(4096, 1, null).run(r, config.classifier(), List.of(sim));
        }

        MemoryDevice slow = new MemoryDevice(8L << 30);
        MemoryDevice fast = new MemoryDevice(64L << 20);
        DeviceBacking backing = new DeviceBacking(slow);
        LiveCache.Options options = LiveCache.Options.of(policy, config.table(), mode).withCapacity(capacity);
        ClassStats live;
        try (LiveCache cache = LiveCache.format(fast, 4096, options, v -> backing)) {
            ByteBuffer buf = Buffers.allocateAligned(8 << 20);
            BlockRequest q = new BlockRequest();
            Classifier classifier = config.classifier();
            try (TraceReader r = Traces.open(trace, TraceOptions.defaults(vocab))) {
                classifier.bind(r.processes(), r.volumes());
                while (r.next(q)) {
                    int c = classifier.classify(q);
                    if (q.op == Op.FLUSH) {
                        cache.flush(0);
                        continue;
                    }
                    if (q.length == 0) {
                        continue;
                    }
                    buf.clear().limit((int) q.length);
                    switch (q.op) {
                        case READ -> cache.read(0, q.offset, buf, c);
                        case WRITE -> cache.write(0, q.offset, buf, c, false);
                        case DISCARD -> cache.discard(0, q.offset, q.length);
                        default -> { }
                    }
                }
            }
            live = cache.stats().touches();
        }
        ClassStats simulated = sim.stats();
        assertEquals(simulated.totalTouches(), live.totalTouches(), "touches");
        assertEquals(simulated.totalHits(), live.totalHits(), "hits");
        for (int c = 0; c < Math.max(simulated.classes(), live.classes()); c++) {
            assertEquals(simulated.hits(c), live.hits(c), "hits of class " + c);
            assertEquals(simulated.readHits(c), live.readHits(c), "read hits of class " + c);
        }
    }
}
