package dev.triage.hints.guest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Little-endian reads at absolute indexes of a buffer of any byte order, without a copy or a view. */
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
}
