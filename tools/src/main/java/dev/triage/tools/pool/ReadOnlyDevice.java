package dev.triage.tools.pool;

import dev.triage.device.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A view of a device that reads and refuses every change (for checks that must change nothing). */
final class ReadOnlyDevice implements BlockDevice {
    private final BlockDevice dev;

    ReadOnlyDevice(BlockDevice dev) {
        this.dev = dev;
    }

    @Override
    public long size() {
        return dev.size();
    }

    @Override
    public int alignment() {
        return dev.alignment();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        dev.read(offset, dst);
    }

    private IOException refused() {
        return new IOException(dev.describe() + " is open read-only for the check");
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        throw refused();
    }

    @Override
    public void flush() throws IOException {
        throw refused();
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        throw refused();
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        throw refused();
    }

    @Override
    public String describe() {
        return dev.describe() + " (read-only)";
    }

    @Override
    public void close() {
        // the underlying device belongs to the caller
    }
}
