package dev.triage.tools.gen;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes ASCII lines through one reused buffer: numbers without a String each. */
final class CsvLines implements Closeable {
    private final OutputStream out;
    private final byte[] buf = new byte[1 << 16];
    private final byte[] digits = new byte[20];
    private int n;

    CsvLines(OutputStream out) {
        this.out = out;
    }

    void text(String s) throws IOException {
        bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    void bytes(byte[] b) throws IOException {
        if (n + b.length > buf.length) {
            flush();
        }
        System.arraycopy(b, 0, buf, n, b.length);
        n += b.length;
    }

    void number(long v) throws IOException {
        if (n + 20 > buf.length) {
            flush();
        }
        if (v == 0) {
            buf[n++] = '0';
            return;
        }
        int k = 0;
        while (v > 0) {
            digits[k++] = (byte) ('0' + v % 10);
            v /= 10;
        }
        while (k > 0) {
            buf[n++] = digits[--k];
        }
    }

    void comma() throws IOException {
        one((byte) ',');
    }

    void newline() throws IOException {
        one((byte) '\n');
    }

    private void one(byte b) throws IOException {
        if (n == buf.length) {
            flush();
        }
        buf[n++] = b;
    }

    private void flush() throws IOException {
        out.write(buf, 0, n);
        n = 0;
    }

    @Override
    public void close() throws IOException {
        flush();
        out.close();
    }
}
