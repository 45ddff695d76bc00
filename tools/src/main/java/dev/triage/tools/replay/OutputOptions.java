package dev.triage.tools.replay;

import dev.triage.tools.UserError;
import dev.triage.tools.report.CsvReport;
import dev.triage.tools.report.JsonReport;
import dev.triage.tools.report.Results;
import dev.triage.tools.report.TableReport;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/** How results are printed: a readable table (default), CSV or JSON. */
public final class OutputOptions {
    @Option(names = "--csv", description = "Print CSV: one row per (policy, cache size, class); class 'all' for the totals.")
    boolean csv;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Option(names = "--no-progress", description = "No progress bar (it shows only when stderr is a terminal).")
    boolean noProgress;

    @Option(names = {"-j", "--threads"}, paramLabel = "N",
            description = "Worker threads. Default: the number of cores.")
    Integer threads;

    public int threads() {
        int n = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        if (n < 1) {
            throw new UserError("--threads must be at least 1, got " + n);
        }
        return n;
    }

    public boolean progress() {
        return !noProgress;
    }

    public void print(Results results, PrintStream out, boolean perClass) throws IOException {
        if (csv && json) {
            throw new UserError("--csv and --json: choose one");
        }
        if (csv) {
            CsvReport.write(results, out);
        } else if (json) {
            JsonReport.write(results, out);
        } else {
            TableReport.write(results, out, perClass);
        }
        out.flush();
    }
}
