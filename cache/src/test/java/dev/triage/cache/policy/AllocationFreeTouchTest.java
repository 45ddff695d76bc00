package dev.triage.cache.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.policy.WriteMode;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Once warm, a policy allocates nothing per touch: measured with the thread's allocated-bytes
 * counter around a million touches (and discards), after a million touches of warm-up over the
 * same universe of blocks.
 */
class AllocationFreeTouchTest {
    private static final int WARM = 1_000_000;
    private static final int MEASURED = 1_000_000;
    private static SyntheticTrace trace;
    private static PolicyTable table;

    @BeforeAll
    static void makeTrace() {
        trace = SyntheticTrace.zipf(WARM + MEASURED, 50_000, 0.9, 0.02, 4, 42);
        ClassVocabulary v = new ClassVocabulary();
        Map<String, ClassPolicy> named = new LinkedHashMap<>();
        // ids 0..3 are the vocabulary's first four classes
        named.put(v.name(0), new ClassPolicy(v.name(0), 0, true, 1, false, null, WriteMode.INHERIT));
        named.put(v.name(1), new ClassPolicy(v.name(1), 10, true, 0.3, false, null, WriteMode.INHERIT));
        named.put(v.name(2), new ClassPolicy(v.name(2), 200, true, 1, true, null, WriteMode.INHERIT));
        named.put(v.name(3), new ClassPolicy(v.name(3), 100, false, 0, false, null, WriteMode.INHERIT));
        table = new PolicyTable(v, named, ClassPolicy.defaultFor("*"));
    }

    @Test
    void touchPathAllocatesNothingOnceWarm() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no allocation counter in this JVM");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(bean.isThreadAllocatedMemorySupported(), "thread allocation counting unsupported");
        bean.setThreadAllocatedMemoryEnabled(true);
        long tid = Thread.currentThread().threadId();
        long warmTouches = trace.touchesBefore(WARM);
        StringBuilder report = new StringBuilder();
        for (String name : Policies.names()) {
            CachePolicy p = Policies.create(name, 5_000, table);
            Touch t = new Touch();
            t.requestBlocks = 1;
            trace.replay(p, t, 0, WARM, 0);
            long before = bean.getThreadAllocatedBytes(tid);
            long hits = trace.replay(p, t, WARM, WARM + MEASURED, warmTouches);
            long bytes = bean.getThreadAllocatedBytes(tid) - before;
            report.append(name).append(": ").append(bytes).append(" bytes, ").append(hits).append(" hits; ");
            // the counter itself may allocate a few hundred bytes; a per-touch allocation would be MBs
            assertTrue(bytes < 16_384, name + " allocated " + bytes + " bytes over " + MEASURED + " steps");
        }
        System.out.println("allocation per policy over " + MEASURED + " steps: " + report);
    }
}
