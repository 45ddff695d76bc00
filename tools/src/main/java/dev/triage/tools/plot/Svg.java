package dev.triage.tools.plot;

import java.util.Locale;

/** A tiny SVG writer: the few elements the charts need, with text escaped. */
public final class Svg {
    private final StringBuilder out = new StringBuilder();
    private final double width;
    private final double height;

    public Svg(double width, double height) {
        this.width = width;
        this.height = height;
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    public Svg line(double x1, double y1, double x2, double y2, String stroke, double width) {
        out.append("<line x1=\"").append(n(x1)).append("\" y1=\"").append(n(y1)).append("\" x2=\"").append(n(x2))
                .append("\" y2=\"").append(n(y2)).append("\" stroke=\"").append(stroke).append("\" stroke-width=\"")
                .append(n(width)).append("\"/>\n");
        return this;
    }

    public Svg rect(double x, double y, double w, double h, String fill, String stroke) {
        out.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"").append(fill).append("\" stroke=\"")
                .append(stroke).append("\"/>\n");
        return this;
    }

    public Svg polyline(double[] xs, double[] ys, String stroke, double width, boolean dashed) {
        out.append("<polyline fill=\"none\" stroke=\"").append(stroke).append("\" stroke-width=\"").append(n(width))
                .append("\"").append(dashed ? " stroke-dasharray=\"5,3\"" : "").append(" points=\"");
        for (int i = 0; i < xs.length; i++) {
            out.append(n(xs[i])).append(',').append(n(ys[i])).append(' ');
        }
        out.append("\"/>\n");
        return this;
    }

    public Svg circle(double x, double y, double r, String fill) {
        out.append("<circle cx=\"").append(n(x)).append("\" cy=\"").append(n(y)).append("\" r=\"").append(n(r))
                .append("\" fill=\"").append(fill).append("\"/>\n");
        return this;
    }

    /** Text; {@code anchor} is start, middle or end; {@code rotate} in degrees about the anchor point. */
    public Svg text(double x, double y, String text, double size, String anchor, double rotate, boolean bold) {
        out.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(size))
                .append("\" text-anchor=\"").append(anchor).append("\"");
        if (bold) {
            out.append(" font-weight=\"bold\"");
        }
        if (rotate != 0) {
            out.append(" transform=\"rotate(").append(n(rotate)).append(' ').append(n(x)).append(' ').append(n(y))
                    .append(")\"");
        }
        out.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    /** The document. */
    public String document() {
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + n(width) + "\" height=\"" + n(height)
                + "\" viewBox=\"0 0 " + n(width) + " " + n(height) + "\" font-family=\"Helvetica, Arial, sans-serif\">\n"
                + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + out + "</svg>\n";
    }
}
