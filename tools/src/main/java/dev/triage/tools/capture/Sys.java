package dev.triage.tools.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Running system tools (losetup, mkfs.ext4, mount) and writing kernel control files. */
final class Sys {
    private Sys() {}

    /** Runs a command to completion; its output, or an IOException with its message when it fails. */
    static String run(List<String> cmd) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(cmd.get(0) + ": cannot run it (" + e.getMessage() + ")", e);
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed (exit " + p.exitValue() + "): " + out.trim());
            }
            return out;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + ": interrupted", e);
        }
    }

    /** Writes a kernel control file (tracefs, cgroupfs), naming it in the error. */
    static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IOException("cannot write '" + value.trim() + "' to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The effective user id, from /proc/self/status. */
    static long euid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return -1;
    }

    /** True when {@code dir} is a mount point (listed in /proc/self/mounts). */
    static boolean isMounted(Path dir) throws IOException {
        String want = dir.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].replace("\\040", " ").equals(want)) {
                return true;
            }
        }
        return false;
    }
}
