package dev.triage.tools.sweep;

import dev.triage.hints.Sizes;
import dev.triage.tools.plot.LineChart;
import dev.triage.tools.plot.Svg;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The sweep's picture as SVG: hit ratio against cache size, one line per series (estimates
 * dashed), and below it a panel per class (the classes with the most touches, up to six).
 */
public final class SweepPlot {
    static final int MAX_PANELS = 6;

    private SweepPlot() {}

    public static String svg(SweepResult r) {
        List<Integer> panels = new ArrayList<>();
        for (int c = 0; c < r.classes().size(); c++) {
            panels.add(c);
        }
        panels.sort(Comparator.comparingLong((Integer c) -> r.classTouches()[c]).reversed());
        if (panels.size() > MAX_PANELS) {
            panels = panels.subList(0, MAX_PANELS);
        }
        if (panels.size() <= 1) {
            panels = List.of();
        }
        double width = 960;
        double mainH = 440;
        double panelW = width / 3;
        double panelH = 260;
        int rows = (panels.size() + 2) / 3;
        Svg svg = new Svg(width, mainH + rows * panelH + 10);
        String name = r.trace().replaceAll(".*/", "");
        chart(r, r.classes().size(), "Hit ratio against cache size: " + name, true).draw(svg, 0, 0, width, mainH, true,
                13);
        for (int i = 0; i < panels.size(); i++) {
            int c = panels.get(i);
            double share = 100.0 * r.classTouches()[c] / Math.max(1, r.touches());
            String title = String.format(Locale.ROOT, "%s (%.1f%% of touches)", r.classes().get(c), share);
            chart(r, c, title, false).draw(svg, (i % 3) * panelW, mainH + (i / 3) * panelH, panelW, panelH, false, 10);
        }
        return svg.document();
    }

    private static LineChart chart(SweepResult r, int classIndex, String title, boolean legend) {
        LineChart ch = new LineChart(title, "cache size", "hit ratio", v -> Sizes.format((long) v));
        double[] x = r.sizes().stream().mapToDouble(Long::doubleValue).toArray();
        for (SweepResult.Series s : r.series()) {
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = s.ratio()[i][classIndex];
            }
            ch.add(new LineChart.Series(s.name(), x, y, s.estimate()));
        }
        return ch;
    }
}
