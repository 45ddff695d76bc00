package dev.triage.hints.classify;

/** A rule expression that does not parse; {@link #column()} is 1-based within the expression. */
public final class RuleSyntaxException extends IllegalArgumentException {
    private final int column;

    public RuleSyntaxException(String message, int column) {
        super(message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
