package dev.triage.hints.trace;

import static dev.triage.hints.trace.TraceTesting.error;
import static dev.triage.hints.trace.TraceTesting.open;
import static dev.triage.hints.trace.TraceTesting.options;
import static dev.triage.hints.trace.TraceTesting.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlkparseReaderTest {
    private static final String TRACE = """
              8,0    3        1     0.000000000   697  Q   W 223490 + 8 [kjournald]
              8,0    3        2     0.000001829   697  G   W 223490 + 8 [kjournald]
              8,0    3        3     0.000002513   697  P   N [kjournald]
              8,0    3        4     0.000003871   697  I   W 223490 + 8 [kjournald]
              8,0    3        5     0.000005491   697  D   W 223490 + 8 [kjournald]
              8,0    3        6     0.000007500   697  U   N [kjournald] 1
              8,0    3        0     0.000008000     0  m   N cfq697 insert_request
              8,0    0        7     0.001035098     0  C   W 223490 + 8 [0]
              8,0    1        8     0.002000000   700  Q  RM 1024 + 16 [ls]
              8,0    1        9     0.002100000   700  D  RM 1024 + 16 (     100) [ls]
              8,0    1       10     0.003000000   701  D  FWFS 0 + 0 [jbd2/sda1-8]
              8,0    1       11     0.003500000   702  D   N 0 (12 00 00 00 24 00) [sg_inq]
              8,0    1       12     0.004000000   703  D   D 4096 + 4096 [fstrim]
            CPU0 (8,0):
             Reads Queued:           0,        0KiB\t Writes Queued:           7,       28KiB
             Read Dispatches:        0,        0KiB\t Write Dispatches:        7,       28KiB
            Total (8,0):
             Reads Queued:           1,        8KiB\t Writes Queued:           7,       28KiB

            Throughput (R/W): 0KiB/s / 3KiB/s
            Events (8,0): 47 entries
            Skips: 0 forward (0 -   0.0%)
            """;

    @Test
    void readsIssueActionsAndIgnoresTheRest() throws IOException {
        try (TraceReader in = open("b.txt", TRACE, options(TraceFormat.BLKPARSE))) {
            List<BlockRequest> rs = readAll(in);
            assertEquals(4, rs.size());
            BlockRequest w = rs.get(0);
            assertEquals(Op.WRITE, w.op);
            assertEquals(0L, w.tsNs);
            assertEquals(223490L * 512, w.offset);
            assertEquals(4096L, w.length);
            assertEquals("kjournald", in.processes().name(w.comm));
            assertEquals("8:0", in.volumes().name(w.volume));
            assertEquals(-1, w.ioprio);
            assertEquals(-1, w.tag);
            BlockRequest r = rs.get(1);
            assertEquals(Op.READ, r.op);
            assertEquals(Rwbs.KNOWN | Rwbs.READ | Rwbs.META, r.flags);
            assertEquals(2_100_000L - 5_491L, r.tsNs);
            assertEquals(Op.FLUSH, rs.get(2).op);
            assertEquals(Op.DISCARD, rs.get(3).op);
            assertEquals(1, ((BlkparseReader) in).ignored(), "the passthrough N request");
        }
    }

    @Test
    void readsQueueActionsWhenAsked() throws IOException {
        List<BlockRequest> rs = readAll("b.txt", TRACE, options(TraceFormat.BLKPARSE).withQueueEvents(true));
        assertEquals(2, rs.size());
        assertEquals(Op.WRITE, rs.get(0).op);
        assertEquals(1024L * 512, rs.get(1).offset);
        assertEquals(2_000_000L, rs.get(1).tsNs);
    }

    @Test
    void filtersOneDevice() throws IOException {
        String text = """
                  8,0    0        1     0.1   1  D   R 8 + 8 [a]
                  8,16   0        1     0.2   1  D   R 16 + 8 [a]
                """;
        assertEquals(2, readAll("b.txt", text, options(TraceFormat.BLKPARSE)).size());
        List<BlockRequest> one = readAll("b.txt", text, options(TraceFormat.BLKPARSE).withDevice("8,16"));
        assertEquals(1, one.size());
        assertEquals(16L * 512, one.get(0).offset);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not an event | hello world                                 | b.txt:2: not a blkparse event (major,minor cpu sequence time pid action RWBS ...): 'hello world'
            cpu          | 8,0 x 1 0.5 1 D R 8 + 8 [a]                 | b.txt:2: cpu 'x' is not a number
            sequence     | 8,0 0 s 0.5 1 D R 8 + 8 [a]                 | b.txt:2: sequence number 's' is not a number
            time         | 8,0 0 1 0.5s 1 D R 8 + 8 [a]                | b.txt:2: time '0.5s' is not seconds.nanoseconds
            pid          | 8,0 0 1 0.5 p D R 8 + 8 [a]                 | b.txt:2: pid 'p' is not a number
            no action    | 8,0 0 1 0.5 1                               | b.txt:2: no action after the pid
            rwbs         | 8,0 0 1 0.5 1 D Q 8 + 8 [a]                 | b.txt:2: RWBS 'Q' is not an RWBS string
            sector       | 8,0 0 1 0.5 1 D R s + 8 [a]                 | b.txt:2: sector 's' is not a number
            plus         | 8,0 0 1 0.5 1 D R 8 * 8 [a]                 | b.txt:2: expected '+' after the sector, found '*'
            count        | 8,0 0 1 0.5 1 D R 8 + n [a]                 | b.txt:2: sector count 'n' is not a number
            elapsed      | 8,0 0 1 0.5 1 D R 8 + 8 ( 12 [a]            | b.txt:2: the elapsed time '(' is not closed by ')'
            no comm      | 8,0 0 1 0.5 1 D R 8 + 8                     | b.txt:2: no [comm] at the end of the event
            open comm    | 8,0 0 1 0.5 1 D R 8 + 8 [a                  | b.txt:2: the process name '[' is not closed by ']'
            """)
    void reportsMalformedLines(String what, String line, String message) {
        String text = "8,0 0 1 0.1 1 D R 0 + 8 [a]\n" + line + "\n";
        assertEquals(message, error("b.txt", text, options(TraceFormat.BLKPARSE)), what);
    }
}
