package dev.triage.placement;

import dev.triage.device.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Wraps a device (the device module's {@code FaultyDevice} in the crash test) to lose power
 * after a set number of operations: that operation and every later one fail without reaching
 * the device, as when the machine stops. Also injects EIO (before the operation reaches the
 * device, so a failed operation changes nothing) on flushes and on writes in a range.
 */
final class PowerCutDevice implements BlockDevice {
    private final BlockDevice inner;
    private long opsUntilCut = Long.MAX_VALUE;
    private boolean cut;
    Random faults = new Random(0);
    double flushErrorRate;
    double writeErrorRate;
    long writeErrorFrom;
    long writeErrorTo;
    long injected;

    PowerCutDevice(BlockDevice inner) {
        this.inner = inner;
    }

    void cutAfter(long n) {
        opsUntilCut = n;
    }

    boolean cut() {
        return cut;
    }

    private synchronized void op() throws IOException {
        if (cut) {
            throw new IOException("power lost");
        }
        if (opsUntilCut-- <= 0) {
            cut = true;
            throw new IOException("power lost");
        }
    }

    @Override
    public long size() {
        return inner.size();
    }

    @Override
    public int alignment() {
        return inner.alignment();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        op();
        inner.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        op();
        if (writeErrorRate > 0 && offset >= writeErrorFrom && offset < writeErrorTo && faults.nextDouble() < writeErrorRate) {
            injected++;
            throw new IOException("EIO (injected) writing at " + offset);
        }
        inner.write(offset, src, fua);
    }

    @Override
    public void flush() throws IOException {
        op();
        if (flushErrorRate > 0 && faults.nextDouble() < flushErrorRate) {
            injected++;
            throw new IOException("EIO (injected) on flush");
        }
        inner.flush();
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        op();
        inner.discard(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        op();
        inner.writeZeroes(offset, length);
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
