package dev.triage.hints.trace;

import static dev.triage.hints.trace.TraceTesting.error;
import static dev.triage.hints.trace.TraceTesting.open;
import static dev.triage.hints.trace.TraceTesting.options;
import static dev.triage.hints.trace.TraceTesting.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.IoPrio;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FtraceReaderTest {
    private static final String TRACE = """
            # tracer: nop
            #
            #                                _-----=> irqs-off/BH-disabled
            #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
            #              | |         |   |||||     |         |
                kworker/0:1H-54      [000] .....   583.888485: block_rq_issue: 7,1 FF 0 () 0 + 0 none,0,0 [kworker/0:1H]
                     tar-15112   [000] .....   584.609387: ext4_ext_map_blocks_exit: dev 7,1 ino 2 flags  lblk 0 pblk 8737 len 1 mflags M ret 1
                     tar-15112   [000] .....   584.609422: block_rq_issue: 7,1 RM 4096 () 69896 + 8 be,0,4 [tar]
                     tar-15112   [001] .....   584.611621: block_rq_issue: 7,1 RAM 4096 () 4194304 + 8 rt,1,2 [tar]
                kworker/1:1H-44      [001] .....   590.599102: block_rq_issue: 7,1 WSM 4096 () 3932160 + 8 be,0,4 [kworker/1:1H]
                  fstrim-99      [001] .....   590.700000: block_rq_issue: 7,1 D 1048576 () 2048 + 2048 be,0,4 [fstrim]
            """;

    @Test
    void readsBlockRqIssueEvents() throws IOException {
        TraceOptions o = options(TraceFormat.FTRACE);
        try (TraceReader in = open("f.txt", TRACE, o)) {
            List<BlockRequest> rs = readAll(in);
            assertEquals(5, rs.size());
            BlockRequest f = rs.get(0);
            assertEquals(Op.FLUSH, f.op);
            assertEquals(0L, f.tsNs);
            assertEquals(0L, f.length);
            assertEquals(Rwbs.KNOWN | Rwbs.PREFLUSH | Rwbs.FLUSH, f.flags);
            assertEquals(-1, f.tag);
            BlockRequest r = rs.get(1);
            assertEquals(Op.READ, r.op);
            assertEquals(720_937_000L, r.tsNs);
            assertEquals(69896L * 512, r.offset);
            assertEquals(4096L, r.length);
            assertEquals(Rwbs.KNOWN | Rwbs.READ | Rwbs.META, r.flags);
            assertEquals(IoPrio.pack(IoPrio.BE, 4, 0), r.ioprio, "the kernel prints class,hint,level");
            assertEquals("tar", in.processes().name(r.comm));
            assertEquals("7:1", in.volumes().name(r.volume));
            assertEquals(-1, r.tag);
            assertEquals(-1L, r.fileSize);
            assertEquals(IoPrio.pack(IoPrio.RT, 2, 1), rs.get(2).ioprio);
            assertEquals(Op.WRITE, rs.get(3).op);
            BlockRequest d = rs.get(4);
            assertEquals(Op.DISCARD, d.op);
            assertEquals(2048L * 512, d.length);
            assertEquals(6_811_515_000L, d.tsNs);
        }
    }

    @Test
    void readsOlderLayoutsAndOtherTracers() throws IOException {
        String text = """
                 tar-1 [000]  10.000001: block_rq_issue: 8,16 R 4096 () 8 + 8 [tar]
                 tar-1 [000] d..1  10.000002: block_rq_issue: 8,16 W () 16 + 8 [tar]
                 tar-1 [000] .....  10.000003: block_rq_issue: 8,16 WS 4096 () 24 + 8 be,0,4 |1| [my prog]
                 tar-1 [000]  10.000004: block_rq_issue:  8,16 FWS 0 () 0 + 0 [jbd2/sda1-8]
                """;
        List<BlockRequest> rs = readAll("o.txt", text, options(TraceFormat.FTRACE));
        assertEquals(4, rs.size());
        assertEquals(-1, rs.get(0).ioprio);
        assertEquals(Op.WRITE, rs.get(1).op);
        assertEquals(8192L, rs.get(1).offset);
        assertEquals(1000L, rs.get(1).tsNs);
        assertEquals(IoPrio.pack(IoPrio.BE, 4, 0), rs.get(2).ioprio);
        assertEquals(Op.FLUSH, rs.get(3).op, "an empty pre-flush write is a flush");
    }

    @Test
    void ignoresAndCountsRequestsWithoutData() throws IOException {
        String text = """
                 sg-1 [000]  1.000000: block_rq_issue: 8,0 N 36 (12 00 00 00 24 00) 0 + 0 be,0,4 [sg_inq]
                 tar-1 [000]  1.000001: block_rq_issue: 8,0 R 4096 () 8 + 8 be,0,4 [tar]
                """;
        try (TraceReader in = open("n.txt", text, options(TraceFormat.FTRACE))) {
            List<BlockRequest> rs = readAll(in);
            assertEquals(1, rs.size());
            assertEquals(0L, rs.get(0).tsNs, "time counts from the first request read");
            assertEquals(1, ((FtraceReader) in).ignored());
            assertEquals(0, in.skipped());
        }
    }

    @Test
    void filtersOneDevice() throws IOException {
        String text = """
                 a-1 [000]  1.000000: block_rq_issue: 8,0 R 4096 () 8 + 8 be,0,4 [a]
                 b-2 [000]  1.500000: block_rq_issue: 8,16 W 4096 () 16 + 8 be,0,4 [b]
                 a-1 [000]  2.000000: block_rq_issue: 8,0 R 4096 () 24 + 8 be,0,4 [a]
                """;
        List<BlockRequest> all = readAll("d.txt", text, options(TraceFormat.FTRACE));
        assertEquals(3, all.size());
        assertEquals(List.of(0, 1, 0), all.stream().map(r -> r.volume).toList());
        List<BlockRequest> one = readAll("d.txt", text, options(TraceFormat.FTRACE).withDevice("8:16"));
        assertEquals(1, one.size());
        assertEquals(8192L, one.get(0).offset);
        assertEquals(-1, one.get(0).volume);
        assertEquals(0L, one.get(0).tsNs);
        assertEquals(2, readAll("d.txt", text, options(TraceFormat.FTRACE).withDevice("8,0")).size());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            timestamp      | a-1 [000] 1.x: block_rq_issue: 8,0 R 4096 () 8 + 8 be,0,4 [a]    | f.txt:2: timestamp '1.x' is not seconds.micros
            no timestamp   | a-1 [000] block_rq_issue: 8,0 R 4096 () 8 + 8 be,0,4 [a]         | f.txt:2: no timestamp before 'block_rq_issue:'
            device         | a-1 [000] 1.5: block_rq_issue: sda R 4096 () 8 + 8 be,0,4 [a]    | f.txt:2: device 'sda' is not major,minor
            rwbs           | a-1 [000] 1.5: block_rq_issue: 8,0 RX 4096 () 8 + 8 be,0,4 [a]   | f.txt:2: RWBS 'RX' is not an RWBS string
            bytes          | a-1 [000] 1.5: block_rq_issue: 8,0 R 4k () 8 + 8 be,0,4 [a]      | f.txt:2: bytes '4k' is not a number
            no cmd         | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 8 + 8 be,0,4 [a]       | f.txt:2: expected '(' (the command field) after the RWBS and bytes
            open cmd       | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 ( 8 + 8 be,0,4 [a]     | f.txt:2: the command field '(' is not closed by ')'
            sector         | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 () x + 8 be,0,4 [a]    | f.txt:2: sector 'x' is not a number
            plus           | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 () 8 - 8 be,0,4 [a]    | f.txt:2: expected '+' after the sector, found '-'
            count          | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 () 8 + y be,0,4 [a]    | f.txt:2: sector count 'y' is not a number
            ioprio         | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 () 8 + 8 be:0:4 [a]    | f.txt:2: ioprio 'be:0:4' is not class,hint,level
            no comm        | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 () 8 + 8 be,0,4        | f.txt:2: no [comm] at the end of the event
            open comm      | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 () 8 + 8 be,0,4 [a     | f.txt:2: the process name '[' is not closed by ']'
            flush data     | a-1 [000] 1.5: block_rq_issue: 8,0 FF 4096 () 8 + 8 be,0,4 [a]   | f.txt:2: a flush request with 8 sectors (a flush carries no data)
            beyond disk    | a-1 [000] 1.5: block_rq_issue: 8,0 R 4096 () 18014398509481984 + 8 be,0,4 [a] | f.txt:2: sector 18014398509481984 + 8 is beyond the largest disk address
            """)
    void reportsMalformedEvents(String what, String line, String message) {
        String text = " a-1 [000] 1.0: block_rq_issue: 8,0 R 4096 () 0 + 8 be,0,4 [a]\n" + line + "\n";
        assertEquals(message, error("f.txt", text, options(TraceFormat.FTRACE)), what);
    }

    @Test
    void skipsMalformedEventsWhenAsked() throws IOException {
        String text = """
                 a-1 [000] 1.0: block_rq_issue: 8,0 R 4096 () 0 + 8 be,0,4 [a]
                 a-1 [000] 1.1: block_rq_issue: 8,0 R 4096 () zz + 8 be,0,4 [a]
                 a-1 [000] 1.2: block_rq_issue: 8,0 R 4096 () 8 + 8 be,0,4 [a]
                """;
        try (TraceReader in = open("f.txt", text, options(TraceFormat.FTRACE).withSkipBad(true))) {
            assertEquals(2, readAll(in).size());
            assertEquals(1, in.skipped());
            assertEquals(List.of("f.txt:2: sector 'zz' is not a number"), in.skippedSamples());
        }
    }
}
