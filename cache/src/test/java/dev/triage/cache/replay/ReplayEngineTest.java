package dev.triage.cache.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triage.cache.policy.Policies;
import dev.triage.cache.policy.Touch;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.classify.Classifier;
import dev.triage.hints.policy.PolicyTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReplayEngineTest {
    private final ClassVocabulary vocab = new ClassVocabulary();

    static BlockRequest req(Op op, long offset, long length, int tag) {
        BlockRequest r = new BlockRequest();
        r.op = op;
        r.offset = offset;
        r.length = length;
        r.tag = tag;
        return r;
    }

    static List<BlockRequest> randomTrace(long seed, int n, int blocks) {
        Random rnd = new Random(seed);
        List<BlockRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int p = rnd.nextInt(100);
            Op op = p < 55 ? Op.READ : p < 90 ? Op.WRITE : p < 96 ? Op.DISCARD : Op.FLUSH;
            long block = rnd.nextInt(blocks);
            long len = op == Op.FLUSH ? 0 : 512L * (1 + rnd.nextInt(24));
            long off = op == Op.FLUSH ? 0 : block * 4096 + 512L * rnd.nextInt(8);
            out.add(req(op, off, len, rnd.nextInt(5)));
        }
        return out;
    }

    @Test
    void expandsRequestsToOverlappedBlocks() throws IOException {
        List<BlockRequest> t = List.of(
                req(Op.READ, 4096 - 512, 1024, 1),   // blocks 0 and 1
                req(Op.WRITE, 8192, 4096, 1),        // block 2
                req(Op.FLUSH, 0, 0, -1),
                req(Op.READ, 0, 12288, 2),           // blocks 0,1,2: all hits
                req(Op.DISCARD, 4096, 4096, -1),     // drops block 1
                req(Op.READ, 4096, 1, 2));           // block 1: a miss
        Simulation lru = new Simulation("lru", 1 << 20, Policies.create("lru", 256, null));
        TraceTotals totals = new ReplayEngine(4096, 1, null).run(new ListTraceReader(t), Classifier.tagsOnly(vocab),
                List.of(lru));
        assertEquals(7, totals.touches());
        assertEquals(1, totals.discardedBlocks());
        assertEquals(6, totals.requests());
        assertEquals(3, lru.stats().totalHits());
        assertEquals(7, lru.stats().totalTouches());
        assertEquals(4, lru.stats().touches(2));
        assertEquals(3, lru.stats().hits(2));
        assertEquals(0, lru.stats().hits(1));
        assertEquals(6, lru.stats().totalReadTouches());
    }

    /** The reverse pass against the definition, computed the slow way. */
    @Property(tries = 60)
    void nextUseMatchesTheDefinition(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int blocks) {
        List<BlockRequest> trace = randomTrace(seed, 400, blocks);
        TouchExpander ex = new TouchExpander(4096);
        List<long[]> flat = new ArrayList<>(); // {block, kind}
        List<TouchBatch> log = new ArrayList<>();
        TouchBatch b = new TouchBatch(7); // tiny batches: crossing batch edges is the point
        b.reset(0);
        log.add(b);
        long index = 0;
        for (BlockRequest r : trace) {
            byte kind = TouchExpander.kindOf(r.op);
            if (kind < 0) {
                continue;
            }
            for (long i = 0; i < ex.blockCount(r); i++) {
                if (b.full()) {
                    b = new TouchBatch(7);
                    b.reset(index);
                    log.add(b);
                }
                b.add(ex.firstBlock(r) + i, 0, kind, 0, 1);
                flat.add(new long[] {ex.firstBlock(r) + i, kind});
                index++;
            }
        }
        ReplayEngine.computeNextUse(log);
        int k = 0;
        for (TouchBatch batch : log) {
            for (int i = 0; i < batch.count; i++, k++) {
                long expected = Touch.NEVER;
                if (flat.get(k)[1] != TouchBatch.DISCARD) {
                    for (int j = k + 1; j < flat.size(); j++) {
                        if (flat.get(j)[0] == flat.get(k)[0]) {
                            expected = flat.get(j)[1] == TouchBatch.DISCARD ? Touch.NEVER : j;
                            break;
                        }
                    }
                }
                assertEquals(expected, batch.nextUse[i], "touch " + k);
            }
        }
    }

    private long[][] run(List<BlockRequest> trace, int threads, List<String> policies, long capacity) throws IOException {
        return run(trace, threads, policies, capacity, Long.MAX_VALUE);
    }

    private long[][] run(List<BlockRequest> trace, int threads, List<String> policies, long capacity, long spoolAbove)
            throws IOException {
        List<Simulation> sims = new ArrayList<>();
        for (String p : policies) {
            sims.add(new Simulation(p, capacity * 4096, Policies.create(p, capacity, PolicyTable.uniform(vocab))));
        }
        new ReplayEngine(4096, threads, null).spoolAbove(spoolAbove, spoolDir)
                .run(new ListTraceReader(trace), Classifier.tagsOnly(vocab), sims);
        long[][] out = new long[sims.size()][];
        for (int i = 0; i < sims.size(); i++) {
            ClassStats s = sims.get(i).stats();
            long[] v = new long[4 * 8];
            for (int c = 0; c < 8; c++) {
                v[4 * c] = s.touches(c);
                v[4 * c + 1] = s.hits(c);
                v[4 * c + 2] = s.readTouches(c);
                v[4 * c + 3] = s.readHits(c);
            }
            out[i] = v;
        }
        return out;
    }

    /** Whatever the number of threads, and in streaming or gathered mode, the counts are the same. */
    @Property(tries = 15)
    void resultsDoNotDependOnThreads(@ForAll long seed) throws IOException {
        List<BlockRequest> trace = randomTrace(seed, 30_000, 3000);
        List<String> all = Policies.names();
        long[][] one = run(trace, 1, all, 700);
        long[][] three = run(trace, 3, all, 700);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], three[i], all.get(i));
        }
        List<String> noOpt = all.stream().filter(p -> !p.equals("opt")).toList();
        long[][] streamed = run(trace, 2, noOpt, 700);
        for (int i = 0; i < noOpt.size(); i++) {
            assertArrayEquals(one[all.indexOf(noOpt.get(i))], streamed[i], noOpt.get(i));
        }
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path spoolDir;

    /** The optimum spooled to disk (several chunks, a partial last one) scores as in memory; the files go. */
    @Test
    void spooledOptimumAgreesWithInMemory() throws IOException {
        List<BlockRequest> trace = randomTrace(99, 20_000, 2500); // ~60K touches: 8 chunks
        List<String> policies = List.of("opt", "lru", "dss");
        long[][] memory = run(trace, 1, policies, 600);
        long[][] spooledEarly = run(trace, 1, policies, 600, 1);
        long[][] spooledLate = run(trace, 2, policies, 600, 3 * ReplayEngine.BATCH);
        for (int i = 0; i < policies.size(); i++) {
            assertArrayEquals(memory[i], spooledEarly[i], policies.get(i));
            assertArrayEquals(memory[i], spooledLate[i], policies.get(i));
        }
        assertEquals(0, java.nio.file.Files.list(spoolDir).count(), "temporary files are deleted");
        org.junit.jupiter.api.Assertions.assertTrue(memory[0][1] + memory[0][5] > 0, "opt hits something");
    }
}
