package dev.triage.cache.live;

import dev.triage.device.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A backing made of a plain device, for tests. */
final class DeviceBacking implements Backing {
    final BlockDevice dev;

    DeviceBacking(BlockDevice dev) {
        this.dev = dev;
    }

    @Override
    public long size() {
        return dev.size();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        dev.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, int ioClass, boolean fua) throws IOException {
        dev.write(offset, src, fua);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        dev.writeZeroes(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) throws IOException {
        dev.writeZeroes(offset, length);
        if (fua) {
            dev.flush();
        }
    }

    @Override
    public void flush() throws IOException {
        dev.flush();
    }
}
