package dev.triage.device;

import java.nio.ByteBuffer;

/**
 * Argument checks shared by the devices: they run before any I/O and throw
 * {@link IllegalArgumentException} naming the field, the value, the rule and the device.
 */
public final class DeviceChecks {

    private DeviceChecks() {
    }

    /**
     * Checks a byte range against a device of {@code size} bytes whose offsets and lengths are
     * multiples of {@code alignment}.
     *
     * @param device the device, whose {@link BlockDevice#describe()} text goes into a message (only on failure)
     */
    public static void checkRange(BlockDevice device, String op, long offset, long length, long size, int alignment) {
        if (offset < 0) {
            throw new IllegalArgumentException(op + " on " + device.describe() + ": offset " + offset + " is negative");
        }
        if (length < 0) {
            throw new IllegalArgumentException(op + " on " + device.describe() + ": length " + length + " is negative");
        }
        if ((offset & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(op + " on " + device.describe() + ": offset " + offset
                    + " is not a multiple of the alignment " + alignment);
        }
        if ((length & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(op + " on " + device.describe() + ": length " + length
                    + " is not a multiple of the alignment " + alignment);
        }
        if (offset > size || length > size - offset) {
            throw new IllegalArgumentException(op + " on " + device.describe() + ": range [offset " + offset + ", length "
                    + length + ") ends past the device size " + size);
        }
    }

    /** Checks the range that {@code buf.remaining()} bytes at {@code offset} span. */
    public static void checkBuffer(BlockDevice device, String op, long offset, ByteBuffer buf, long size, int alignment) {
        if (buf == null) {
            throw new IllegalArgumentException(op + " on " + device.describe() + ": buffer is null");
        }
        checkRange(device, op, offset, buf.remaining(), size, alignment);
    }

    /** Checks that a read's destination can be written to. */
    public static void checkWritable(BlockDevice device, ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read on " + device.describe() + ": destination buffer is read-only");
        }
    }

    /** Checks that an alignment is a power of two of at least 1. */
    public static int checkAlignment(String field, int alignment) {
        if (alignment < 1 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(field + " " + alignment + " is not a power of two");
        }
        return alignment;
    }

    /** Checks a device size: non-negative and a multiple of the alignment. */
    public static long checkSize(String field, long size, int alignment) {
        if (size < 0 || (size & (alignment - 1)) != 0) {
            throw new IllegalArgumentException(field + " " + size + " is not a non-negative multiple of " + alignment);
        }
        return size;
    }
}
