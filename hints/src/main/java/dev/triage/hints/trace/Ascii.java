package dev.triage.hints.trace;

/** Allocation-free scanning and number parsing over ASCII bytes, used by the line parsers. */
final class Ascii {
    private Ascii() {}

    /** The value of the decimal digits {@code b[from, to)}, or -1 if empty, not all digits, or over {@code Long.MAX_VALUE}. */
    static long digits(byte[] b, int from, int to) {
        if (from >= to) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /**
     * Parses {@code seconds[.fraction]} into nanoseconds (up to 9 fraction digits; more are
     * truncated). Returns -1 when malformed or too large.
     */
    static long secondsToNanos(byte[] b, int from, int to) {
        int dot = indexOf(b, from, to, (byte) '.');
        long secs = digits(b, from, dot < 0 ? to : dot);
        if (secs < 0 || secs > Long.MAX_VALUE / 1_000_000_000L - 1) {
            return -1;
        }
        long frac = 0;
        if (dot >= 0) {
            if (dot + 1 >= to) {
                return -1;
            }
            int scale = 0;
            for (int i = dot + 1; i < to; i++) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    return -1;
                }
                if (scale < 9) {
                    frac = frac * 10 + d;
                    scale++;
                }
            }
            for (; scale < 9; scale++) {
                frac *= 10;
            }
        }
        return secs * 1_000_000_000L + frac;
    }

    static int indexOf(byte[] b, int from, int to, byte c) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    static int lastIndexOf(byte[] b, int from, int to, byte c) {
        for (int i = to - 1; i >= from; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The first index of {@code pattern} in {@code b[from, to)}, or -1. */
    static int find(byte[] b, int from, int to, byte[] pattern) {
        int last = to - pattern.length;
        byte first = pattern[0];
        outer:
        for (int i = from; i <= last; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int j = 1; j < pattern.length; j++) {
                if (b[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (b[from + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t';
    }

    /** The first index at or after {@code i} that is not a space or tab. */
    static int skipSpaces(byte[] b, int i, int to) {
        while (i < to && isSpace(b[i])) {
            i++;
        }
        return i;
    }

    /** The end of the token (run of non-blanks) starting at {@code i}. */
    static int tokenEnd(byte[] b, int i, int to) {
        while (i < to && !isSpace(b[i])) {
            i++;
        }
        return i;
    }

    /** True when {@code b[from, to)} equals the ASCII text {@code s}. */
    static boolean equals(byte[] b, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[from + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean equalsIgnoreCase(byte[] b, int from, int to, String s) {
        if (to - from != s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.toLowerCase((char) b[from + i]) != Character.toLowerCase(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
