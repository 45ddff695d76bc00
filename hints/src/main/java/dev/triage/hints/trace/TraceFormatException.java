package dev.triage.hints.trace;

import java.io.IOException;

/** A malformed trace line: the message reads {@code file:line: what is wrong}. */
public final class TraceFormatException extends IOException {
    private final String source;
    private final long line;

    public TraceFormatException(String source, long line, String what) {
        super(source + ":" + line + ": " + what);
        this.source = source;
        this.line = line;
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }
}
