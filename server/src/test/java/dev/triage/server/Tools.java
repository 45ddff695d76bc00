package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the Debian NBD tools (qemu-utils, libnbd-bin, fio, nbdkit) for integration tests. */
final class Tools {
    private Tools() {
    }

    /** Skips the test unless {@code tool} is installed (scripts/install-test-deps.sh installs them). */
    static void require(String tool) {
        for (String d : List.of("/usr/bin", "/usr/local/bin", "/bin", "/usr/sbin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return;
            }
        }
        Assumptions.abort(tool + " is not installed: run scripts/install-test-deps.sh (Debian package "
                + switch (tool) {
                    case "qemu-img", "qemu-io", "qemu-nbd" -> "qemu-utils";
                    case "nbdinfo", "nbdcopy" -> "libnbd-bin";
                    default -> tool;
                } + ")");
    }

    record Result(int exit, String output) {
    }

    /** Runs a command (Debian's /usr/bin first on PATH) and returns exit code and merged output. */
    static Result run(Path dir, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("PATH", "/usr/bin:/bin:/usr/sbin:" + System.getenv().getOrDefault("PATH", ""));
        pb.environment().put("LC_ALL", "C");
        Path log = Files.createTempFile(dir, "out", ".txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", cmd) + ": no exit after 90 s; output:\n" + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed; returns its output. */
    static String ok(Path dir, String... cmd) throws IOException, InterruptedException {
        Result r = run(dir, cmd);
        assertEquals(0, r.exit(), () -> String.join(" ", cmd) + " failed:\n" + r.output());
        return r.output();
    }
}
