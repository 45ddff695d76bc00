package dev.triage.hints.trace;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines in place: the current line is {@code buf[start, end)} without
 * its {@code \n} or {@code \r\n}. One buffer is reused (it grows only for a line longer than it);
 * nothing is allocated per line.
 */
final class LineSource {
    /** The longest line accepted. */
    static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private final String source;
    final ByteChars chars;
    byte[] buf;
    int start;
    int end;
    long lineNumber;
    private int pos;
    private int limit;
    private int scanned;
    private boolean eof;

    LineSource(InputStream in, String source) {
        this.in = in;
        this.source = source;
        this.buf = new byte[1 << 16];
        this.chars = new ByteChars(buf);
    }

    /** Moves to the next line; false at the end of the input. */
    boolean next() throws IOException {
        for (;;) {
            for (int i = scanned; i < limit; i++) {
                if (buf[i] == '\n') {
                    take(i, i + 1);
                    return true;
                }
            }
            scanned = limit;
            if (eof) {
                if (pos < limit) {
                    take(limit, limit);
                    return true;
                }
                return false;
            }
            fill();
        }
    }

    private void take(int lineEnd, int nextPos) {
        start = pos;
        end = lineEnd > start && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        pos = nextPos;
        scanned = nextPos;
        lineNumber++;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            scanned -= pos;
            pos = 0;
        }
        if (limit == buf.length) {
            if (buf.length >= MAX_LINE) {
                throw new TraceFormatException(source, lineNumber + 1,
                        "line longer than " + MAX_LINE + " bytes");
            }
            byte[] bigger = new byte[buf.length * 2];
            System.arraycopy(buf, 0, bigger, 0, limit);
            buf = bigger;
            chars.bytes = bigger;
        }
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (TraceFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(source + ": after line " + lineNumber + ": " + e.getMessage(), e);
        }
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    void close() throws IOException {
        in.close();
    }
}
