package dev.triage.hints.trace;

import static dev.triage.hints.trace.TraceTesting.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TracesTest {
    static final String CSV = """
            # hinted block trace v1
            # block_size=4096
            ts_ns,op,offset,length,class,file_size,flags,ioprio,comm
            0,F,0,0,none,,FF,none:0:0,kworker/0:1H
            720937000,R,35786752,4096,directory,,RM,be:0:4,tar
            """;
    static final String FTRACE = """
                 tar-15112   [000] .....   584.609387: ext4_ext_map_blocks_exit: dev 7,1 ino 2 flags  lblk 0 pblk 8737 len 1 mflags M ret 1
                 tar-15112   [000] .....   584.609422: block_rq_issue: 7,1 RM 4096 () 69896 + 8 be,0,4 [tar]
            """;
    static final String BLKPARSE = "  8,0    3        5     0.000005491   697  D   W 223490 + 8 [kjournald]\n";
    static final String MSR = "128166372003061629,hm,0,Read,7014609920,24576,41286\n";
    static final String LIRS = "12\n*\n13\n";

    static String sample(TraceFormat f) {
        return switch (f) {
            case HINTED_CSV -> CSV;
            case FTRACE -> FTRACE;
            case BLKPARSE -> BLKPARSE;
            case MSR -> MSR;
            case LIRS -> LIRS;
            case CLOUDPHYSICS -> new String(new byte[] {0, 0, 0, 5, 0, 0, 0, 6}, StandardCharsets.ISO_8859_1);
        };
    }

    static byte[] bytes(TraceFormat f) {
        return sample(f).getBytes(f == TraceFormat.CLOUDPHYSICS ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new ZstdOutputStreamNoFinalizer(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    private static List<String> read(byte[] data, TraceFormat expected) throws IOException {
        TraceOptions o = TraceOptions.defaults(new ClassVocabulary());
        try (TraceReader in = Traces.open(new ByteArrayInputStream(data), "x", o)) {
            assertEquals(expected, in.format());
            return readAll(in).stream().map(BlockRequest::toString).toList();
        }
    }

    @ParameterizedTest
    @EnumSource(TraceFormat.class)
    void detectsEveryFormatPlainGzipAndZstdAlike(TraceFormat f) throws IOException {
        List<String> plain = read(bytes(f), f);
        assertTrue(!plain.isEmpty());
        assertEquals(plain, read(gzip(bytes(f)), f));
        assertEquals(plain, read(zstd(bytes(f)), f));
    }

    @Test
    void detectsHintedCsvWithoutTheCommentAndFtraceByItsHeader() throws IOException {
        assertEquals(1, read("ts_ns,op,offset,length,class\n0,R,0,512,inode\n".getBytes(StandardCharsets.UTF_8),
                TraceFormat.HINTED_CSV).size());
        assertEquals(0, read("# tracer: nop\n#\n".getBytes(StandardCharsets.UTF_8), TraceFormat.FTRACE).size());
        assertEquals(1, read(("Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime\n" + MSR)
                .getBytes(StandardCharsets.UTF_8), TraceFormat.MSR).size());
    }

    @Test
    void saysWhichFormatsItTriedWhenItCannotTell() {
        TraceOptions o = TraceOptions.defaults(new ClassVocabulary());
        TraceFormatException e = assertThrows(TraceFormatException.class, () -> Traces.open(
                new ByteArrayInputStream("hello,world\n1,2\n".getBytes(StandardCharsets.UTF_8)), "odd.txt", o));
        String m = e.getMessage();
        assertTrue(m.startsWith("odd.txt:1: cannot tell the format of this trace (it begins with 'hello,world'); tried: "), m);
        for (String tried : List.of("hinted CSV v1 (", "ftrace (", "blkparse (", "MSR (", "LIRS (", "CloudPhysics (",
                "this line is not one: 'hello,world'", "--format csv|ftrace|blkparse|msr|lirs|cloudphysics")) {
            assertTrue(m.contains(tried), tried + " in " + m);
        }
        TraceFormatException empty = assertThrows(TraceFormatException.class,
                () -> Traces.open(new ByteArrayInputStream(new byte[0]), "e.txt", o));
        assertEquals("e.txt:1: cannot tell the format of an empty trace; name it (--format)", empty.getMessage());
    }

    @Test
    void aNamedFormatIsNotDetected() throws IOException {
        // LIRS-looking content read as MSR fails on its first line instead of being guessed.
        TraceOptions o = TraceOptions.defaults(new ClassVocabulary()).withFormat(TraceFormat.MSR);
        try (TraceReader in = Traces.open(new ByteArrayInputStream(LIRS.getBytes(StandardCharsets.UTF_8)), "l", o)) {
            assertInstanceOf(MsrReader.class, in);
            TraceFormatException e = assertThrows(TraceFormatException.class, () -> in.next(new BlockRequest()));
            assertTrue(e.getMessage().startsWith("l:1: expected 7 fields"), e.getMessage());
        }
    }

    @Test
    void filesReportProgressOfTheCompressedBytes(@TempDir Path dir) throws IOException {
        StringBuilder big = new StringBuilder("ts_ns,op,offset,length,class\n");
        for (int i = 0; i < 50_000; i++) {
            big.append(i).append(",R,").append(i * 4096L).append(",4096,inode\n");
        }
        byte[] data = big.toString().getBytes(StandardCharsets.UTF_8);
        for (String name : List.of("t.csv", "t.csv.gz", "t.csv.zst")) {
            Path p = dir.resolve(name);
            Files.write(p, name.endsWith(".gz") ? gzip(data) : name.endsWith(".zst") ? zstd(data) : data);
            try (TraceReader in = Traces.open(p, TraceOptions.defaults(new ClassVocabulary()))) {
                assertEquals(Files.size(p), in.bytesTotal(), name);
                assertEquals(p.toString(), in.source());
                BlockRequest r = new BlockRequest();
                assertTrue(in.next(r));
                assertTrue(in.bytesRead() > 0 && in.bytesRead() <= in.bytesTotal(), name);
                long n = 1;
                while (in.next(r)) {
                    n++;
                }
                assertEquals(50_000, n, name);
                assertEquals(in.bytesTotal(), in.bytesRead(), name);
            }
        }
    }

    @Test
    void dashReadsStandardInput() throws IOException {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(gzip(CSV.getBytes(StandardCharsets.UTF_8))));
            try (TraceReader in = Traces.open(Path.of("-"), TraceOptions.defaults(new ClassVocabulary()))) {
                assertEquals("<stdin>", in.source());
                assertEquals(-1, in.bytesTotal());
                assertEquals(2, readAll(in).size());
            }
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void aTruncatedCompressedFileIsAnErrorNamingTheFile() throws IOException {
        StringBuilder big = new StringBuilder("ts_ns,op,offset,length,class\n");
        for (int i = 0; i < 20_000; i++) {
            big.append(i).append(",R,").append(i * 4096L).append(",4096,inode\n");
        }
        byte[] gz = gzip(big.toString().getBytes(StandardCharsets.UTF_8));
        byte[] cut = java.util.Arrays.copyOf(gz, gz.length / 2);
        TraceOptions o = TraceOptions.defaults(new ClassVocabulary());
        try (TraceReader in = Traces.open(new ByteArrayInputStream(cut), "cut.csv.gz", o)) {
            IOException e = assertThrows(IOException.class, () -> readAll(in));
            assertTrue(e.getMessage().startsWith("cut.csv.gz: after line "), e.getMessage());
        }
    }

    @Test
    void readsConcatenatedGzipMembersAndZstdFrames() throws IOException {
        byte[] a = "ts_ns,op,offset,length,class\n0,R,0,512,inode\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = "1,R,512,512,inode\n2,W,0,512,inode\n".getBytes(StandardCharsets.UTF_8);
        for (boolean useGzip : new boolean[] {true, false}) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.write(useGzip ? gzip(a) : zstd(a));
            both.write(useGzip ? gzip(b) : zstd(b));
            assertEquals(3, read(both.toByteArray(), TraceFormat.HINTED_CSV).size(), useGzip ? "gzip" : "zstd");
        }
    }

    @Test
    void keepsLongLinesWhole() throws IOException {
        String comm = "p".repeat(200_000);
        String text = "ts_ns,op,offset,length,class,comm\n0,R,0,512,inode," + comm + "\n1,R,0,512,inode,x\n";
        TraceOptions o = TraceOptions.defaults(new ClassVocabulary());
        try (TraceReader in = Traces.open(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "long", o)) {
            List<BlockRequest> rs = readAll(in);
            assertEquals(2, rs.size());
            assertEquals(comm, in.processes().name(rs.get(0).comm));
        }
    }
}
