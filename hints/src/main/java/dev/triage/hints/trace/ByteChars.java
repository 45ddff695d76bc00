package dev.triage.hints.trace;

import java.nio.charset.StandardCharsets;

/**
 * A {@link CharSequence} view of a byte buffer, one char per byte (ISO-8859-1), so that the
 * shared helpers that take a {@code CharSequence} ({@code NameTable}, {@code Rwbs}, {@code
 * IoPrio}) can look at a line in place. Fields are ranges of absolute indexes into {@link #bytes}.
 * Only {@link #subSequence} (used when a name is interned for the first time) allocates.
 */
final class ByteChars implements CharSequence {
    byte[] bytes;

    ByteChars(byte[] bytes) {
        this.bytes = bytes;
    }

    @Override
    public int length() {
        return bytes.length;
    }

    @Override
    public char charAt(int index) {
        return (char) (bytes[index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** The text of {@code [from, to)} decoded as UTF-8 (for messages and non-ASCII names). */
    String text(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }

    /** True when {@code [from, to)} holds only ASCII bytes. */
    boolean isAscii(int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
