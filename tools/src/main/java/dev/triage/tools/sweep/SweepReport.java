package dev.triage.tools.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triage.hints.Sizes;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A sweep's results as a readable table, CSV or JSON; and SHARDS's error against exact LRU. */
public final class SweepReport {
    private SweepReport() {}

    /** Largest |SHARDS - exact LRU| over the sizes, or -1 when not both are there. */
    public static double shardsError(SweepResult r) {
        SweepResult.Series exact = r.series("lru");
        SweepResult.Series est = r.series(SweepRunner.SHARDS);
        if (exact == null || est == null) {
            return -1;
        }
        double max = 0;
        for (int i = 0; i < r.sizes().size(); i++) {
            max = Math.max(max, Math.abs(exact.overall(i) - est.overall(i)));
        }
        return max;
    }

    /** The header lines (what was swept, how long it took). */
    public static List<String> summary(SweepResult r) {
        List<String> out = new ArrayList<>();
        out.add("trace        " + r.trace());
        out.add(String.format(Locale.ROOT, "touches      %,d blocks of %d B from %,d requests", r.touches(), r.blockSize(),
                r.requests()));
        out.add(String.format(Locale.ROOT, "sweep        %d series x %d sizes in one pass, %d threads, %.2f s",
                r.series().size(), r.sizes().size(), r.threads(), r.seconds()));
        for (SweepResult.Series s : r.series()) {
            out.add(String.format(Locale.ROOT, "  %-10s %s", s.name(), s.note()));
        }
        double e = shardsError(r);
        if (e >= 0) {
            out.add(String.format(Locale.ROOT, "SHARDS error max |estimate - exact LRU| = %.4f (hit ratio) over these sizes",
                    e));
        }
        return out;
    }

    public static void table(SweepResult r, PrintStream out, boolean perClass) {
        for (String line : summary(r)) {
            out.println(line);
        }
        out.println();
        printTable(r, out, r.classes().size(), "hit ratio");
        if (perClass) {
            for (int c = 0; c < r.classes().size(); c++) {
                out.println();
                printTable(r, out, c, String.format(Locale.ROOT, "%s (%,d touches)", r.classes().get(c),
                        r.classTouches()[c]));
            }
        }
    }

    private static void printTable(SweepResult r, PrintStream out, int classIndex, String title) {
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-10s", "cache"));
        for (SweepResult.Series s : r.series()) {
            h.append(String.format(Locale.ROOT, " %10s", s.name()));
        }
        out.println(title);
        out.println(h);
        for (int i = 0; i < r.sizes().size(); i++) {
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-10s", Sizes.format(r.sizes().get(i))));
            for (SweepResult.Series s : r.series()) {
                b.append(String.format(Locale.ROOT, " %9.2f%%", 100 * s.ratio()[i][classIndex]));
            }
            out.println(b);
        }
    }

    /** CSV: series,cache_bytes,class,touches,hit_ratio,hits (hits empty for estimates and per class). */
    public static void csv(SweepResult r, PrintStream out) {
        out.println("series,cache_bytes,class,touches,hit_ratio,hits");
        for (SweepResult.Series s : r.series()) {
            for (int i = 0; i < r.sizes().size(); i++) {
                out.printf(Locale.ROOT, "%s,%d,all,%d,%.6f,%s%n", s.name(), r.sizes().get(i), r.touches(), s.overall(i),
                        s.hits() == null ? "" : Long.toString(s.hits()[i]));
                for (int c = 0; c < r.classes().size(); c++) {
                    out.printf(Locale.ROOT, "%s,%d,%s,%d,%.6f,%n", s.name(), r.sizes().get(i), r.classes().get(c),
                            r.classTouches()[c], s.ratio()[i][c]);
                }
            }
        }
    }

    public static void json(SweepResult r, PrintStream out) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode doc = m.createObjectNode();
        doc.put("trace", r.trace());
        doc.put("block_size", r.blockSize());
        doc.put("touches", r.touches());
        doc.put("requests", r.requests());
        doc.put("seconds", r.seconds());
        doc.put("threads", r.threads());
        ArrayNode sizes = doc.putArray("cache_bytes");
        r.sizes().forEach(sizes::add);
        ObjectNode classes = doc.putObject("class_touches");
        for (int c = 0; c < r.classes().size(); c++) {
            classes.put(r.classes().get(c), r.classTouches()[c]);
        }
        double e = shardsError(r);
        if (e >= 0) {
            doc.put("shards_max_error", e);
        }
        ArrayNode series = doc.putArray("series");
        for (SweepResult.Series s : r.series()) {
            ObjectNode o = series.addObject();
            o.put("name", s.name());
            o.put("estimate", s.estimate());
            o.put("note", s.note());
            ArrayNode overall = o.putArray("hit_ratio");
            for (int i = 0; i < r.sizes().size(); i++) {
                overall.add(s.overall(i));
            }
            if (s.hits() != null) {
                ArrayNode hits = o.putArray("hits");
                for (long v : s.hits()) {
                    hits.add(v);
                }
            }
            ObjectNode pc = o.putObject("per_class");
            for (int c = 0; c < r.classes().size(); c++) {
                ArrayNode a = pc.putArray(r.classes().get(c));
                for (int i = 0; i < r.sizes().size(); i++) {
                    a.add(s.ratio()[i][c]);
                }
            }
        }
        out.println(m.writeValueAsString(doc));
    }
}
