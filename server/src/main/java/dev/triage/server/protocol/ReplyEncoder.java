package dev.triage.server.protocol;

import java.nio.ByteBuffer;

/**
 * Writes reply headers of the transmission phase into a buffer: simple replies, structured
 * chunks and extended-header chunks. Payloads are written by the caller after the header.
 */
public final class ReplyEncoder {
    private ReplyEncoder() {
    }

    /** Simple reply: magic, error, cookie (16 bytes). */
    public static void simple(ByteBuffer b, int error, long cookie) {
        b.putInt(Nbd.SIMPLE_REPLY_MAGIC);
        b.putInt(error);
        b.putLong(cookie);
    }

    /**
     * A chunk header: structured (20 bytes) or, with extended headers, extended (32 bytes, echoing
     * the request offset).
     */
    public static void chunk(ByteBuffer b, boolean extended, int flags, int type, long cookie, long requestOffset,
            long payloadLength) {
        b.putInt(extended ? Nbd.EXTENDED_REPLY_MAGIC : Nbd.STRUCTURED_REPLY_MAGIC);
        b.putShort((short) flags);
        b.putShort((short) type);
        b.putLong(cookie);
        if (extended) {
            b.putLong(requestOffset);
            b.putLong(payloadLength);
        } else {
            b.putInt((int) payloadLength);
        }
    }

    /** The size of a chunk header. */
    public static int chunkHeaderSize(boolean extended) {
        return extended ? 32 : 20;
    }

    /** An error chunk with its payload: error(4), message length(2), message. Always DONE. */
    public static void errorChunk(ByteBuffer b, boolean extended, long cookie, long requestOffset, int error,
            byte[] message) {
        chunk(b, extended, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_ERROR, cookie, requestOffset, 6 + message.length);
        b.putInt(error);
        b.putShort((short) message.length);
        b.put(message);
    }

    /** Option reply header: magic(8), option(4), reply type(4), length(4). */
    public static void optionReply(ByteBuffer b, int option, int replyType, int length) {
        b.putLong(Nbd.OPTION_REPLY_MAGIC);
        b.putInt(option);
        b.putInt(replyType);
        b.putInt(length);
    }
}
