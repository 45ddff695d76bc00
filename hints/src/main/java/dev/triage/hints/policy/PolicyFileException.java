package dev.triage.hints.policy;

/** An invalid policy file: the message reads {@code file:line: field: what is wrong}. */
public final class PolicyFileException extends IllegalArgumentException {
    private final String source;
    private final int line;
    private final String field;

    public PolicyFileException(String source, int line, String field, String what) {
        super(source + ":" + line + ": " + (field == null || field.isEmpty() ? "" : field + ": ") + what);
        this.source = source;
        this.line = line;
        this.field = field;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
