package dev.triage.tools.term;

import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about where output goes. */
public final class Terminal {
    private Terminal() {}

    /** True when standard error is a terminal (Linux: fd 2 links to a tty or pty). */
    public static boolean stderrIsTerminal() {
        if (System.getenv("TRIAGE_NO_PROGRESS") != null) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }
}
