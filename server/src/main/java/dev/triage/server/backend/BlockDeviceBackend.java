package dev.triage.server.backend;

import dev.triage.device.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.IntUnaryOperator;

/**
 * An export served from a {@link BlockDevice}: the device's alignment is the advertised minimum
 * block size, trims become discards and write-zeroes the device's own. Buffers given by the
 * server are direct and 4 KiB-aligned, so O_DIRECT devices take them as they are.
 */
public final class BlockDeviceBackend implements ExportBackend {
    private final BlockDevice device;
    private final boolean readOnly;
    private final ExtentMap map;

    public BlockDeviceBackend(BlockDevice device, boolean readOnly, IntUnaryOperator zoneOfClass) {
        this.device = device;
        this.readOnly = readOnly;
        this.map = new ExtentMap(device.size(), Math.max(4096, device.alignment()), zoneOfClass);
    }

    @Override
    public long size() {
        return device.size();
    }

    @Override
    public int minBlock() {
        return device.alignment();
    }

    @Override
    public int preferredBlock() {
        return Math.max(4096, device.alignment());
    }

    @Override
    public int maxBlock() {
        return 32 << 20;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, ByteBuffer dst, int ioClass) throws IOException {
        device.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua, int ioClass) throws IOException {
        int len = src.remaining();
        device.write(offset, src, fua);
        map.markData(offset, len, ioClass);
    }

    @Override
    public void flush() throws IOException {
        device.flush();
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        device.discard(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean noHole, boolean fua, int ioClass) throws IOException {
        device.writeZeroes(offset, length);
        if (fua) {
            device.flush();
        }
        map.markFull(offset, length, ExtentMap.ZERO);
        map.classify(offset, length, ioClass);
    }

    @Override
    public boolean canFastZero() {
        return false;
    }

    @Override
    public void cache(long offset, long length, int ioClass) {
        // A device has no prefetch; the hint is accepted and changes nothing.
    }

    @Override
    public void classify(long offset, long length, int ioClass) {
        map.classify(offset, length, ioClass);
    }

    @Override
    public void blockStatus(long offset, long length, MetaContext context, ExtentSink sink) {
        map.blockStatus(offset, length, context, sink);
    }

    @Override
    public String describe() {
        return device.describe();
    }

    @Override
    public void close() throws IOException {
        device.close();
    }
}
