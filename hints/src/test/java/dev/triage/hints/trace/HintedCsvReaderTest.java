package dev.triage.hints.trace;

import static dev.triage.hints.trace.TraceTesting.error;
import static dev.triage.hints.trace.TraceTesting.open;
import static dev.triage.hints.trace.TraceTesting.options;
import static dev.triage.hints.trace.TraceTesting.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HintedCsvReaderTest {
    private static final String HEAD = """
            # hinted block trace v1
            # source=test; workload=unit; block_size=4096
            ts_ns,op,offset,length,class,file_size,flags,ioprio,comm
            """;

    @Test
    void readsEveryColumn() throws IOException {
        TraceOptions o = options(TraceFormat.HINTED_CSV);
        String text = HEAD + """
                0,F,0,0,none,,FF,none:0:0,kworker/0:1H
                720937000,R,35786752,4096,directory,,RM,be:0:4,tar
                873660000,W,2281701376,28672,file_4k,3240,W,rt:2:1,kworker/1:1H
                873660000,D,4096,8192,unclassified,,D,,
                """;
        try (TraceReader in = open("t.csv", text, o)) {
            HintedCsvReader csv = assertInstanceOf(HintedCsvReader.class, in);
            assertEquals(Map.of("source", "test", "workload", "unit", "block_size", "4096"), csv.notes());
            assertEquals(4096, csv.blockSizeNote(0));
            assertEquals("hinted block trace v1", csv.formatLine());
            List<BlockRequest> rs = readAll(in);
            assertEquals(4, rs.size());
            BlockRequest f = rs.get(0);
            assertEquals(Op.FLUSH, f.op);
            assertEquals(o.vocabulary().none(), f.tag);
            assertEquals(Rwbs.KNOWN | Rwbs.PREFLUSH | Rwbs.FLUSH, f.flags);
            assertEquals(IoPrio.pack(IoPrio.NONE, 0, 0), f.ioprio);
            assertEquals("kworker/0:1H", in.processes().name(f.comm));
            BlockRequest r = rs.get(1);
            assertEquals(720937000L, r.tsNs);
            assertEquals(Op.READ, r.op);
            assertEquals(35786752L, r.offset);
            assertEquals(4096L, r.length);
            assertEquals(o.vocabulary().find("directory"), r.tag);
            assertEquals(-1L, r.fileSize);
            assertEquals(Rwbs.KNOWN | Rwbs.READ | Rwbs.META, r.flags);
            assertEquals(IoPrio.pack(IoPrio.BE, 0, 4), r.ioprio);
            assertEquals(-1, r.volume);
            BlockRequest w = rs.get(2);
            assertEquals(3240L, w.fileSize);
            assertEquals(IoPrio.pack(IoPrio.RT, 2, 1), w.ioprio);
            BlockRequest d = rs.get(3);
            assertEquals(Op.DISCARD, d.op);
            assertEquals(-1, d.ioprio);
            assertEquals(-1, d.comm);
            assertEquals(3, in.processes().size());
            assertEquals(7, in.lineNumber());
        }
    }

    @Test
    void findsColumnsByNameInAnyOrderAndIgnoresUnknownOnes() throws IOException {
        TraceOptions o = options(TraceFormat.HINTED_CSV);
        String text = """
                class,extra,length,op,volume,offset,ts_ns
                journal,whatever,4096,W,disk_b,8192,5
                # a comment between rows

                my_own_class_7,,512,R,,0,5
                """;
        List<BlockRequest> rs = readAll("t.csv", text, o);
        assertEquals(2, rs.size());
        assertEquals(o.vocabulary().find("journal"), rs.get(0).tag);
        assertEquals(8192L, rs.get(0).offset);
        assertEquals(0, rs.get(0).volume);
        assertEquals(0, rs.get(0).flags);
        assertEquals(-1, rs.get(1).volume);
        assertEquals(o.vocabulary().find("my_own_class_7"), rs.get(1).tag);
        assertEquals(ClassVocabulary.DSS_CLASSES.size(), rs.get(1).tag, "open vocabulary: a new id");
    }

    @Test
    void acceptsCrLfLineEnds() throws IOException {
        String text = "ts_ns,op,offset,length,class\r\n1,R,512,512,inode\r\n2,W,0,1024,inode\r\n";
        List<BlockRequest> rs = readAll("t.csv", text, options(TraceFormat.HINTED_CSV));
        assertEquals(2, rs.size());
        assertEquals(1024L, rs.get(1).length);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            op letter         | 5,X,0,4096,inode,,,,     | t.csv:4: op 'X' is not one of R W D F
            op word           | 5,RW,0,4096,inode,,,,    | t.csv:4: op 'RW' is not one of R W D F
            empty op          | 5,,0,4096,inode,,,,      | t.csv:4: op '' is not one of R W D F
            ts not a number   | 5x,R,0,4096,inode,,,,    | t.csv:4: ts_ns '5x' is not a non-negative integer
            negative ts       | -5,R,0,4096,inode,,,,    | t.csv:4: ts_ns '-5' is not a non-negative integer
            ts overflows      | 99999999999999999999,R,0,4096,inode,,,, | t.csv:4: ts_ns '99999999999999999999' is not a non-negative integer
            offset text       | 5,R,abc,4096,inode,,,,   | t.csv:4: offset 'abc' is not a non-negative integer
            offset unaligned  | 5,R,1000,4096,inode,,,,  | t.csv:4: offset 1000 is not a multiple of 512
            length unaligned  | 5,R,0,4097,inode,,,,     | t.csv:4: length 4097 is not a multiple of 512
            length empty      | 5,R,0,,inode,,,,         | t.csv:4: length '' is not a non-negative integer
            flush with data   | 5,F,0,4096,none,,,,      | t.csv:4: length 4096 of a flush (op F) must be 0
            class uppercase   | 5,R,0,4096,Inode,,,,     | t.csv:4: class 'Inode' is not a class name ([a-z0-9_]+)
            class dash        | 5,R,0,4096,file-4k,,,,   | t.csv:4: class 'file-4k' is not a class name ([a-z0-9_]+)
            class empty       | 5,R,0,4096,,,,,          | t.csv:4: class '' is not a class name ([a-z0-9_]+)
            file size         | 5,R,0,4096,inode,12k,,,  | t.csv:4: file_size '12k' is not a non-negative integer
            flags             | 5,R,0,4096,inode,,RX,,   | t.csv:4: flags 'RX' is not an RWBS string
            flags two ops     | 5,R,0,4096,inode,,RW,,   | t.csv:4: flags 'RW' is not an RWBS string
            ioprio class      | 5,R,0,4096,inode,,R,xx:0:4, | t.csv:4: ioprio 'xx:0:4' is not class:level:hint (class none, rt, be, idle or 0-255; level and hint 0-255)
            ioprio two parts  | 5,R,0,4096,inode,,R,be:4, | t.csv:4: ioprio 'be:4' is not class:level:hint (class none, rt, be, idle or 0-255; level and hint 0-255)
            ioprio range      | 5,R,0,4096,inode,,R,be:256:0, | t.csv:4: ioprio 'be:256:0' is not class:level:hint (class none, rt, be, idle or 0-255; level and hint 0-255)
            too few fields    | 5,R,0,4096,inode         | t.csv:4: expected 9 fields as in the header, found 5
            too many fields   | 5,R,0,4096,inode,,,,,x   | t.csv:4: expected 9 fields as in the header, found 10
            ts decreases      | 0,R,0,4096,inode,,,,     | t.csv:4: ts_ns 0 is less than the previous request's 1 (ts_ns never decreases)
            range overflows   | 9,R,9223372036854775296,4096,inode,,,, | t.csv:4: offset 9223372036854775296 + length 4096 overflows
            """)
    void reportsEveryMalformedField(String what, String line, String message) {
        String text = "# hinted block trace v1\nts_ns,op,offset,length,class,file_size,flags,ioprio,comm\n"
                + "1,R,0,512,inode,,,,\n" + line + "\n";
        assertEquals(message, error("t.csv", text, options(TraceFormat.HINTED_CSV)), what);
    }

    @Test
    void reportsHeaderProblems() {
        TraceOptions o = options(TraceFormat.HINTED_CSV);
        assertEquals("h.csv:2: header lacks the required column 'class' (header: ts_ns,op,offset,length,comm;"
                        + " required: ts_ns,op,offset,length,class)",
                error("h.csv", "# hinted block trace v1\nts_ns,op,offset,length,comm\n", o));
        assertEquals("h.csv:1: header names column 'op' twice",
                error("h.csv", "ts_ns,op,offset,length,class,op\n", o));
        assertEquals("h.csv:1: this is hinted block trace v2; this reader knows v1",
                error("h.csv", "# hinted block trace v2\nts_ns,op,offset,length,class\n", o));
        assertEquals("h.csv:3: no header line: the trace ends before its first line that is not a comment",
                error("h.csv", "# hinted block trace v1\n# a=b\n", o));
    }

    @Test
    void skipsBadLinesWhenAskedCountingThemAndKeepingTheFirstMessages() throws IOException {
        StringBuilder text = new StringBuilder(HEAD);
        text.append("1,R,0,4096,inode,,,,\n");
        for (int i = 0; i < 15; i++) {
            text.append("2,Q,0,4096,inode,,,,\n");
        }
        text.append("3,W,4096,4096,inode,,,,\n");
        text.append("2,W,4096,4096,inode,,,,\n"); // decreasing ts: skipped, previous stays 3
        text.append("3,W,8192,4096,inode,,,,\n");
        try (TraceReader in = open("s.csv", text.toString(), options(TraceFormat.HINTED_CSV).withSkipBad(true))) {
            List<BlockRequest> rs = readAll(in);
            assertEquals(3, rs.size());
            assertEquals(8192L, rs.get(2).offset);
            assertEquals(16, in.skipped());
            assertEquals(LineTraceReader.MAX_SAMPLES, in.skippedSamples().size());
            assertEquals("s.csv:5: op 'Q' is not one of R W D F", in.skippedSamples().get(0));
        }
    }

    @Test
    void aBadLineStopsReadingWithoutSkipBad() throws IOException {
        try (TraceReader in = open("s.csv", HEAD + "1,R,0,4096,inode,,,,\n1,R,0,4,inode,,,,\n",
                options(TraceFormat.HINTED_CSV))) {
            BlockRequest r = new BlockRequest();
            assertEquals(true, in.next(r));
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> in.next(r));
            assertEquals("s.csv", e.source());
            assertEquals(5, e.line());
        }
    }
}
