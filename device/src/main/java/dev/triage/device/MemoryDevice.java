package dev.triage.device;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A sparse device in off-heap memory: 1 MiB chunks allocated on first write, unwritten ranges
 * read as zeros, and discarding or zeroing a whole chunk gives its memory back (each chunk is
 * freed by the garbage collector once dropped). Nothing is durable beyond the process, so
 * {@link #flush()} and FUA have nothing to do. Thread-safe for concurrent positional I/O.
 */
public final class MemoryDevice implements BlockDevice {

    /** The size of a chunk: the unit of allocation. */
    public static final int CHUNK = 1 << 20;
    private static final int CHUNK_SHIFT = 20;
    /** The default alignment: a sector. */
    public static final int DEFAULT_ALIGNMENT = 512;

    private final long size;
    private final int alignment;
    private final AtomicReferenceArray<MemorySegment> chunks;
    private final DeviceStats stats = new DeviceStats();
    private volatile boolean closed;

    /** A device of {@code size} bytes (a multiple of 512) with 512-byte alignment. */
    public MemoryDevice(long size) {
        this(size, DEFAULT_ALIGNMENT);
    }

    /** A device of {@code size} bytes (a multiple of {@code alignment}). */
    public MemoryDevice(long size, int alignment) {
        this.alignment = DeviceChecks.checkAlignment("alignment", alignment);
        this.size = DeviceChecks.checkSize("size", size, alignment);
        long n = (size + CHUNK - 1) >>> CHUNK_SHIFT;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("size " + size + " is too large for a memory device");
        }
        this.chunks = new AtomicReferenceArray<>((int) n);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int alignment() {
        return alignment;
    }

    public DeviceStats stats() {
        return stats;
    }

    /** Bytes of memory held by allocated chunks. */
    public long allocatedBytes() {
        long n = 0;
        for (int i = 0; i < chunks.length(); i++) {
            if (chunks.getPlain(i) != null) {
                n += CHUNK;
            }
        }
        return n;
    }

    private int chunkLength(int index) {
        return (int) Math.min(CHUNK, size - ((long) index << CHUNK_SHIFT));
    }

    private MemorySegment chunkForWrite(int index) {
        MemorySegment c = chunks.get(index);
        if (c == null) {
            MemorySegment fresh = Arena.ofAuto().allocate(chunkLength(index), 64);
            c = chunks.compareAndExchange(index, null, fresh);
            if (c == null) {
                c = fresh;
            }
        }
        return c;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        DeviceChecks.checkBuffer(this, "read", offset, dst, size, alignment);
        DeviceChecks.checkWritable(this, dst);
        int len = dst.remaining();
        MemorySegment out = MemorySegment.ofBuffer(dst);
        long done = 0;
        while (done < len) {
            long pos = offset + done;
            int index = (int) (pos >>> CHUNK_SHIFT);
            int within = (int) (pos & (CHUNK - 1));
            int n = (int) Math.min(CHUNK - within, len - done);
            MemorySegment c = chunks.get(index);
            if (c == null) {
                out.asSlice(done, n).fill((byte) 0);
            } else {
                MemorySegment.copy(c, within, out, done, n);
            }
            done += n;
        }
        dst.position(dst.position() + len);
        stats.count(DeviceOp.READ, len);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        ensureOpen();
        DeviceChecks.checkBuffer(this, "write", offset, src, size, alignment);
        int len = src.remaining();
        MemorySegment in = MemorySegment.ofBuffer(src);
        long done = 0;
        while (done < len) {
            long pos = offset + done;
            int index = (int) (pos >>> CHUNK_SHIFT);
            int within = (int) (pos & (CHUNK - 1));
            int n = (int) Math.min(CHUNK - within, len - done);
            MemorySegment.copy(in, done, chunkForWrite(index), within, n);
            done += n;
        }
        src.position(src.position() + len);
        stats.count(DeviceOp.WRITE, len);
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        stats.count(DeviceOp.FLUSH, 0);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        ensureOpen();
        DeviceChecks.checkRange(this, "discard", offset, length, size, alignment);
        zero(offset, length);
        stats.count(DeviceOp.DISCARD, length);
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        ensureOpen();
        DeviceChecks.checkRange(this, "writeZeroes", offset, length, size, alignment);
        zero(offset, length);
        stats.count(DeviceOp.WRITE_ZEROES, length);
    }

    /** Zeros a range: whole chunks are dropped, partial ones filled. */
    private void zero(long offset, long length) {
        long done = 0;
        while (done < length) {
            long pos = offset + done;
            int index = (int) (pos >>> CHUNK_SHIFT);
            int within = (int) (pos & (CHUNK - 1));
            int n = (int) Math.min(chunkLength(index) - within, length - done);
            if (within == 0 && n == chunkLength(index)) {
                chunks.set(index, null);
            } else {
                MemorySegment c = chunks.get(index);
                if (c != null) {
                    c.asSlice(within, n).fill((byte) 0);
                }
            }
            done += n;
        }
    }

    /**
     * Makes this device's content a copy of {@code other}'s (same size), chunk by chunk. Not
     * atomic with respect to concurrent I/O on either device.
     */
    public void copyFrom(MemoryDevice other) {
        if (other.size != size) {
            throw new IllegalArgumentException("copyFrom: size " + other.size + " differs from " + size);
        }
        for (int i = 0; i < chunks.length(); i++) {
            MemorySegment c = other.chunks.get(i);
            if (c == null) {
                chunks.set(i, null);
            } else {
                MemorySegment copy = Arena.ofAuto().allocate(c.byteSize(), 64);
                copy.copyFrom(c);
                chunks.set(i, copy);
            }
        }
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(describe() + " is closed");
        }
    }

    @Override
    public String describe() {
        return "memory (" + size + " bytes, block " + alignment + ")";
    }

    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < chunks.length(); i++) {
            chunks.set(i, null);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
