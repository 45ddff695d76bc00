package dev.triage.server.backend;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What an NBD export is served from: a byte range with block-size constraints, read and
 * written with an optional I/O class hint. The live layer (volumes over the cache and pool)
 * implements it; {@link FileChannelBackend} serves a plain file and {@link BlockDeviceBackend}
 * any {@link dev.triage.device.BlockDevice}.
 *
 * <p>Offsets and lengths are in bytes and already checked by the server against {@link #size()}
 * and {@link #minBlock()}. {@code ioClass} is a class id of {@code ClassVocabulary}, or
 * {@link #NO_CLASS} when the client gave none. Implementations must be safe for concurrent use
 * by many connections: a {@link #flush()} on any connection makes every write that completed on
 * any connection durable (the server advertises {@code NBD_FLAG_CAN_MULTI_CONN}).
 */
public interface ExportBackend extends AutoCloseable {

    /** The class of a request that carries no hint. */
    int NO_CLASS = -1;
    /** The zone of an extent that has none (not placed). */
    int NO_ZONE = -1;

    /** Size in bytes. */
    long size();

    /** The smallest alignment of offsets and lengths the backend accepts (a power of 2, ≤ 64 KiB). */
    int minBlock();

    /** The preferred request size (a power of 2 ≥ max(minBlock, 512)). */
    int preferredBlock();

    /** The largest READ/WRITE payload (a multiple of minBlock). */
    int maxBlock();

    /** True when writes, trims and write-zeroes must be refused with EPERM. */
    boolean readOnly();

    /** Reads {@code dst.remaining()} bytes at {@code offset}. */
    void read(long offset, ByteBuffer dst, int ioClass) throws IOException;

    /** Writes {@code src.remaining()} bytes at {@code offset}; durable on return when {@code fua}. */
    void write(long offset, ByteBuffer src, boolean fua, int ioClass) throws IOException;

    /** Makes every completed write durable. */
    void flush() throws IOException;

    /** The range is no longer used: its content is undefined afterwards. */
    void trim(long offset, long length) throws IOException;

    /**
     * Makes the range read back as zeros; may deallocate it unless {@code noHole}. Durable on
     * return when {@code fua}.
     */
    void writeZeroes(long offset, long length, boolean noHole, boolean fua, int ioClass) throws IOException;

    /** True when {@link #writeZeroes} is faster than writing zeros (NBD_CMD_FLAG_FAST_ZERO). */
    boolean canFastZero();

    /** A prefetch hint: the range will be read soon. Changes no data. */
    void cache(long offset, long length, int ioClass) throws IOException;

    /** Records {@code ioClass} as the class of the range without touching its data. */
    void classify(long offset, long length, int ioClass) throws IOException;

    /**
     * Describes {@code [offset, offset + length)} as extents of the given context, in order, from
     * {@code offset}, stopping when the sink returns false or the range is covered.
     */
    void blockStatus(long offset, long length, MetaContext context, ExtentSink sink) throws IOException;

    /** Counters the backend keeps (e.g. cache hits and misses), for metrics; empty if none. */
    default void counters(CounterSink sink) {
    }

    /** A short description for logs and {@code NBD_INFO_DESCRIPTION}. */
    String describe();

    @Override
    void close() throws IOException;

    /** Receives one named counter value per call. */
    @FunctionalInterface
    interface CounterSink {
        void counter(String name, String classLabel, long value);
    }
}
