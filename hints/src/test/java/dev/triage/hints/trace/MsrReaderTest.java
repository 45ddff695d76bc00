package dev.triage.hints.trace;

import static dev.triage.hints.trace.TraceTesting.error;
import static dev.triage.hints.trace.TraceTesting.open;
import static dev.triage.hints.trace.TraceTesting.options;
import static dev.triage.hints.trace.TraceTesting.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.Op;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MsrReaderTest {
    private static final String TRACE = """
            128166372003061629,hm,0,Read,7014609920,24576,41286
            128166372016382155,hm,0,Write,1317441536,8192,1963
            128166372026382245,hm,1,write,2436440064,4096,1835
            """;

    @Test
    void readsRecords() throws IOException {
        try (TraceReader in = open("m.csv", TRACE, options(TraceFormat.MSR))) {
            List<BlockRequest> rs = readAll(in);
            assertEquals(3, rs.size());
            BlockRequest r = rs.get(0);
            assertEquals(Op.READ, r.op);
            assertEquals(0L, r.tsNs);
            assertEquals(7014609920L, r.offset);
            assertEquals(24576L, r.length);
            assertEquals(-1, r.tag);
            assertEquals(0, r.flags);
            assertEquals("hm_0", in.volumes().name(r.volume));
            assertEquals(Op.WRITE, rs.get(1).op);
            assertEquals((128166372016382155L - 128166372003061629L) * 100, rs.get(1).tsNs);
            assertEquals("hm_1", in.volumes().name(rs.get(2).volume));
        }
    }

    @Test
    void skipsAHeaderAndFiltersADisk() throws IOException {
        String text = "Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\n" + TRACE;
        assertEquals(3, readAll("m.csv", text, options(TraceFormat.MSR)).size());
        List<BlockRequest> one = readAll("m.csv", text, options(TraceFormat.MSR).withDevice("hm_1"));
        assertEquals(1, one.size());
        assertEquals(-1, one.get(0).volume);
        assertEquals(0L, one.get(0).tsNs);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            fields     | 1,hm,0,Read,0,512                 | m.csv:2: expected 7 fields (Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime), found 6
            timestamp  | 1x,hm,0,Read,0,512,1              | m.csv:2: Timestamp '1x' is not a non-negative integer
            host       | 2,,0,Read,0,512,1                 | m.csv:2: Hostname is empty
            disk       | 2,hm,a,Read,0,512,1               | m.csv:2: DiskNumber 'a' is not a non-negative integer
            type       | 2,hm,0,Trim,0,512,1               | m.csv:2: Type 'Trim' is neither Read nor Write
            offset     | 2,hm,0,Read,-1,512,1              | m.csv:2: Offset '-1' is not a non-negative integer
            size       | 2,hm,0,Read,0,5.5,1               | m.csv:2: Size '5.5' is not a non-negative integer
            response   | 2,hm,0,Read,0,512,                | m.csv:2: ResponseTime '' is not a non-negative integer
            """)
    void reportsMalformedLines(String what, String line, String message) {
        assertEquals(message, error("m.csv", "1,hm,0,Read,0,512,1\n" + line + "\n", options(TraceFormat.MSR)), what);
    }
}
