package dev.triage.tools.report;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The CSV contract scripts rely on: one row per (policy, cache size, class), class {@code all}
 * for the totals. Columns: {@value #HEADER}.
 */
public final class CsvReport {
    public static final String HEADER =
            "policy,cache_bytes,class,touches,hits,hit_ratio,read_touches,read_hits,write_touches,write_hits";

    private CsvReport() {}

    public static void write(Results results, PrintStream out) {
        out.println(HEADER);
        for (ResultRow r : results.rows()) {
            out.println(String.format(Locale.ROOT, "%s,%d,%s,%d,%d,%.6f,%d,%d,%d,%d", r.policy(), r.cacheBytes(),
                    r.className(), r.touches(), r.hits(), r.hitRatio(), r.readTouches(), r.readHits(),
                    r.writeTouches(), r.writeHits()));
        }
    }
}
