package dev.triage.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gives one clear line on stderr and a non-zero exit, never a stack trace. */
class CliErrorsTest {
    @TempDir
    Path dir;

    private static void oneClearLine(CliRun run, String expectedStart) {
        assertNotEquals(0, run.exit, run.err);
        String err = run.err.strip();
        assertEquals(1, err.lines().count(), "exactly one line: " + err);
        assertTrue(err.startsWith(expectedStart), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    }

    @Test
    void malformedTraceLine() throws IOException {
        Path t = dir.resolve("bad.csv");
        Files.writeString(t, """
                # hinted block trace v1
                ts_ns,op,offset,length,class
                0,R,0,4096,inode
                10,X,4096,4096,inode
                """);
        CliRun run = CliRun.of("compare", "--trace", t.toString(), "--policies", "lru", "--cache", "1MiB");
        oneClearLine(run, "triage: " + t + ":4: ");
        assertTrue(run.err.contains("op"), run.err);
    }

    @Test
    void skipBadCountsAndGoesOn() throws IOException {
        Path t = dir.resolve("bad.csv");
        Files.writeString(t, """
                # hinted block trace v1
                ts_ns,op,offset,length,class
                0,R,0,4096,inode
                10,X,4096,4096,inode
                20,R,0,4096,inode
                """);
        CliRun run = CliRun.of("compare", "--trace", t.toString(), "--policies", "lru", "--cache", "1MiB", "--csv",
                "--skip-bad");
        assertEquals(0, run.exit, run.err);
        assertTrue(run.err.contains("skipped 1 malformed line"), run.err);
        assertTrue(run.out.contains("lru,1048576,all,2,1,0.500000,2,1,0,0"), run.out);
    }

    @Test
    void unknownPolicyFileField() throws IOException {
        Path p = dir.resolve("p.toml");
        Files.writeString(p, "version = 1\n[classes.inode]\npriority = 0\nprioroty = 1\n");
        CliRun run = CliRun.of("compare", "--policy-file", p.toString(), "--policies", "lru", "--cache", "1MiB");
        oneClearLine(run, "triage: " + p + ":4: classes.inode.prioroty: unknown field");
    }

    @Test
    void unknownPolicyName() {
        CliRun run = CliRun.of("compare", "--policies", "lru,lfru", "--cache", "1MiB");
        oneClearLine(run, "triage: --policies: unknown cache policy 'lfru'");
        assertTrue(run.err.contains("lru"), run.err);
    }

    @Test
    void missingTraceAndBadSize() {
        oneClearLine(CliRun.of("replay", "--trace", dir.resolve("nope.csv").toString()), "triage: ");
        oneClearLine(CliRun.of("compare", "--cache", "16 parsecs"), "triage: --cache: ");
        oneClearLine(CliRun.of("compare", "--format", "xml"), "triage: --format: unknown format 'xml'");
    }
}
