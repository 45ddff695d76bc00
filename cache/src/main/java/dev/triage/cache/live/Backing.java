package dev.triage.cache.live;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The slow side of the live cache: one volume's virtual disk (a thin volume of the placement
 * pool, or any device). Offsets and lengths are multiples of the cache block size.
 */
public interface Backing {

    /** Size of the volume in bytes. */
    long size();

    /** Reads {@code dst.remaining()} bytes at {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src.remaining()} bytes at {@code offset}, placed for {@code ioClass}. */
    void write(long offset, ByteBuffer src, int ioClass, boolean fua) throws IOException;

    /** Frees a range; it reads back as zeros (thin volumes) or undefined (devices). */
    void discard(long offset, long length) throws IOException;

    /** Makes a range read back as zeros. */
    void writeZeroes(long offset, long length, boolean fua) throws IOException;

    /** Makes every completed write durable. */
    void flush() throws IOException;
}
