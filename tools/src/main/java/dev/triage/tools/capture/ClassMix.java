package dev.triage.tools.capture;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/** Requests and bytes per class of a labelled trace, printed as a small table. */
final class ClassMix {
    private long[] requests = new long[32];
    private long[] bytes = new long[32];
    private long totalRequests;
    private long totalBytes;

    void add(BlockRequest r) {
        if (r.tag >= requests.length) {
            requests = Arrays.copyOf(requests, r.tag * 2);
            bytes = Arrays.copyOf(bytes, r.tag * 2);
        }
        requests[r.tag]++;
        bytes[r.tag] += r.length;
        totalRequests++;
        totalBytes += r.length;
    }

    long totalRequests() {
        return totalRequests;
    }

    void print(PrintStream out, ClassVocabulary vocabulary) {
        out.printf(Locale.ROOT, "%-14s %10s %7s %12s %7s%n", "class", "requests", "share", "MiB", "share");
        for (int c = 0; c < Math.min(requests.length, vocabulary.size()); c++) {
            if (requests[c] == 0) {
                continue;
            }
            out.printf(Locale.ROOT, "%-14s %10d %6.1f%% %12.1f %6.1f%%%n", vocabulary.name(c), requests[c],
                    100.0 * requests[c] / Math.max(1, totalRequests), bytes[c] / 1048576.0,
                    100.0 * bytes[c] / Math.max(1, totalBytes));
        }
        out.printf(Locale.ROOT, "%-14s %10d %7s %12.1f%n", "all", totalRequests, "", totalBytes / 1048576.0);
    }
}
