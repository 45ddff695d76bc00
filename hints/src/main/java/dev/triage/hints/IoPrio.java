package dev.triage.hints;

/**
 * Linux I/O priority as {@code class:level:hint} ({@code be:0:4}), packed into an int:
 * class in bits 16..23, level in bits 8..15, hint in bits 0..7.
 */
public final class IoPrio {
    public static final int NONE = 0;
    public static final int RT = 1;
    public static final int BE = 2;
    public static final int IDLE = 3;

    private static final String[] CLASS_NAMES = {"none", "rt", "be", "idle"};

    private IoPrio() {}

    public static int pack(int ioClass, int level, int hint) {
        return (ioClass & 0xff) << 16 | (level & 0xff) << 8 | (hint & 0xff);
    }

    public static int ioClass(int packed) {
        return packed >>> 16 & 0xff;
    }

    public static int level(int packed) {
        return packed >>> 8 & 0xff;
    }

    public static int hint(int packed) {
        return packed & 0xff;
    }

    /** The class for its name ({@code none rt be idle}), or -1. Allocates nothing. */
    public static int classOf(CharSequence s, int from, int to) {
        int n = to - from;
        names:
        for (int c = 0; c < CLASS_NAMES.length; c++) {
            String name = CLASS_NAMES[c];
            if (name.length() != n) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if (name.charAt(i) != s.charAt(from + i)) {
                    continue names;
                }
            }
            return c;
        }
        return -1;
    }

    public static String format(int packed) {
        if (packed < 0) {
            return "";
        }
        int c = ioClass(packed);
        String name = c < CLASS_NAMES.length ? CLASS_NAMES[c] : Integer.toString(c);
        return name + ":" + level(packed) + ":" + hint(packed);
    }
}
