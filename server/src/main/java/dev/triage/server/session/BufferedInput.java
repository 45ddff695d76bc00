package dev.triage.server.session;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The read side of a connection in the transmission phase: one system call fetches whatever
 * the client has sent (often several pipelined requests), headers are decoded in place, and
 * payloads are copied out of the buffer or, for the part not yet received, read straight into
 * their destination. The buffer is in read mode between calls: position..limit is unread data.
 */
final class BufferedInput {
    private final Transport t;
    private final ByteBuffer buf;

    BufferedInput(Transport t, int capacity) {
        this.t = t;
        this.buf = ByteBuffer.allocateDirect(capacity);
        this.buf.limit(0);
    }

    /** The buffer; valid for {@code n} bytes from its position after {@link #fill(int, boolean)}. */
    ByteBuffer buffer() {
        return buf;
    }

    /**
     * Makes {@code n} (≤ capacity) bytes available from the position.
     *
     * @return false when {@code eofOk} and the client closed cleanly before sending any of them
     */
    boolean fill(int n, boolean eofOk) throws IOException {
        if (buf.remaining() >= n) {
            return true;
        }
        buf.compact();
        try {
            while (buf.position() < n) {
                int r = t.read(buf);
                if (r < 0) {
                    if (eofOk && buf.position() == 0) {
                        return false;
                    }
                    throw new EOFException("connection closed in the middle of a message");
                }
            }
        } finally {
            buf.flip();
        }
        return true;
    }

    /** Consumes {@code n} bytes already made available by {@link #fill}. */
    void consume(int n) {
        buf.position(buf.position() + n);
    }

    /** Reads {@code dst.remaining()} bytes: buffered ones first, then straight from the socket. */
    void readFully(ByteBuffer dst) throws IOException {
        int take = Math.min(buf.remaining(), dst.remaining());
        if (take > 0) {
            int limit = buf.limit();
            buf.limit(buf.position() + take);
            dst.put(buf);
            buf.limit(limit);
        }
        if (dst.hasRemaining()) {
            t.readFully(dst);
        }
    }

    /** Reads and drops {@code n} bytes. */
    void skip(long n) throws IOException {
        while (n > 0) {
            int take = (int) Math.min(n, buf.capacity());
            fill(take, false);
            consume(take);
            n -= take;
        }
    }
}
