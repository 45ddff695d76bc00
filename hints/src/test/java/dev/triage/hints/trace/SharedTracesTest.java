package dev.triage.hints.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.Op;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The real traces of {@code shared/traces} are read completely and agree with simple counts. */
class SharedTracesTest {

    private static Path trace(String name) {
        String shared = System.getProperty("triage.shared");
        assumeTrue(shared != null, "system property triage.shared is not set");
        Path p = Path.of(shared, "traces", name);
        assumeTrue(Files.exists(p), p + " is missing");
        return p;
    }

    /** Lines of a gzip file matching a test, counted the plain way (the reference). */
    private static long countLines(Path gz, java.util.function.Predicate<String> test) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz)), StandardCharsets.UTF_8))) {
            return in.lines().filter(test).count();
        }
    }

    @Test
    void postmarkIsReadCompletely() throws IOException {
        Path p = trace("postmark.csv.gz");
        ClassVocabulary vocabulary = new ClassVocabulary();
        Map<Op, Long> ops = new EnumMap<>(Op.class);
        long[] perClass = new long[64];
        long n = 0;
        try (TraceReader in = Traces.open(p, TraceOptions.defaults(vocabulary))) {
            assertEquals(TraceFormat.HINTED_CSV, in.format());
            assertEquals("4096", ((HintedCsvReader) in).notes().get("block_size"));
            BlockRequest r = new BlockRequest();
            long lastTs = 0;
            while (in.next(r)) {
                n++;
                ops.merge(r.op, 1L, Long::sum);
                perClass[r.tag]++;
                assertTrue(r.tsNs >= lastTs);
                lastTs = r.tsNs;
            }
            assertEquals(in.bytesTotal(), in.bytesRead());
        }
        // zcat postmark.csv.gz | grep -v '^#' | tail -n +2 | wc -l
        assertEquals(189_468, n);
        assertEquals(countLines(p, l -> !l.startsWith("#")) - 1, n);
        // zcat postmark.csv.gz | grep -v '^#' | cut -d, -f2 | sort | uniq -c
        assertEquals(Map.of(Op.FLUSH, 25L, Op.READ, 102_268L, Op.WRITE, 87_175L), ops);
        assertEquals(139_207, perClass[vocabulary.find("file_256k")]);
        assertEquals(1_188, perClass[vocabulary.find("inode")]);
        assertEquals(70, perClass[vocabulary.find("journal")]);
        assertEquals(25, perClass[vocabulary.find("none")]);
    }

    @Test
    void ftraceHasEveryBlockRqIssueAndAgreesWithTheHintedTraceMadeFromIt() throws IOException {
        Path raw = trace("devtree-raw/ftrace.txt.gz");
        Path csv = trace("devtree.csv.gz");
        // zcat ftrace.txt.gz | grep -c block_rq_issue  -> 22313
        long events = countLines(raw, l -> l.contains("block_rq_issue"));
        assertEquals(22_313, events);
        ClassVocabulary vocabulary = new ClassVocabulary();
        long n = 0;
        try (TraceReader f = Traces.open(raw, TraceOptions.defaults(vocabulary));
                TraceReader h = Traces.open(csv, TraceOptions.defaults(vocabulary))) {
            assertEquals(TraceFormat.FTRACE, f.format());
            BlockRequest a = new BlockRequest();
            BlockRequest b = new BlockRequest();
            while (f.next(a)) {
                assertTrue(h.next(b), "the hinted trace ends early");
                n++;
                String where = "request " + n;
                assertEquals(b.tsNs, a.tsNs, where);
                assertEquals(b.op, a.op, where);
                assertEquals(b.offset, a.offset, where);
                assertEquals(b.length, a.length, where);
                assertEquals(b.flags, a.flags, where);
                assertEquals(h.processes().name(b.comm), f.processes().name(a.comm), where);
                assertEquals(IoPrio.ioClass(b.ioprio), IoPrio.ioClass(a.ioprio), where);
                // The kernel prints ioprio as class,hint,level; the shared CSV copied that order
                // ("be:0:4") although trace-format.md reads the field as class:level:hint. Until
                // the document or the traces change, level and hint appear swapped.
                assertEquals(IoPrio.level(a.ioprio), IoPrio.hint(b.ioprio), where);
                assertEquals(IoPrio.hint(a.ioprio), IoPrio.level(b.ioprio), where);
                assertEquals("7:1", f.volumes().name(a.volume));
            }
            assertFalse(h.next(b), "the hinted trace has more requests");
            assertEquals(0, f.skipped());
            assertEquals(0, ((FtraceReader) f).ignored());
        }
        assertEquals(events, n);
    }
}
