package dev.triage.tools.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code triage capture} in a child JVM and checks that it leaves nothing behind — no loop
 * device, mount, trace instance or cgroup — after success, after the command fails, and after
 * SIGINT. Needs root, mkfs.ext4, losetup, tracefs and the cgroup v1 memory controller.
 */
class CaptureCleanupTest {
    /** A sleep no other process on the machine runs (another test run, say): this run's own. */
    private static final String SLEEP = "987." + ProcessHandle.current().pid();

    private static final Path MEMCG = Path.of("/sys/fs/cgroup/memory");

    @BeforeAll
    static void assumptions() {
        assumeTrue(Sys.euid() == 0, "capture needs root: skipping the capture cleanup tests");
        for (String tool : List.of("mkfs.ext4", "losetup", "mount")) {
            assumeTrue(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin").stream()
                    .anyMatch(d -> Files.isExecutable(Path.of(d, tool))), tool + " is absent: skipping capture tests");
        }
        assumeTrue(Files.isDirectory(MEMCG), "no cgroup v1 memory controller at " + MEMCG);
        assumeTrue(Files.isDirectory(Path.of("/sys/kernel/tracing")), "no /sys/kernel/tracing");
    }

    private record Run(Process process, Path work, Path out, List<String> stderr, CountDownLatch running) {}

    private static Run start(String name, String... command) throws IOException {
        Path base = Path.of("target", "capture-test").toAbsolutePath();
        Files.createDirectories(base);
        Path work = base.resolve("work-" + name);
        Path out = base.resolve(name + ".csv.gz");
        Files.deleteIfExists(out);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "dev.triage.tools.Triage", "capture",
                "--out", out.toString(), "--fs-size", "128M", "--work-dir", work.toString(), "--"));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> err = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch running = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String s; (s = r.readLine()) != null; ) {
                    err.add(s);
                    if (s.startsWith("capture: running")) {
                        running.countDown();
                    }
                }
            } catch (IOException e) {
                err.add("(stderr: " + e + ")");
            }
        });
        t.setDaemon(true);
        t.start();
        return new Run(p, work, out, err, running);
    }

    /** Nothing of the run is left: no loop device on its image, no mount under its folder, no instance, no cgroup. */
    private static void assertNothingLeft(Run run) throws IOException {
        long pid = run.process().pid();
        String work = run.work().toString();
        String loops = Sys.run(List.of("losetup", "-a"));
        assertFalse(loops.contains(work), "a loop device is left: " + loops);
        assertFalse(Files.readString(Path.of("/proc/self/mounts")).contains(work), "a mount is left under " + work);
        assertFalse(Files.exists(Path.of("/sys/kernel/tracing/instances/triage-" + pid)), "the trace instance is left");
        assertFalse(Files.exists(MEMCG.resolve("triage-" + pid)), "the cgroup is left");
        assertFalse(Files.exists(run.work().resolve("fs.img")), "the image is left");
    }

    @Test
    void successWritesALabelledTraceAndLeavesNothing() {
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            Run run = start("ok", "sh", "-c",
                    "mkdir $TRIAGE_MNT/d && for i in 1 2 3 4 5; do head -c 20000 /dev/urandom > $TRIAGE_MNT/d/f$i; done; sync");
            assertEquals(0, run.process().waitFor(), String.join("\n", run.stderr()));
            assertNothingLeft(run);
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                    Files.newInputStream(run.out())), StandardCharsets.UTF_8))) {
                r.lines().forEach(lines::add);
            }
            assertEquals("# hinted block trace v1", lines.get(0));
            assertEquals("ts_ns,op,offset,length,class,file_size,flags,ioprio,comm", lines.get(2));
            assertTrue(lines.stream().anyMatch(l -> l.contains(",file_64k,20000,")), "the 20000-byte files' data");
            assertTrue(lines.stream().anyMatch(l -> l.contains(",journal,")), "journal writes");
        });
    }

    @Test
    void failingCommandLeavesNothing() {
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            Run run = start("fail", "sh", "-c", "echo x > $TRIAGE_MNT/x; exit 3");
            assertEquals(3, run.process().waitFor(), "capture exits with the command's status");
            assertNothingLeft(run);
        });
    }

    @Test
    void sigintLeavesNothing() {
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            Run run = start("sigint", "sh", "-c", "cd $TRIAGE_MNT && exec sleep " + SLEEP);
            assertTrue(run.running().await(120, TimeUnit.SECONDS), "capture started: " + run.stderr());
            Thread.sleep(500);
            Sys.run(List.of("kill", "-INT", Long.toString(run.process().pid())));
            assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), "capture ended after SIGINT");
            assertNothingLeft(run);
            assertFalse(sleepAlive(), "the command (sleep " + SLEEP + ") was stopped");
        });
    }

    /** Ctrl-C at several moments of the set-up (mkfs, losetup, mount, tracefs, cgroup, start). */
    @Test
    void sigintDuringSetUpLeavesNothing() {
        assertTimeoutPreemptively(Duration.ofMinutes(4), () -> {
            for (int delayMs : new int[] {400, 800, 1200, 1600, 2000}) {
                Run run = start("sigint-" + delayMs, "sh", "-c", "exec sleep " + SLEEP);
                Thread.sleep(delayMs);
                Sys.run(List.of("kill", "-INT", Long.toString(run.process().pid())));
                assertTrue(run.process().waitFor(60, TimeUnit.SECONDS), "capture ended after SIGINT at " + delayMs + " ms");
                assertNothingLeft(run);
                assertFalse(sleepAlive(), "the command was stopped (SIGINT at " + delayMs + " ms)");
            }
        });
    }

    private static boolean sleepAlive() throws IOException {
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                try {
                    String cmd = Files.readString(p.resolve("cmdline"), StandardCharsets.ISO_8859_1);
                    if (cmd.equals("sleep\u0000" + SLEEP + "\u0000")) {
                        return true;
                    }
                } catch (IOException | RuntimeException e) {
                    // not a process, or gone
                }
            }
        }
        return false;
    }
}
