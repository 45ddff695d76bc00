package dev.triage.placement;

import dev.triage.device.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A memory device for tests that models a volatile write cache: {@code live} is what reads
 * see; {@code durable} is what survives a power loss. A crash (armed after a number of device
 * operations, or taken with {@link #crashImage}) keeps the durable image plus, for each write
 * not yet flushed, in order: all of it, none of it, or a random subset of its 512-byte
 * sectors (FUA writes always survive). Also injects EIO on reads, writes in a range, and
 * flushes, from a seeded random source.
 */
final class TestDevice implements BlockDevice {
    static final int SECTOR = 512;

    private final byte[] durable;
    private final byte[] live;
    private final List<long[]> pendingAt = new ArrayList<>();
    private final List<byte[]> pendingData = new ArrayList<>();
    private long opsUntilCrash = Long.MAX_VALUE;
    private boolean crashed;
    long ops;

    Random faults = new Random(0);
    double readErrorRate;
    double writeErrorRate;
    long writeErrorFrom;
    long writeErrorTo = Long.MAX_VALUE;
    double flushErrorRate;
    long injected;
    long readOnlyFromBlock = -1;

    TestDevice(int bytes) {
        durable = new byte[bytes];
        live = new byte[bytes];
    }

    private TestDevice(byte[] image) {
        durable = image;
        live = image.clone();
    }

    /** Loses power after {@code n} more device operations (the n+1-th fails, as do all later ones). */
    void crashAfter(long n) {
        opsUntilCrash = n;
    }

    boolean crashed() {
        return crashed;
    }

    private void op() throws IOException {
        if (crashed) {
            throw new IOException("test device: power lost");
        }
        ops++;
        if (opsUntilCrash-- <= 0) {
            crashed = true;
            throw new IOException("test device: power lost");
        }
    }

    /** The device as it comes back after a power loss now. */
    synchronized TestDevice crashImage(Random r) {
        byte[] img = durable.clone();
        for (int i = 0; i < pendingAt.size(); i++) {
            long off = pendingAt.get(i)[0];
            boolean fua = pendingAt.get(i)[1] != 0;
            byte[] d = pendingData.get(i);
            int mode = fua ? 1 : r.nextInt(3);
            if (mode == 1) {
                System.arraycopy(d, 0, img, (int) off, d.length);
            } else if (mode == 2) {
                for (int s = 0; s < d.length; s += SECTOR) {
                    if (r.nextBoolean()) {
                        System.arraycopy(d, s, img, (int) off + s, Math.min(SECTOR, d.length - s));
                    }
                }
            }
        }
        return new TestDevice(img);
    }

    /** A copy of what reads see now (no crash). */
    TestDevice snapshot() {
        return new TestDevice(live.clone());
    }

    byte[] liveBytes() {
        return live;
    }

    /** Changes a byte in both images (corruption for checker tests). */
    void poke(long offset, byte value) {
        live[(int) offset] = value;
        durable[(int) offset] = value;
    }

    @Override
    public long size() {
        return live.length;
    }

    @Override
    public int alignment() {
        return SECTOR;
    }

    private void checkAligned(long off, long len) {
        if (off % SECTOR != 0 || len % SECTOR != 0 || off < 0 || off + len > live.length) {
            throw new IllegalArgumentException("unaligned or out of range: " + off + "+" + len);
        }
    }

    @Override
    public synchronized void read(long offset, ByteBuffer dst) throws IOException {
        checkAligned(offset, dst.remaining());
        op();
        if (readErrorRate > 0 && faults.nextDouble() < readErrorRate) {
            injected++;
            throw new IOException("test device: EIO reading at " + offset);
        }
        dst.put(live, (int) offset, dst.remaining());
    }

    @Override
    public synchronized void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        checkAligned(offset, src.remaining());
        op();
        if (writeErrorRate > 0 && offset >= writeErrorFrom && offset < writeErrorTo
                && faults.nextDouble() < writeErrorRate) {
            injected++;
            throw new IOException("test device: EIO writing at " + offset);
        }
        byte[] d = new byte[src.remaining()];
        src.get(d);
        apply(offset, d, fua);
    }

    private void apply(long offset, byte[] d, boolean fua) {
        System.arraycopy(d, 0, live, (int) offset, d.length);
        if (fua) {
            System.arraycopy(d, 0, durable, (int) offset, d.length);
        }
        pendingAt.add(new long[] {offset, fua ? 1 : 0});
        pendingData.add(d);
    }

    @Override
    public synchronized void flush() throws IOException {
        op();
        if (flushErrorRate > 0 && faults.nextDouble() < flushErrorRate) {
            injected++;
            throw new IOException("test device: EIO on flush");
        }
        for (int i = 0; i < pendingAt.size(); i++) {
            byte[] d = pendingData.get(i);
            System.arraycopy(d, 0, durable, (int) pendingAt.get(i)[0], d.length);
        }
        pendingAt.clear();
        pendingData.clear();
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        writeZeroes(offset, length);
    }

    @Override
    public synchronized void writeZeroes(long offset, long length) throws IOException {
        checkAligned(offset, length);
        op();
        apply(offset, new byte[(int) length], false);
    }

    @Override
    public String describe() {
        return "test device (" + live.length + " bytes)";
    }

    @Override
    public void close() {
        // nothing to release
    }
}
