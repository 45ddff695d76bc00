package dev.triage.device;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A physical device: the one small interface under the placement layer. Offsets and lengths
 * are in bytes and must be multiples of {@link #alignment()}; buffers passed to an O_DIRECT
 * device must be aligned too (see {@link Buffers}).
 *
 * <p>A write is durable only after {@link #flush()} returns, or when written with {@code fua}.
 * Errors of the medium are reported as {@link IOException} (EIO) and never swallowed.
 */
public interface BlockDevice extends AutoCloseable {

    /** Size in bytes. */
    long size();

    /** The alignment of offsets, lengths and (for direct I/O) buffer addresses, in bytes. */
    int alignment();

    /** Reads {@code dst.remaining()} bytes at {@code offset} into {@code dst}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src.remaining()} bytes at {@code offset}; durable on return when {@code fua}. */
    void write(long offset, ByteBuffer src, boolean fua) throws IOException;

    /** Makes every completed write durable. */
    void flush() throws IOException;

    /** Tells the device that a range is no longer used; its content is undefined afterwards. */
    void discard(long offset, long length) throws IOException;

    /** Makes a range read back as zeros. */
    void writeZeroes(long offset, long length) throws IOException;

    /** A short description for logs and {@code triage stat}. */
    String describe();

    @Override
    void close() throws IOException;
}
