package dev.triage.tools.replay;

import java.util.Locale;

/** Reports lines skipped under --skip-bad on standard error. */
final class Skipped {
    private Skipped() {}

    static void report(Experiment.Outcome o) {
        long n = o.totals().skippedLines();
        if (n == 0) {
            return;
        }
        System.err.printf(Locale.ROOT, "triage: skipped %,d malformed line%s%n", n, n == 1 ? "" : "s");
        for (String s : o.skippedSamples()) {
            System.err.println("  " + s);
        }
        if (n > o.skippedSamples().size()) {
            System.err.println("  ...");
        }
    }
}
