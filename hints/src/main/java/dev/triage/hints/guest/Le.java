package dev.triage.hints.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian (and, for the journal, big-endian) reads at absolute indexes of a buffer of any byte order, without a copy or a view. */
final class Le {
    private Le() {}

    static int u16(ByteBuffer b, int at) {
        short s = b.getShort(at);
        return (b.order() == ByteOrder.LITTLE_ENDIAN ? s : Short.reverseBytes(s)) & 0xffff;
    }

    static long u32(ByteBuffer b, int at) {
        int i = b.getInt(at);
        return (b.order() == ByteOrder.LITTLE_ENDIAN ? i : Integer.reverseBytes(i)) & 0xffffffffL;
    }

    static long be32(ByteBuffer b, int at) {
        return Integer.reverseBytes((int) u32(b, at)) & 0xffffffffL;
    }

    static int be16(ByteBuffer b, int at) {
        return Short.reverseBytes((short) u16(b, at)) & 0xffff;
    }
}
