package dev.triage.hints.ext4;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.Objects;

/** An {@link Ext4Source} over bytes in memory (a small image, or a test's corrupted copy). */
public final class ByteArrayExt4Source implements Ext4Source {
    private final byte[] bytes;

    public ByteArrayExt4Source(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes);
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws EOFException {
        int n = dst.remaining();
        if (offset < 0 || offset > bytes.length - (long) n) {
            throw new EOFException("read of " + n + " bytes at " + offset + " is outside the "
                    + bytes.length + "-byte image");
        }
        dst.put(bytes, (int) offset, n);
    }

    @Override
    public long size() {
        return bytes.length;
    }
}
