package dev.triage.tools.replay;

import dev.triage.hints.Sizes;
import dev.triage.tools.UserError;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A cache size as given on the command line: bytes ({@code 16MiB}) or a share of the trace's
 * working set, its distinct blocks ({@code 5%}).
 */
public record CacheSize(String text, long bytes, double shareOfWorkingSet) {

    public boolean relative() {
        return shareOfWorkingSet > 0;
    }

    /** Bytes for a working set of {@code distinctBlocks}, rounded down to whole blocks (at least one). */
    public long resolve(long distinctBlocks, int blockSize) {
        if (!relative()) {
            return bytes;
        }
        long blocks = Math.max(1, (long) Math.floor(distinctBlocks * shareOfWorkingSet));
        return blocks * blockSize;
    }

    public static List<CacheSize> parseList(String option, String list) {
        List<CacheSize> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            if (s.endsWith("%")) {
                double d;
                try {
                    d = Double.parseDouble(s.substring(0, s.length() - 1)) / 100.0;
                } catch (NumberFormatException e) {
                    throw new UserError(option + ": '" + s + "' is not a percentage");
                }
                if (!(d > 0) || d > 100) {
                    throw new UserError(option + ": '" + s + "' must be a positive share of the working set");
                }
                out.add(new CacheSize(s, 0, d));
            } else {
                try {
                    long b = Sizes.parse(s);
                    out.add(new CacheSize(s, b, 0));
                } catch (IllegalArgumentException e) {
                    throw new UserError(option + ": " + e.getMessage());
                }
            }
        }
        if (out.isEmpty()) {
            throw new UserError(option + ": no cache size given");
        }
        return out;
    }

    @Override
    public String toString() {
        return relative() ? String.format(Locale.ROOT, "%s", text) : Sizes.format(bytes);
    }
}
