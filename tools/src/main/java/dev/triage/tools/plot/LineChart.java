package dev.triage.tools.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * A line chart of hit ratio (y, 0..100%) against cache size (x, log scale, powers of two as
 * ticks): axes with ticks, tick labels and titles, a light grid, one line (with point marks) per
 * series, and a legend. Drawn into an {@link Svg} at a given box, so several charts can share a
 * page.
 */
public final class LineChart {
    /** The colours of the series, in order (a qualitative palette that prints well). */
    public static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#17becf", "#7f7f7f", "#bcbd22", "#393b79", "#637939"};

    /** One line: {@code x} ascending and positive. */
    public record Series(String name, double[] x, double[] y, boolean dashed) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final DoubleFunction<String> xFormat;
    private final List<Series> series = new ArrayList<>();

    public LineChart(String title, String xLabel, String yLabel, DoubleFunction<String> xFormat) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.xFormat = xFormat;
    }

    public LineChart add(Series s) {
        series.add(s);
        return this;
    }

    public List<Series> series() {
        return series;
    }

    /** Draws the chart in the box; the legend on the right when {@code legend}. */
    public void draw(Svg svg, double left, double top, double width, double height, boolean legend, double font) {
        double legendW = legend ? 10 * font : 0;
        double x0 = left + 4.5 * font;
        double x1 = left + width - legendW - font;
        double y0 = top + 2.2 * font;
        double y1 = top + height - 3.2 * font;
        svg.text((x0 + x1) / 2, top + 1.3 * font, title, font * 1.1, "middle", 0, true);

        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (s.x[i] > 0) {
                    minX = Math.min(minX, s.x[i]);
                    maxX = Math.max(maxX, s.x[i]);
                }
                maxY = Math.max(maxY, s.y[i]);
            }
        }
        if (minX == Double.MAX_VALUE) {
            minX = 1;
            maxX = 2;
        }
        if (maxX <= minX) {
            maxX = minX * 2;
        }
        double top100 = Math.min(1.0, Math.ceil(maxY * 10 + 1e-9) / 10);
        if (top100 <= 0) {
            top100 = 0.1;
        }
        double lminX = Math.log(minX);
        double lmaxX = Math.log(maxX);
        double span = lmaxX - lminX;
        lminX -= span * 0.03;
        lmaxX += span * 0.03;
        final double a = lminX;
        final double b = lmaxX;
        final double yTop = top100;
        java.util.function.DoubleUnaryOperator px = v -> x0 + (Math.log(v) - a) / (b - a) * (x1 - x0);
        java.util.function.DoubleUnaryOperator py = v -> y1 - v / yTop * (y1 - y0);

        // grid and y ticks
        double step = yTop > 0.5 ? 0.1 : yTop > 0.2 ? 0.05 : 0.02;
        for (double v = 0; v <= yTop + 1e-9; v += step) {
            double y = py.applyAsDouble(v);
            svg.line(x0, y, x1, y, "#e6e6e6", 0.8);
            svg.line(x0 - 4, y, x0, y, "#333", 1);
            svg.text(x0 - 6, y + font * 0.35, String.format(Locale.ROOT, "%.0f%%", v * 100), font * 0.85, "end", 0,
                    false);
        }
        // x ticks at powers of two, thinned to at most 8
        int p0 = (int) Math.ceil(Math.log(Math.exp(a)) / Math.log(2) - 1e-9);
        int p1 = (int) Math.floor(Math.log(Math.exp(b)) / Math.log(2) + 1e-9);
        int every = Math.max(1, (int) Math.ceil((p1 - p0 + 1) / 8.0));
        for (int p = p0; p <= p1; p++) {
            if ((p - p0) % every != 0) {
                continue;
            }
            double v = Math.pow(2, p);
            double x = px.applyAsDouble(v);
            svg.line(x, y0, x, y1, "#f0f0f0", 0.8);
            svg.line(x, y1, x, y1 + 4, "#333", 1);
            svg.text(x, y1 + 1.3 * font, xFormat.apply(v), font * 0.85, "middle", 0, false);
        }
        svg.line(x0, y1, x1, y1, "#333", 1.2);
        svg.line(x0, y0, x0, y1, "#333", 1.2);
        svg.text((x0 + x1) / 2, y1 + 2.6 * font, xLabel, font, "middle", 0, false);
        svg.text(left + 1.1 * font, (y0 + y1) / 2, yLabel, font, "middle", -90, false);

        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String colour = PALETTE[i % PALETTE.length];
            List<double[]> pts = new ArrayList<>();
            for (int k = 0; k < s.x.length; k++) {
                if (s.x[k] > 0) {
                    pts.add(new double[] {px.applyAsDouble(s.x[k]), py.applyAsDouble(s.y[k])});
                }
            }
            double[] xs = new double[pts.size()];
            double[] ys = new double[pts.size()];
            for (int k = 0; k < xs.length; k++) {
                xs[k] = pts.get(k)[0];
                ys[k] = pts.get(k)[1];
            }
            svg.polyline(xs, ys, colour, 1.8, s.dashed);
            if (xs.length <= 40) {
                for (int k = 0; k < xs.length; k++) {
                    svg.circle(xs[k], ys[k], 2.2, colour);
                }
            }
            if (legend) {
                double ly = y0 + i * 1.4 * font;
                double lx = x1 + font;
                svg.line(lx, ly, lx + 1.6 * font, ly, colour, 2.5);
                svg.text(lx + 2.0 * font, ly + font * 0.35, s.name, font * 0.9, "start", 0, false);
            }
        }
    }
}
