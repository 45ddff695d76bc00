package dev.triage.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.trace.TraceOptions;
import dev.triage.hints.trace.TraceReader;
import dev.triage.hints.trace.Traces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI's LRU, FIFO and OPT hit counts on the real postmark trace, at 16 MiB and 64 MiB,
 * against deliberately simple implementations of the replay semantics written here from
 * {@code trace-format.md} alone (collections from the JDK, no code of the policies).
 */
class PostmarkReferenceTest {
    static final long[] SIZES = {16L << 20, 64L << 20};
    static Path trace;
    static List<long[]> touches; // {block, kind 0 read 1 write 2 discard, classId}
    static ClassVocabulary vocab = new ClassVocabulary();

    @BeforeAll
    static void load() throws IOException {
        trace = Path.of(System.getProperty("triage.shared", "../shared"), "traces", "postmark.csv.gz");
        assumeTrue(Files.isRegularFile(trace), "the shared postmark trace is not beside the repository: " + trace);
        touches = new ArrayList<>();
        try (TraceReader r = Traces.open(trace, TraceOptions.defaults(vocab))) {
            BlockRequest q = new BlockRequest();
            while (r.next(q)) {
                if (q.op == Op.FLUSH || q.length == 0) {
                    continue;
                }
                long kind = q.op == Op.READ ? 0 : q.op == Op.WRITE ? 1 : 2;
                for (long b = q.offset / 4096; b <= (q.offset + q.length - 1) / 4096; b++) {
                    touches.add(new long[] {b, kind, q.tag});
                }
            }
        }
    }

    /** Hits per class (index = class id) and the total at the end. */
    static long[] lru(long capacity) {
        LinkedHashMap<Long, Boolean> cache = new LinkedHashMap<>(16, 0.75f, true);
        long[] hits = new long[vocab.size() + 1];
        for (long[] t : touches) {
            if (t[1] == 2) {
                cache.remove(t[0]);
                continue;
            }
            if (cache.get(t[0]) != null) {
                hits[(int) t[2]]++;
                hits[hits.length - 1]++;
            } else if (capacity > 0) {
                if (cache.size() == capacity) {
                    cache.remove(cache.keySet().iterator().next());
                }
                cache.put(t[0], true);
            }
        }
        return hits;
    }

    static long[] fifo(long capacity) {
        ArrayDeque<Long> queue = new ArrayDeque<>();
        Set<Long> in = new HashSet<>();
        long[] hits = new long[vocab.size() + 1];
        for (long[] t : touches) {
            if (t[1] == 2) {
                if (in.remove(t[0])) {
                    queue.remove(t[0]);
                }
                continue;
            }
            if (in.contains(t[0])) {
                hits[(int) t[2]]++;
                hits[hits.length - 1]++;
            } else if (capacity > 0) {
                if (in.size() == capacity) {
                    in.remove(queue.removeFirst());
                }
                queue.addLast(t[0]);
                in.add(t[0]);
            }
        }
        return hits;
    }

    static long[] opt(long capacity) {
        int n = touches.size();
        long[] next = new long[n];
        Map<Long, Long> seen = new HashMap<>();
        for (int i = n - 1; i >= 0; i--) {
            long[] t = touches.get(i);
            if (t[1] == 2) {
                seen.remove(t[0]);
                next[i] = Long.MAX_VALUE;
            } else {
                next[i] = seen.getOrDefault(t[0], Long.MAX_VALUE);
                seen.put(t[0], (long) i);
            }
        }
        // Cached blocks ordered by next use; ties (never again) broken by block number.
        TreeSet<long[]> byNext = new TreeSet<>((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        Map<Long, Long> nextOf = new HashMap<>();
        long[] hits = new long[vocab.size() + 1];
        for (int i = 0; i < n; i++) {
            long[] t = touches.get(i);
            long block = t[0];
            if (t[1] == 2) {
                Long nu = nextOf.remove(block);
                if (nu != null) {
                    byNext.remove(new long[] {nu, block});
                }
                continue;
            }
            Long nu = nextOf.get(block);
            if (nu != null) {
                hits[(int) t[2]]++;
                hits[hits.length - 1]++;
                byNext.remove(new long[] {nu, block});
                byNext.add(new long[] {next[i], block});
                nextOf.put(block, next[i]);
                continue;
            }
            if (capacity == 0) {
                continue;
            }
            if (nextOf.size() == capacity) {
                long[] furthest = byNext.last();
                if (furthest[0] <= next[i]) {
                    continue; // the missed block is furthest: not admitted
                }
                byNext.remove(furthest);
                nextOf.remove(furthest[1]);
            }
            byNext.add(new long[] {next[i], block});
            nextOf.put(block, next[i]);
        }
        return hits;
    }

    @Test
    void lruFifoAndOptAgreeToTheLastHit() {
        CliRun run = CliRun.of("compare", "--trace", trace.toString(), "--policies", "lru,fifo,opt",
                "--cache", "16MiB,64MiB", "--csv", "--no-progress");
        assertEquals(0, run.exit, run.err);
        Map<String, Long> cliHits = new HashMap<>();
        String[] lines = run.out.split("\n");
        assertEquals("policy,cache_bytes,class,touches,hits,hit_ratio,read_touches,read_hits,write_touches,write_hits", lines[0]);
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            cliHits.put(f[0] + "/" + f[1] + "/" + f[2], Long.parseLong(f[4]));
            assertEquals(Long.parseLong(f[3]), Long.parseLong(f[6]) + Long.parseLong(f[8]), lines[i]);
        }
        for (long size : SIZES) {
            long blocks = size / 4096;
            Map<String, long[]> ref = Map.of("lru", lru(blocks), "fifo", fifo(blocks), "opt", opt(blocks));
            for (var e : ref.entrySet()) {
                long[] h = e.getValue();
                assertEquals(h[h.length - 1], cliHits.get(e.getKey() + "/" + size + "/all"), e.getKey() + " at " + size);
                for (int c = 0; c < h.length - 1; c++) {
                    if (h[c] > 0) {
                        assertEquals(h[c], cliHits.get(e.getKey() + "/" + size + "/" + vocab.name(c)),
                                e.getKey() + " at " + size + " class " + vocab.name(c));
                    }
                }
            }
        }
        // Print the figures for the record (the closing note quotes them).
        System.out.println("postmark hits: " + cliHits.entrySet().stream().filter(x -> x.getKey().endsWith("/all"))
                .sorted(Map.Entry.comparingByKey()).toList());
    }
}
