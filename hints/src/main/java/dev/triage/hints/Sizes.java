package dev.triage.hints;

import java.util.Locale;

/** Byte sizes as people write them: {@code 4096}, {@code 4k}, {@code 4KiB}, {@code 16MiB}, {@code 1G}. */
public final class Sizes {
    private Sizes() {}

    /**
     * Parses a size. Suffixes {@code k m g t p} (with optional {@code iB} or {@code B}) are powers
     * of 1024; {@code kB MB GB TB} are powers of 1000. No suffix means bytes.
     *
     * @throws IllegalArgumentException naming the text when it is not a size
     */
    public static long parse(String text) {
        String s = text.trim();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a size (e.g. 4096, 64KiB, 16MiB, 1G)");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        String unit = s.substring(i).trim();
        long mult = switch (unit.toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1L;
            case "k", "kib", "ki" -> 1L << 10;
            case "m", "mib", "mi" -> 1L << 20;
            case "g", "gib", "gi" -> 1L << 30;
            case "t", "tib", "ti" -> 1L << 40;
            case "p", "pib", "pi" -> 1L << 50;
            case "kb" -> unit.equals("kB") || unit.equals("KB") ? 1000L : -1;
            case "mb" -> unit.equals("MB") ? 1000_000L : -1;
            case "gb" -> unit.equals("GB") ? 1000_000_000L : -1;
            case "tb" -> unit.equals("TB") ? 1000_000_000_000L : -1;
            default -> -1;
        };
        if (mult < 0) {
            throw new IllegalArgumentException("'" + text + "': unknown unit '" + unit
                    + "' (use k/KiB, M/MiB, G/GiB, T/TiB, or kB/MB/GB/TB for powers of 1000)");
        }
        if (n > Long.MAX_VALUE / mult) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
        return n * mult;
    }

    /**
     * Formats a byte count the short way: exact in the largest unit that divides it ({@code
     * 16MiB}, {@code 1536MiB}, {@code 4096B} is {@code 4KiB}), or with one decimal when that would
     * take more than four digits ({@code 48.2MiB}).
     */
    public static String format(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        if (Math.abs(v) < 10240 || u == units.length - 1) {
            return v + units[u];
        }
        double d = bytes;
        int w = 0;
        while (w < units.length - 1 && Math.abs(d) >= 1024) {
            d /= 1024;
            w++;
        }
        return String.format(Locale.ROOT, "%.1f%s", d, units[w]);
    }
}
