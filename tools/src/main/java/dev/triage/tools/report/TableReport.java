package dev.triage.tools.report;

import dev.triage.hints.Op;
import dev.triage.hints.Sizes;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The readable report: what was replayed, a table of overall hit ratios (policies down, cache
 * sizes across), then a table per cache size of hit ratios per class (classes down, policies
 * across).
 */
public final class TableReport {
    private TableReport() {}

    public static void write(Results res, PrintStream out, boolean perClass) {
        var t = res.totals();
        out.printf(Locale.ROOT, "trace        %s%n", res.trace());
        out.printf(Locale.ROOT, "requests     %,d  (R %,d  W %,d  D %,d  F %,d)%s%n", t.requests(), t.requests(Op.READ),
                t.requests(Op.WRITE), t.requests(Op.DISCARD), t.requests(Op.FLUSH),
                t.skippedLines() > 0 ? String.format(Locale.ROOT, "  skipped %,d bad lines", t.skippedLines()) : "");
        out.printf(Locale.ROOT, "touches      %,d blocks of %d B  (%.1f%% reads)%s%n", t.touches(), res.blockSize(),
                t.touches() == 0 ? 0.0 : 100.0 * t.readTouches() / t.touches(),
                res.distinctBlocks() >= 0 ? String.format(Locale.ROOT, ", working set %,d blocks (%s)",
                        res.distinctBlocks(), Sizes.format(res.distinctBlocks() * res.blockSize())) : "");
        out.printf(Locale.ROOT, "policy file  %s%n", res.policyFile());
        out.printf(Locale.ROOT, "time         %.2f s%n", res.seconds());
        out.println();

        List<String> header = new ArrayList<>();
        header.add("hit ratio");
        for (long size : res.cacheSizes()) {
            header.add(Sizes.format(size));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String p : res.policies()) {
            List<String> row = new ArrayList<>();
            row.add(p);
            for (long size : res.cacheSizes()) {
                ResultRow r = res.row(p, size, ResultRow.ALL);
                row.add(r == null ? "" : percent(r.hitRatio()));
            }
            rows.add(row);
        }
        print(out, header, rows);

        if (!perClass) {
            return;
        }
        for (long size : res.cacheSizes()) {
            out.println();
            out.printf(Locale.ROOT, "per class at %s (hit ratio)%n", Sizes.format(size));
            List<String> h = new ArrayList<>(List.of("class", "touches", "share", "reads"));
            h.addAll(res.policies());
            List<List<String>> body = new ArrayList<>();
            long all = t.touches();
            List<String> names = new ArrayList<>(res.classes());
            names.add(ResultRow.ALL);
            for (String c : names) {
                ResultRow first = res.row(res.policies().getFirst(), size, c);
                if (first == null || first.touches() == 0) {
                    continue;
                }
                List<String> row = new ArrayList<>();
                row.add(c);
                row.add(String.format(Locale.ROOT, "%,d", first.touches()));
                row.add(all == 0 ? "" : percent((double) first.touches() / all));
                row.add(percent((double) first.readTouches() / first.touches()));
                for (String p : res.policies()) {
                    ResultRow r = res.row(p, size, c);
                    row.add(r == null ? "" : percent(r.hitRatio()));
                }
                body.add(row);
            }
            print(out, h, body);
        }
    }

    static String percent(double ratio) {
        return String.format(Locale.ROOT, "%.2f%%", 100.0 * ratio);
    }

    /** Prints an aligned table: first column left-aligned, the others right-aligned. */
    static void print(PrintStream out, List<String> header, List<List<String>> rows) {
        int cols = header.size();
        int[] width = new int[cols];
        for (int i = 0; i < cols; i++) {
            width[i] = header.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < cols; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        line(out, header, width);
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < cols; i++) {
            if (i > 0) {
                rule.append("  ");
            }
            rule.append("-".repeat(width[i]));
        }
        out.println(rule);
        for (List<String> r : rows) {
            line(out, r, width);
        }
    }

    private static void line(PrintStream out, List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append("  ");
            }
            String c = cells.get(i);
            if (i == 0) {
                b.append(c).append(" ".repeat(width[i] - c.length()));
            } else {
                b.append(" ".repeat(width[i] - c.length())).append(c);
            }
        }
        out.println(b.toString().stripTrailing());
    }
}
