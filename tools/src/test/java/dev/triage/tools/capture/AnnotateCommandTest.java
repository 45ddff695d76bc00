package dev.triage.tools.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.tools.Triage;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code triage annotate} on the shared devtree-raw material reproduces devtree.csv.gz row for row. */
class AnnotateCommandTest {

    private static int run(ByteArrayOutputStream err, String... args) {
        CommandLine cl = Triage.commandLine();
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cl.execute(args);
    }

    private static List<String> rows(Path gz) throws Exception {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
                StandardCharsets.UTF_8))) {
            return r.lines().filter(l -> !l.startsWith("#")).toList();
        }
    }

    @Test
    void devtreeRawGivesTheReferenceRows() throws Exception {
        Path shared = Path.of(System.getProperty("triage.shared", "../shared"), "traces");
        Path raw = shared.resolve("devtree-raw");
        assumeTrue(Files.isDirectory(raw), "shared devtree-raw is absent: " + raw);
        Path out = Path.of("target", "annotate-test", "devtree.csv.gz");
        Files.createDirectories(out.getParent());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(err, "annotate", "--trace", raw.resolve("ftrace.txt.gz").toString(), "--layout", raw.toString(),
                "--out", out.toString());
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        List<String> ours = rows(out);
        List<String> ref = rows(shared.resolve("devtree.csv.gz"));
        assertEquals(ref.size(), ours.size());
        for (int i = 0; i < ref.size(); i++) {
            assertEquals(ref.get(i), ours.get(i), "row " + i);
        }
    }

    @Test
    void userErrorsAreOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(err, "annotate", "--trace", "no/such/trace.txt", "--image", "x.img", "--out", "target/x.csv.gz");
        assertEquals(2, code);
        String e = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals("triage: no/such/trace.txt: no such file (--trace)", e);
    }

    @Test
    void notExt4ImageIsAClearError() throws Exception {
        Path dir = Path.of("target", "annotate-test");
        Files.createDirectories(dir);
        Path trace = dir.resolve("t.txt");
        Files.writeString(trace, "  x-1 [000] ..... 1.0: block_rq_issue: 7,1 R 4096 () 8 + 8 be,0,4 [x]\n");
        Path img = dir.resolve("zero.img");
        Files.write(img, new byte[1 << 16]);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(err, "annotate", "--trace", trace.toString(), "--image", img.toString(), "--out",
                dir.resolve("o.csv").toString());
        assertEquals(1, code);
        String e = err.toString(StandardCharsets.UTF_8).trim();
        assertTrue(e.startsWith("triage: primary superblock: no ext4 superblock (magic 0x0"), e);
    }
}
