package dev.triage.cache.replay;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.cache.policy.Policies;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.classify.Classifier;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.trace.TraceOptions;
import dev.triage.hints.trace.TraceReader;
import dev.triage.hints.trace.Traces;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The allocation counter of the thread says the reader of hinted CSV (all columns) and the
 * replay loop allocate nothing per request or touch: reading or replaying four times the
 * requests allocates no more than a fixed amount (buffers, tables grown once) beyond the first.
 * With one thread the engine reads, classifies and simulates on the calling thread.
 */
class NoAllocationPerTouchTest {
    static final String[] CLASSES = {"inode", "directory", "journal", "file_4k", "file_256k"};
    static final String[] COMMS = {"tar", "postmark", "kworker/0:1H", "jbd2/loop0-8"};

    static byte[] trace(int requests) {
        StringBuilder b = new StringBuilder("# hinted block trace v1\n# block_size=4096\n"
                + "ts_ns,op,offset,length,class,file_size,flags,ioprio,comm\n");
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < requests; i++) {
            boolean w = rnd.nextInt(3) == 0;
            long block = (long) (20_000 * Math.pow(rnd.nextDouble(), 2));
            b.append(i * 1000L).append(w ? ",W," : ",R,").append(block * 4096).append(',')
                    .append(4096 * (1 + rnd.nextInt(4))).append(',').append(CLASSES[rnd.nextInt(CLASSES.length)])
                    .append(',').append(rnd.nextInt(2) == 0 ? "" : Integer.toString(4096 * rnd.nextInt(100)))
                    .append(',').append(w ? "WS" : "RM").append(",be:0:4,").append(COMMS[rnd.nextInt(COMMS.length)])
                    .append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static com.sun.management.ThreadMXBean counter() {
        var mx = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
                "this JVM counts no allocated bytes per thread");
        return (com.sun.management.ThreadMXBean) mx;
    }

    long readAllocated(byte[] data, ClassVocabulary v) throws IOException {
        var mx = counter();
        long before = mx.getCurrentThreadAllocatedBytes();
        long n = 0;
        try (TraceReader r = Traces.open(new ByteArrayInputStream(data), "t.csv", TraceOptions.defaults(v))) {
            BlockRequest q = new BlockRequest();
            while (r.next(q)) {
                n++;
            }
        }
        assertTrue(n > 0);
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    long replayAllocated(byte[] data, ClassVocabulary v, String policy) throws IOException {
        var mx = counter();
        Simulation sim = new Simulation(policy, 0, Policies.create(policy, 4000, PolicyTable.uniform(v)));
        long before = mx.getCurrentThreadAllocatedBytes();
        try (TraceReader r = Traces.open(new ByteArrayInputStream(data), "t.csv", TraceOptions.defaults(v))) {
            new ReplayEngine(4096, 1, null).run(r, Classifier.tagsOnly(v), List.of(sim));
        }
        return mx.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void readerAndReplayAllocateNothingPerRequest() throws IOException {
        ClassVocabulary v = new ClassVocabulary();
        byte[] small = trace(25_000);
        byte[] large = trace(100_000);
        for (int warm = 0; warm < 3; warm++) { // let the JIT settle (escape analysis)
            readAllocated(large, v);
        }
        long extra = readAllocated(large, v) - readAllocated(small, v);
        assertTrue(extra < 64 * 1024, "reading 75,000 more requests allocated " + extra + " bytes");
        for (String p : List.of("lru", "fifo", "clock", "sieve", "arc", "2q", "s3fifo", "wtinylfu", "dss")) {
            for (int warm = 0; warm < 2; warm++) {
                replayAllocated(large, v, p);
            }
            long more = replayAllocated(large, v, p) - replayAllocated(small, v, p);
            // ~190,000 more touches: a few bytes each would be ~1 MB
            assertTrue(more < 128 * 1024, p + ": replaying 75,000 more requests allocated " + more + " bytes");
        }
    }
}
