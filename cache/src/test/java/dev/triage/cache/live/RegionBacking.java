package dev.triage.cache.live;

import dev.triage.device.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A volume made of a fixed region of a device (for tests): discards read back as zeros. */
final class RegionBacking implements Backing {
    private final BlockDevice dev;
    private final long start;
    private final long size;

    RegionBacking(BlockDevice dev, long start, long size) {
        this.dev = dev;
        this.start = start;
        this.size = size;
    }

    @Override
    public long size() {
        return size;
    }

    private void check(long offset, long length) {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " outside the region of " + size);
        }
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        check(offset, dst.remaining());
        dev.read(start + offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, int ioClass, boolean fua) throws IOException {
        check(offset, src.remaining());
        dev.write(start + offset, src, fua);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        check(offset, length);
        dev.writeZeroes(start + offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) throws IOException {
        check(offset, length);
        dev.writeZeroes(start + offset, length);
        if (fua) {
            dev.flush();
        }
    }

    @Override
    public void flush() throws IOException {
        dev.flush();
    }
}
