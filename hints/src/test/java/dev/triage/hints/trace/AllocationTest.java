package dev.triage.hints.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.NameTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The readers and the writer allocate nothing per request: reading (or writing) {@value #N}
 * requests allocates far less than one small object per request. Buffers and first sights of
 * names are allowed for.
 */
class AllocationTest {
    static final int N = 50_000;
    /** Far below one 16-byte object per request. */
    static final long BUDGET = 256 * 1024;

    private static long allocated() {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(bean.isThreadAllocatedMemorySupported(), "no per-thread allocation counter in this JVM");
        return bean.getCurrentThreadAllocatedBytes();
    }

    private static String trace(TraceFormat f) {
        StringBuilder b = new StringBuilder();
        if (f == TraceFormat.HINTED_CSV) {
            b.append("# hinted block trace v1\n# block_size=4096\nts_ns,op,offset,length,class,file_size,flags,ioprio,comm,volume\n");
        }
        for (int i = 0; i < N; i++) {
            long sector = (i * 7919L) % 1_000_000 * 8;
            String comm = i % 3 == 0 ? "tar" : "kworker/1:1H";
            switch (f) {
                case HINTED_CSV -> b.append(i * 1000L).append(i % 2 == 0 ? ",R," : ",W,").append(sector * 512)
                        .append(",4096,").append(i % 5 == 0 ? "inode" : "file_16k").append(',').append(i % 5 == 0 ? "" : "9000")
                        .append(i % 2 == 0 ? ",RM," : ",WS,").append("be:0:4,").append(comm).append(",vda\n");
                case FTRACE -> b.append("  ").append(comm).append("-15 [001] ..... ").append(500 + i / 1000).append('.')
                        .append(String.valueOf(1_000_000 + i % 1000 * 1000).substring(1)).append(": block_rq_issue: 7,1 ")
                        .append(i % 2 == 0 ? "RM" : "WS").append(" 4096 () ").append(sector).append(" + 8 be,0,4 [")
                        .append(comm).append("]\n")
                        .append("  tar-15 [000] ..... 1.5: ext4_ext_map_blocks_exit: dev 7,1 ino 2 flags\n");
                case BLKPARSE -> b.append("  8,0  1 ").append(i).append(' ').append(i / 1000).append('.')
                        .append(String.valueOf(1_000_000_000L + i % 1000).substring(1)).append(" 697 D ").append(i % 2 == 0 ? "R" : "WS")
                        .append(' ').append(sector).append(" + 8 [").append(comm).append("]\n");
                case MSR -> b.append(128166372003061629L + i).append(",hm,").append(i % 2).append(i % 2 == 0 ? ",Read," : ",Write,")
                        .append(sector * 512).append(",4096,100\n");
                case LIRS -> b.append(sector).append('\n');
                case CLOUDPHYSICS -> throw new IllegalArgumentException("binary");
            }
        }
        return b.toString();
    }

    @ParameterizedTest
    @EnumSource(value = TraceFormat.class, names = {"HINTED_CSV", "FTRACE", "BLKPARSE", "MSR", "LIRS"})
    void readersAllocateNothingPerRequest(TraceFormat f) throws IOException {
        byte[] data = trace(f).getBytes(StandardCharsets.UTF_8);
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) { // the first rounds warm up the JIT
            TraceOptions o = TraceOptions.defaults(new ClassVocabulary()).withFormat(f);
            try (TraceReader in = Traces.open(new ByteArrayInputStream(data), "a", o)) {
                BlockRequest r = new BlockRequest();
                long n = 0;
                long before = allocated();
                while (in.next(r)) {
                    n++;
                }
                best = Math.min(best, allocated() - before);
                assertEquals(N, n);
            }
        }
        assertTrue(best < BUDGET, f + ": " + best + " bytes allocated reading " + N + " requests");
    }

    @Test
    void theWriterAllocatesNothingPerRequest() throws IOException {
        ClassVocabulary vocabulary = new ClassVocabulary();
        NameTable comms = new NameTable();
        NameTable volumes = new NameTable();
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++) {
            try (HintedCsvWriter out = HintedCsvWriter.to(OutputStream.nullOutputStream(), "null", Map.of(), true)) {
                BlockRequest r = new BlockRequest();
                long before = allocated();
                for (int i = 0; i < N; i++) {
                    r.tsNs = i;
                    r.offset = i * 4096L;
                    r.length = 4096;
                    r.tag = i % 7;
                    r.fileSize = i % 3 == 0 ? -1 : i;
                    r.flags = i % 2 == 0 ? 0x8101 : 0x8082;
                    r.ioprio = IoPrio.pack(IoPrio.BE, i % 8, 0);
                    r.comm = comms.intern(i % 2 == 0 ? "tar" : "cp");
                    r.volume = volumes.intern("vda");
                    out.write(r, vocabulary, comms, volumes);
                }
                best = Math.min(best, allocated() - before);
            }
        }
        assertTrue(best < BUDGET, best + " bytes allocated writing " + N + " requests");
    }

    @Test
    void ioPrioClassOfAllocatesNothing() {
        String s = "xidle,be,rt,none";
        assertEquals(IoPrio.IDLE, IoPrio.classOf(s, 1, 5));
        assertEquals(IoPrio.BE, IoPrio.classOf(s, 6, 8));
        assertEquals(IoPrio.RT, IoPrio.classOf(s, 9, 11));
        assertEquals(IoPrio.NONE, IoPrio.classOf(s, 12, 16));
        assertEquals(-1, IoPrio.classOf(s, 0, 4));
        int sum = 0;
        long before = allocated();
        for (int i = 0; i < N; i++) {
            sum += IoPrio.classOf(s, 6, 8);
        }
        long used = allocated() - before;
        assertEquals(2 * N, sum);
        assertTrue(used < BUDGET, used + " bytes allocated by " + N + " calls");
    }
}
