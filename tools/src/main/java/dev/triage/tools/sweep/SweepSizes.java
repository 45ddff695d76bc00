package dev.triage.tools.sweep;

import dev.triage.tools.UserError;
import dev.triage.tools.replay.CacheSize;
import java.util.List;
import java.util.TreeSet;

/**
 * The cache sizes of a sweep: a list as for {@code compare} ({@code 16MiB,64MiB} or {@code
 * 1%,5%}), or a range {@code FROM..TO} cut into {@code points} sizes evenly spaced on a log
 * scale ({@code 64MiB..4GiB}, {@code 0.5%..50%}).
 */
final class SweepSizes {
    private SweepSizes() {}

    static boolean relative(String spec) {
        return spec.contains("%");
    }

    /** Sizes in blocks, ascending, distinct, at least one block each. */
    static long[] resolve(String spec, int points, long distinctBlocks, int blockSize) {
        TreeSet<Long> out = new TreeSet<>();
        int dots = spec.indexOf("..");
        if (dots >= 0) {
            if (points < 2) {
                throw new UserError("--points must be at least 2 for a range, got " + points);
            }
            List<CacheSize> from = CacheSize.parseList("--cache", spec.substring(0, dots));
            List<CacheSize> to = CacheSize.parseList("--cache", spec.substring(dots + 2));
            if (from.size() != 1 || to.size() != 1) {
                throw new UserError("--cache: a range is FROM..TO, got '" + spec + "'");
            }
            long a = blocks(from.get(0), distinctBlocks, blockSize);
            long b = blocks(to.get(0), distinctBlocks, blockSize);
            if (b <= a) {
                throw new UserError("--cache: the range " + spec + " is empty (" + a + " to " + b + " blocks)");
            }
            double la = Math.log(a);
            double lb = Math.log(b);
            for (int i = 0; i < points; i++) {
                out.add(Math.max(1, Math.round(Math.exp(la + (lb - la) * i / (points - 1)))));
            }
        } else {
            for (CacheSize s : CacheSize.parseList("--cache", spec)) {
                out.add(blocks(s, distinctBlocks, blockSize));
            }
        }
        if (out.isEmpty()) {
            throw new UserError("--cache: no size given");
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static long blocks(CacheSize s, long distinct, int blockSize) {
        return Math.max(1, s.resolve(distinct, blockSize) / blockSize);
    }
}
