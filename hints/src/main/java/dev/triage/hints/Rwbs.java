package dev.triage.hints;

/**
 * The kernel's RWBS string ({@code blk_fill_rwbs}) as a bit set: an optional leading {@code F}
 * (pre-flush), the operation letter ({@code R W D F N}, {@code DE} for secure erase), then
 * {@code F} (FUA), {@code A} (read-ahead), {@code S} (sync), {@code M} (metadata).
 */
public final class Rwbs {
    public static final int READ = 1;
    public static final int WRITE = 1 << 1;
    public static final int DISCARD = 1 << 2;
    public static final int FLUSH = 1 << 3;
    public static final int PREFLUSH = 1 << 4;
    public static final int FUA = 1 << 5;
    public static final int AHEAD = 1 << 6;
    public static final int SYNC = 1 << 7;
    public static final int META = 1 << 8;
    public static final int SECURE = 1 << 9;
    public static final int NONE_OP = 1 << 10;
    /** Set when the bits were parsed from a string (an empty flags field leaves this clear). */
    public static final int KNOWN = 1 << 15;

    private Rwbs() {}

    /**
     * Parses an RWBS string from {@code s[from, to)}.
     *
     * @return the bits, or -1 if a character is not part of the RWBS alphabet
     */
    public static int parse(CharSequence s, int from, int to) {
        if (from >= to) {
            return 0;
        }
        int bits = KNOWN;
        int i = from;
        // A leading F is a pre-flush when another operation letter follows it.
        if (s.charAt(i) == 'F' && i + 1 < to && isOpLetter(s.charAt(i + 1))) {
            bits |= PREFLUSH;
            i++;
        }
        boolean opSeen = false;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (!opSeen) {
                switch (c) {
                    case 'R' -> bits |= READ;
                    case 'W' -> bits |= WRITE;
                    case 'D' -> {
                        bits |= DISCARD;
                        if (i + 1 < to && s.charAt(i + 1) == 'E') {
                            bits |= SECURE;
                            i++;
                        }
                    }
                    case 'F' -> bits |= FLUSH;
                    case 'N' -> bits |= NONE_OP;
                    default -> {
                        return -1;
                    }
                }
                opSeen = true;
                continue;
            }
            switch (c) {
                case 'F' -> bits |= FUA;
                case 'A' -> bits |= AHEAD;
                case 'S' -> bits |= SYNC;
                case 'M' -> bits |= META;
                default -> {
                    return -1;
                }
            }
        }
        return bits;
    }

    private static boolean isOpLetter(char c) {
        return c == 'R' || c == 'W' || c == 'D' || c == 'F' || c == 'N';
    }

    /** Writes the bits back as the kernel would print them; empty when {@link #KNOWN} is clear. */
    public static String format(int bits) {
        if ((bits & KNOWN) == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder(6);
        if ((bits & PREFLUSH) != 0) b.append('F');
        if ((bits & READ) != 0) b.append('R');
        else if ((bits & WRITE) != 0) b.append('W');
        else if ((bits & DISCARD) != 0) b.append((bits & SECURE) != 0 ? "DE" : "D");
        else if ((bits & FLUSH) != 0) b.append('F');
        else b.append('N');
        if ((bits & FUA) != 0) b.append('F');
        if ((bits & AHEAD) != 0) b.append('A');
        if ((bits & SYNC) != 0) b.append('S');
        if ((bits & META) != 0) b.append('M');
        return b.toString();
    }
}
