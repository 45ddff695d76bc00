package dev.triage.server.protocol;

import java.nio.ByteBuffer;

/**
 * One transmission-phase request header, decoded in place (a reused mutable object: the I/O
 * path allocates nothing per request). Compact headers are 28 bytes, extended ones 32.
 */
public final class Request {
    public int flags;
    public int type;
    public long cookie;
    public long offset;
    /** The length: 32-bit unsigned for compact headers, 64-bit for extended ones. */
    public long length;

    /** The header size for the negotiated header style. */
    public static int headerSize(boolean extended) {
        return extended ? 32 : 28;
    }

    /**
     * Decodes the header in {@code b} (position at the header start, {@link #headerSize} bytes
     * remaining).
     *
     * @return false when the magic is wrong for the negotiated style (nothing else is set)
     */
    public boolean decode(ByteBuffer b, boolean extended) {
        int p = b.position();
        int magic = b.getInt(p);
        if (magic != (extended ? Nbd.EXTENDED_REQUEST_MAGIC : Nbd.REQUEST_MAGIC)) {
            return false;
        }
        flags = b.getShort(p + 4) & 0xffff;
        type = b.getShort(p + 6) & 0xffff;
        cookie = b.getLong(p + 8);
        offset = b.getLong(p + 16);
        length = extended ? b.getLong(p + 24) : b.getInt(p + 24) & 0xffffffffL;
        return true;
    }

    /** Encodes a header (for clients and tests). */
    public static void encode(ByteBuffer b, boolean extended, int flags, int type, long cookie, long offset, long length) {
        b.putInt(extended ? Nbd.EXTENDED_REQUEST_MAGIC : Nbd.REQUEST_MAGIC);
        b.putShort((short) flags);
        b.putShort((short) type);
        b.putLong(cookie);
        b.putLong(offset);
        if (extended) {
            b.putLong(length);
        } else {
            b.putInt((int) length);
        }
    }
}
