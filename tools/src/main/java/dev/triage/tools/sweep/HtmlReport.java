package dev.triage.tools.sweep;

import dev.triage.hints.Sizes;
import dev.triage.tools.plot.LineChart;
import dev.triage.tools.plot.Svg;
import java.util.Locale;

/** One self-contained HTML page: the summary, the plot (inline SVG) and the tables. */
public final class HtmlReport {
    private HtmlReport() {}

    public static String html(SweepResult r) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>triage sweep: ")
                .append(Svg.escape(r.trace())).append("</title>\n<style>body{font-family:Helvetica,Arial,sans-serif;"
                        + "margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 8px;"
                        + "text-align:right;border-bottom:1px solid #ddd}th{background:#f4f4f4}td:first-child,"
                        + "th:first-child{text-align:left}pre{background:#f8f8f8;padding:1em}</style></head><body>\n");
        b.append("<h1>triage sweep</h1>\n<pre>");
        for (String line : SweepReport.summary(r)) {
            b.append(Svg.escape(line)).append('\n');
        }
        b.append("</pre>\n");
        b.append(SweepPlot.svg(r));
        b.append("<h2>Hit ratio, all classes</h2>\n");
        table(b, r, r.classes().size());
        for (int c = 0; c < r.classes().size(); c++) {
            b.append(String.format(Locale.ROOT, "<h3>%s (%,d touches)</h3>%n", Svg.escape(r.classes().get(c)),
                    r.classTouches()[c]));
            table(b, r, c);
        }
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void table(StringBuilder b, SweepResult r, int classIndex) {
        b.append("<table><tr><th>cache</th>");
        for (int s = 0; s < r.series().size(); s++) {
            b.append("<th style=\"color:").append(LineChart.PALETTE[s % LineChart.PALETTE.length]).append("\">")
                    .append(Svg.escape(r.series().get(s).name())).append("</th>");
        }
        b.append("</tr>\n");
        for (int i = 0; i < r.sizes().size(); i++) {
            b.append("<tr><td>").append(Sizes.format(r.sizes().get(i))).append("</td>");
            for (SweepResult.Series s : r.series()) {
                b.append(String.format(Locale.ROOT, "<td>%.2f%%</td>", 100 * s.ratio()[i][classIndex]));
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n");
    }
}
