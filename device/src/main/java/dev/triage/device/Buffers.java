package dev.triage.device;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Aligned direct buffers for O_DIRECT I/O, and a small lock-free {@link Pool} of them for the
 * I/O path. A buffer is aligned when it is direct and the address of its position is a multiple
 * of the alignment; O_DIRECT needs that, and offsets and lengths aligned too.
 */
public final class Buffers {

    /** The alignment that suits every device here (a page, and a multiple of every logical block size in use). */
    public static final int DEFAULT_ALIGNMENT = 4096;

    private Buffers() {
    }

    /** A direct buffer of {@code size} bytes whose address is a multiple of {@code alignment}. */
    public static ByteBuffer allocateAligned(int size, int alignment) {
        DeviceChecks.checkAlignment("alignment", alignment);
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative");
        }
        // alignedSlice also rounds the end down to the alignment: round the size up first
        int rounded = Math.addExact(size, alignment - 1) & -alignment;
        ByteBuffer raw = ByteBuffer.allocateDirect(Math.addExact(rounded, alignment));
        return raw.alignedSlice(alignment).limit(size).slice();
    }

    /** A direct buffer of {@code size} bytes aligned to {@link #DEFAULT_ALIGNMENT}. */
    public static ByteBuffer allocateAligned(int size) {
        return allocateAligned(size, DEFAULT_ALIGNMENT);
    }

    /** The native address of {@code buf}'s position; {@code buf} must be direct. */
    public static long address(ByteBuffer buf) {
        return MemorySegment.ofBuffer(buf).address();
    }

    /** Whether {@code buf} is direct and the address of its position a multiple of {@code alignment}. */
    public static boolean isAligned(ByteBuffer buf, int alignment) {
        return buf.isDirect() && (address(buf) & (alignment - 1)) == 0;
    }

    /**
     * A fixed number of reusable aligned buffers of one size. {@link #acquire()} takes a free one
     * or, when none is free, allocates a new one (counted in {@link #allocations()}); {@link
     * #release(ByteBuffer)} returns it (dropped when the pool is full). Lock-free and
     * allocation-free while the pool has buffers.
     */
    public static final class Pool {
        private final int bufferSize;
        private final int alignment;
        private final AtomicReferenceArray<ByteBuffer> slots;
        private final AtomicLong allocations = new AtomicLong();

        /** A pool of up to {@code capacity} buffers of {@code bufferSize} bytes, filled lazily. */
        public Pool(int bufferSize, int alignment, int capacity) {
            if (bufferSize <= 0 || bufferSize % DeviceChecks.checkAlignment("alignment", alignment) != 0) {
                throw new IllegalArgumentException("bufferSize " + bufferSize
                        + " is not a positive multiple of the alignment " + alignment);
            }
            if (capacity <= 0) {
                throw new IllegalArgumentException("capacity " + capacity + " is not positive");
            }
            this.bufferSize = bufferSize;
            this.alignment = alignment;
            this.slots = new AtomicReferenceArray<>(capacity);
        }

        /** A cleared buffer of {@link #bufferSize()} bytes. */
        public ByteBuffer acquire() {
            int n = slots.length();
            int start = (int) (Thread.currentThread().threadId() % n);
            for (int i = 0; i < n; i++) {
                int k = (start + i) % n;
                ByteBuffer b = slots.getPlain(k);
                if (b != null && slots.compareAndSet(k, b, null)) {
                    return b.clear();
                }
            }
            allocations.incrementAndGet();
            return allocateAligned(bufferSize, alignment);
        }

        /** Gives a buffer from {@link #acquire()} back. */
        public void release(ByteBuffer buf) {
            if (buf.capacity() != bufferSize) {
                throw new IllegalArgumentException("buffer of capacity " + buf.capacity()
                        + " does not belong to a pool of " + bufferSize + "-byte buffers");
            }
            int n = slots.length();
            int start = (int) (Thread.currentThread().threadId() % n);
            for (int i = 0; i < n; i++) {
                int k = (start + i) % n;
                if (slots.getPlain(k) == null && slots.compareAndSet(k, null, buf)) {
                    return;
                }
            }
        }

        public int bufferSize() {
            return bufferSize;
        }

        public int alignment() {
            return alignment;
        }

        /** How many buffers were allocated so far (at most the capacity in a steady state). */
        public long allocations() {
            return allocations.get();
        }
    }
}
