package dev.triage.hints.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.NameTable;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HintedCsvWriterTest {

    /** A request with names instead of ids: what a trace means, independent of the tables. */
    record Req(long dt, Op op, long offset, long length, String cls, long fileSize, String flags, int ioprio,
            String comm, String volume) {}

    private static final List<String> CLASSES = List.of("inode", "journal", "file_4k", "none", "unclassified",
            "my_class_2", "x");
    private static final List<String> COMMS = List.of("tar", "kworker/0:1H", "Web Content", "größe", "[x]", "#1");
    private static final List<String> VOLUMES = List.of("vda", "7:1", "hm_0");
    private static final List<String> RWBS = List.of("", "R", "W", "RM", "RAM", "WSM", "FF", "FWFS", "D", "DE",
            "N", "FN", "WFS", "RA", "F");

    @Provide
    Arbitrary<Req> requests() {
        Arbitrary<Long> dt = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(0, 1L << 40));
        Arbitrary<Op> op = Arbitraries.of(Op.class);
        Arbitrary<Long> sectors = Arbitraries.longs().between(0, 1L << 40);
        Arbitrary<Long> count = Arbitraries.longs().between(0, 1 << 16);
        Arbitrary<String> cls = Arbitraries.of(CLASSES);
        Arbitrary<Long> fileSize = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, Long.MAX_VALUE));
        Arbitrary<String> flags = Arbitraries.of(RWBS);
        Arbitrary<Integer> ioprio = Arbitraries.oneOf(Arbitraries.just(-1),
                Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                        Arbitraries.integers().between(0, 255)).as(IoPrio::pack));
        Arbitrary<String> comm = Arbitraries.oneOf(Arbitraries.just((String) null), Arbitraries.of(COMMS));
        Arbitrary<String> volume = Arbitraries.oneOf(Arbitraries.just((String) null), Arbitraries.of(VOLUMES));
        return Combinators.combine(dt, op, sectors, count, cls, fileSize, flags, ioprio)
                .as((d, o, s, c, k, f, fl, io) -> new Req(d, o, s * 512, o == Op.FLUSH ? 0 : c * 512, k, f, fl, io,
                        null, null))
                .flatMap(r -> Combinators.combine(comm, volume).as((cm, v) ->
                        new Req(r.dt, r.op, r.offset, r.length, r.cls, r.fileSize, r.flags, r.ioprio, cm, v)));
    }

    @Provide
    Arbitrary<List<Req>> traces() {
        return requests().list().ofMaxSize(40);
    }

    @Property(tries = 200)
    void whatIsWrittenIsReadBack(@ForAll("traces") List<Req> trace,
            @ForAll boolean volumeColumn) throws IOException {
        ClassVocabulary vocabulary = new ClassVocabulary();
        NameTable comms = new NameTable();
        NameTable volumes = new NameTable();
        List<Req> expected = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("source", "jqwik");
        notes.put("block_size", "4096");
        try (HintedCsvWriter out = HintedCsvWriter.to(bytes, "p.csv", notes, volumeColumn)) {
            BlockRequest r = new BlockRequest();
            long ts = 0;
            for (Req q : trace) {
                Req w = volumeColumn ? q : new Req(q.dt, q.op, q.offset, q.length, q.cls, q.fileSize, q.flags,
                        q.ioprio, q.comm, null);
                ts += w.dt;
                r.clear();
                r.tsNs = ts;
                r.op = w.op;
                r.offset = w.offset;
                r.length = w.length;
                r.tag = vocabulary.intern(w.cls);
                r.fileSize = w.fileSize;
                r.flags = Rwbs.parse(w.flags, 0, w.flags.length());
                r.ioprio = w.ioprio;
                r.comm = w.comm == null ? -1 : comms.intern(w.comm);
                r.volume = w.volume == null ? -1 : volumes.intern(w.volume);
                r.ioClass = 3; // not written
                out.write(r, vocabulary, comms, volumes);
                expected.add(w);
            }
            assertEquals(trace.size(), out.written());
        }
        TraceOptions o = TraceOptions.defaults(new ClassVocabulary());
        try (TraceReader in = Traces.open(new ByteArrayInputStream(bytes.toByteArray()), "p.csv", o)) {
            HintedCsvReader csv = (HintedCsvReader) in;
            assertEquals(notes, csv.notes());
            BlockRequest r = new BlockRequest();
            long ts = 0;
            for (Req w : expected) {
                assertTrue(in.next(r));
                ts += w.dt;
                assertEquals(ts, r.tsNs);
                assertEquals(w.op, r.op);
                assertEquals(w.offset, r.offset);
                assertEquals(w.length, r.length);
                assertEquals(w.cls, o.vocabulary().name(r.tag));
                assertEquals(w.fileSize, r.fileSize);
                assertEquals(Rwbs.parse(w.flags, 0, w.flags.length()), r.flags);
                assertEquals(w.ioprio, r.ioprio);
                assertEquals(w.comm, r.comm < 0 ? null : in.processes().name(r.comm));
                assertEquals(w.volume, r.volume < 0 ? null : in.volumes().name(r.volume));
                assertEquals(-1, r.ioClass);
            }
            assertEquals(false, in.next(r));
        }
    }

    @Test
    void compressesByTheFileExtension(@TempDir Path dir) throws IOException {
        ClassVocabulary vocabulary = new ClassVocabulary();
        NameTable comms = new NameTable();
        for (String name : List.of("w.csv", "w.csv.gz", "w.csv.zst", "w.csv.zstd")) {
            Path p = dir.resolve(name);
            try (HintedCsvWriter out = HintedCsvWriter.open(p, Map.of("workload", "unit"), false)) {
                BlockRequest r = new BlockRequest();
                for (int i = 0; i < 1000; i++) {
                    r.clear();
                    r.tsNs = i;
                    r.op = i % 2 == 0 ? Op.READ : Op.WRITE;
                    r.offset = i * 4096L;
                    r.length = 4096;
                    r.tag = vocabulary.find("inode");
                    r.comm = comms.intern("tar");
                    out.write(r, vocabulary, comms, new NameTable());
                }
            }
            byte[] head = Files.readAllBytes(p);
            int magic = (head[0] & 0xff) << 8 | (head[1] & 0xff);
            assertEquals(name.endsWith(".gz") ? 0x1f8b : name.contains(".zst") ? 0x28b5 : ('#' << 8 | ' '), magic, name);
            try (TraceReader in = Traces.open(p, TraceOptions.defaults(new ClassVocabulary()))) {
                List<BlockRequest> rs = TraceTesting.readAll(in);
                assertEquals(1000, rs.size(), name);
                assertEquals(999 * 4096L, rs.get(999).offset);
                assertEquals("tar", in.processes().name(rs.get(999).comm));
            }
        }
    }

    @Test
    void writesTheDocumentedLayout() throws IOException {
        ClassVocabulary vocabulary = new ClassVocabulary();
        NameTable comms = new NameTable();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, String> notes = new LinkedHashMap<>();
        notes.put("source", "unit");
        notes.put("block_size", "4096");
        try (HintedCsvWriter out = HintedCsvWriter.to(bytes, "x", notes, false)) {
            BlockRequest r = new BlockRequest();
            r.op = Op.FLUSH;
            r.flags = Rwbs.parse("FF", 0, 2);
            r.ioprio = IoPrio.pack(IoPrio.NONE, 0, 0);
            r.comm = comms.intern("kworker/0:1H");
            out.write(r, vocabulary, comms, new NameTable());
            r.clear();
            r.tsNs = 720937000;
            r.offset = 35786752;
            r.length = 4096;
            r.fileSize = 3240;
            r.tag = vocabulary.find("directory");
            out.write(r, vocabulary, comms, new NameTable());
        }
        assertEquals("""
                # hinted block trace v1
                # source=unit; block_size=4096
                ts_ns,op,offset,length,class,file_size,flags,ioprio,comm
                0,F,0,0,none,,FF,none:0:0,kworker/0:1H
                720937000,R,35786752,4096,directory,3240,,,
                """, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void refusesWhatTheFormatCannotHold() throws IOException {
        ClassVocabulary vocabulary = new ClassVocabulary();
        NameTable comms = new NameTable();
        NameTable volumes = new NameTable();
        try (HintedCsvWriter out = HintedCsvWriter.to(new ByteArrayOutputStream(), "x", Map.of(), false)) {
            BlockRequest r = new BlockRequest();
            r.tsNs = 10;
            r.length = 512;
            out.write(r, vocabulary, comms, volumes);
            assertEquals("x: request 2: ts_ns 9 is negative or less than the previous request's 10",
                    refused(out, r, vocabulary, comms, volumes, q -> q.tsNs = 9));
            assertEquals("x: request 2: offset 100 and length 512 must be non-negative multiples of 512",
                    refused(out, r, vocabulary, comms, volumes, q -> q.offset = 100));
            assertEquals("x: request 2: a flush (op F) has length 512; it must be 0",
                    refused(out, r, vocabulary, comms, volumes, q -> q.op = Op.FLUSH));
            assertEquals("x: request 2: comm 'a,b' is empty or holds a comma or a line break, which the hinted CSV cannot hold",
                    refused(out, r, vocabulary, comms, volumes, q -> q.comm = comms.intern("a,b")));
            assertEquals("x: request 2: class 'Bad' is not a class name ([a-z0-9_]+)",
                    refused(out, r, vocabulary, comms, volumes, q -> q.tag = vocabulary.intern("Bad")));
            assertEquals("x: request 2: the request names volume 'v' but the writer has no volume column",
                    refused(out, r, vocabulary, comms, volumes, q -> q.volume = volumes.intern("v")));
            assertEquals(1, out.written());
        }
        assertThrows(IllegalArgumentException.class,
                () -> HintedCsvWriter.to(new ByteArrayOutputStream(), "x", Map.of("a", "b;c"), false));
    }

    private static String refused(HintedCsvWriter out, BlockRequest base, ClassVocabulary v, NameTable c, NameTable vol,
            java.util.function.Consumer<BlockRequest> change) {
        BlockRequest r = new BlockRequest().copyFrom(base);
        change.accept(r);
        return assertThrows(IllegalArgumentException.class, () -> out.write(r, v, c, vol)).getMessage();
    }
}
