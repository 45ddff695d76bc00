package dev.triage.hints;

/** The operation of a block request, as in the hinted trace format ({@code R W D F}). */
public enum Op {
    READ('R'),
    WRITE('W'),
    DISCARD('D'),
    FLUSH('F');

    private static final Op[] VALUES = values();

    private final char code;

    Op(char code) {
        this.code = code;
    }

    /** The one-letter code of the hinted CSV format. */
    public char code() {
        return code;
    }

    /** True for the operations that touch cache blocks (reads and writes). */
    public boolean touches() {
        return this == READ || this == WRITE;
    }

    /** The operation for a one-letter code, or {@code null} if the letter is not one. */
    public static Op ofCode(char c) {
        return switch (c) {
            case 'R' -> READ;
            case 'W' -> WRITE;
            case 'D' -> DISCARD;
            case 'F' -> FLUSH;
            default -> null;
        };
    }

    public static Op ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
