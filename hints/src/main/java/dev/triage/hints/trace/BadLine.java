package dev.triage.hints.trace;

/**
 * What is wrong with one line, thrown by a format's line parser and turned by {@link
 * LineTraceReader} into a {@link TraceFormatException} ({@code file:line: what}) or a skipped
 * line. It has no stack trace: it is a message, not a bug.
 */
final class BadLine extends Exception {
    BadLine(String what) {
        super(what, null, false, false);
    }
}
