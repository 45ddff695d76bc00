package dev.triage.hints.ext4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.IoPrio;
import dev.triage.hints.NameTable;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import org.junit.jupiter.api.Test;

class RawTraceLineTest {
    private final RawTraceLine p = new RawTraceLine();
    private final BlockRequest r = new BlockRequest();
    private final NameTable names = new NameTable();

    @Test
    void ftraceIssue() {
        assertEquals(RawTraceLine.Kind.ISSUE, p.parse(
                "             tar-15112   [000] .....   584.609422: block_rq_issue: 7,1 RM 4096 () 69896 + 8 be,0,4 [tar]", r, names));
        assertEquals(7 << 20 | 1, p.dev);
        assertEquals(584_609_422_000L, r.tsNs);
        assertEquals(Op.READ, r.op);
        assertEquals(69896L * 512, r.offset);
        assertEquals(4096, r.length);
        assertEquals("RM", Rwbs.format(r.flags));
        assertEquals(IoPrio.pack(IoPrio.BE, 0, 4), r.ioprio);
        assertEquals("tar", names.name(r.comm));
    }

    @Test
    void ftraceFlushAndOldFormatWithoutIoprio() {
        assertEquals(RawTraceLine.Kind.ISSUE, p.parse(
                "    kworker/0:1H-54      [000] .....   583.888485: block_rq_issue: 7,1 FF 0 () 0 + 0 none,0,0 [kworker/0:1H]", r, names));
        assertEquals(Op.FLUSH, r.op);
        assertEquals(0, r.length);
        assertEquals("FF", Rwbs.format(r.flags));
        assertEquals(RawTraceLine.Kind.ISSUE, p.parse(
                "  cp-1 [001] d..1 10.5: block_rq_issue: 8,16 WS 8192 () 2048 + 16 [cp]", r, names));
        assertEquals(-1, r.ioprio);
        assertEquals(8 << 20 | 16, p.dev);
        assertEquals(8192, r.length);
    }

    @Test
    void ftraceMap() {
        assertEquals(RawTraceLine.Kind.MAP, p.parse(
                "  tar-15112 [000] ..... 584.611932: ext4_ext_map_blocks_exit: dev 7,1 ino 131073 flags CREATE lblk 3 pblk 532512 len 4 mflags NM ret 2", r, names));
        assertEquals(131073, p.ino);
        assertEquals(3, p.lblk);
        assertEquals(532512, p.pblk);
        assertEquals(2, p.len, "len is capped by ret");
        assertEquals(RawTraceLine.Kind.OTHER, p.parse(
                "  tar-15112 [000] ..... 584.611482: ext4_ext_map_blocks_exit: dev 7,1 ino 131073 flags  lblk 0 pblk 0 len 1 mflags  ret 0", r, names),
                "a hole maps nothing");
    }

    @Test
    void blkparseIssueOnly() {
        assertEquals(RawTraceLine.Kind.ISSUE, p.parse("  7,1    0        1     0.000123456 15112  D  RM 69896 + 8 [tar]", r, names));
        assertEquals(123_456L, r.tsNs);
        assertEquals(69896L * 512, r.offset);
        assertEquals(RawTraceLine.Kind.OTHER, p.parse("  7,1    0        2     0.000200000 15112  C  RM 69896 + 8 [0]", r, names));
        assertEquals(RawTraceLine.Kind.OTHER, p.parse("CPU0 (7,1):", r, names));
    }

    @Test
    void badLinesSayWhat() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.parse(
                "  x-1 [000] ..... 1.0: block_rq_issue: 7,1 RM 4096 () abc + 8 be,0,4 [x]", r, names));
        assertEquals("not a number: 'abc'", e.getMessage());
    }
}
