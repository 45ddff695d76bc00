package dev.triage.placement;

import java.util.Locale;

/**
 * A zone as the user asks for it at pool creation: a name and a range of the data area given
 * as percentages ({@code meta:45%-55%}) or as byte offsets into the data area with optional
 * K/M/G/T suffixes ({@code fast:0-1G}). {@link Pool#create} turns it into a {@link Zone}.
 *
 * @param name the zone's name
 * @param from start as a fraction of the data area in [0, 1], or -1 when given in bytes
 * @param to end as a fraction, or -1 when given in bytes
 * @param fromBytes start in bytes into the data area (when fractions are -1)
 * @param toBytes end in bytes into the data area
 */
public record ZoneSpec(String name, double from, double to, long fromBytes, long toBytes) {

    /** A zone over a fraction {@code [from, to)} of the data area. */
    public static ZoneSpec ofFraction(String name, double from, double to) {
        if (!(from >= 0 && to <= 1 && from < to)) {
            throw new IllegalArgumentException("zone " + name + ": range " + from + ".." + to + " is not within 0..1");
        }
        return new ZoneSpec(name, from, to, -1, -1);
    }

    /** A zone over bytes {@code [from, to)} of the data area. */
    public static ZoneSpec ofBytes(String name, long from, long to) {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("zone " + name + ": empty byte range " + from + ".." + to);
        }
        return new ZoneSpec(name, -1, -1, from, to);
    }

    /**
     * Parses {@code name:FROM-TO} where FROM and TO are both percentages ({@code 45%}) or both
     * sizes ({@code 0}, {@code 512M}, {@code 2G}).
     *
     * @throws IllegalArgumentException with a message naming the part that is wrong
     */
    public static ZoneSpec parse(String text) {
        int colon = text.indexOf(':');
        int dash = text.indexOf('-', colon + 1);
        if (colon <= 0 || dash < 0) {
            throw new IllegalArgumentException("zone '" + text + "': expected NAME:FROM-TO, e.g. meta:45%-55% or fast:0-1G");
        }
        String name = text.substring(0, colon);
        String a = text.substring(colon + 1, dash).trim();
        String b = text.substring(dash + 1).trim();
        boolean pa = a.endsWith("%");
        boolean pb = b.endsWith("%");
        if (pa != pb) {
            throw new IllegalArgumentException("zone '" + text + "': give both ends as percentages or both as sizes");
        }
        try {
            if (pa) {
                return ofFraction(name, Double.parseDouble(a.substring(0, a.length() - 1)) / 100,
                        Double.parseDouble(b.substring(0, b.length() - 1)) / 100);
            }
            return ofBytes(name, parseSize(a), parseSize(b));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("zone '" + text + "': " + e.getMessage());
        }
    }

    /** Parses a size with an optional K, M, G or T suffix (powers of 1024). */
    public static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long mul = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mul = 1L << 10;
                case 'M' -> mul = 1L << 20;
                case 'G' -> mul = 1L << 30;
                case 'T' -> mul = 1L << 40;
                default -> mul = 1;
            }
            if (mul != 1) {
                t = t.substring(0, t.length() - 1);
            }
        }
        if (t.isEmpty()) {
            throw new NumberFormatException("size '" + s + "' has no number");
        }
        return Math.multiplyExact(Long.parseLong(t), mul);
    }

    /** The zone in pool blocks, for a data area {@code [dataStart, dataEnd)}. */
    Zone resolve(long dataStart, long dataEnd) {
        long n = dataEnd - dataStart;
        long s;
        long e;
        if (from >= 0) {
            s = dataStart + (long) Math.floor(from * n);
            e = dataStart + (long) Math.floor(to * n);
        } else {
            s = dataStart + fromBytes / PoolFormat.BLOCK;
            e = dataStart + toBytes / PoolFormat.BLOCK;
        }
        if (e > dataEnd) {
            throw new IllegalArgumentException("zone " + name + " ends beyond the data area ("
                    + (n * PoolFormat.BLOCK) + " bytes)");
        }
        if (e <= s) {
            throw new IllegalArgumentException("zone " + name + " has no whole block");
        }
        return new Zone(name, s, e);
    }
}
