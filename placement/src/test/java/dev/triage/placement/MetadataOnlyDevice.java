package dev.triage.placement;

import dev.triage.device.BlockDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * A large device for measurements that keeps only the pool's own blocks (the first {@code
 * keepBlocks} blocks and the last two) and drops data writes (reads of data return zeros).
 */
final class MetadataOnlyDevice implements BlockDevice {
    private final long size;
    private final long keepBelow;
    private final Map<Long, byte[]> kept = new HashMap<>();
    long writes;
    long reads;
    long bytesRead;

    MetadataOnlyDevice(long size, long keepBlocks) {
        this.size = size;
        this.keepBelow = keepBlocks * 4096;
    }

    private boolean keeps(long off) {
        return off < keepBelow || off >= size - 2 * 4096;
    }

    /** Heap held by the kept pages. */
    long keptBytes() {
        return kept.size() * (4096L + 16 + 48);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int alignment() {
        return 4096;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        reads++;
        bytesRead += dst.remaining();
        while (dst.hasRemaining()) {
            byte[] b = keeps(offset) ? kept.get(offset) : null;
            if (b == null) {
                for (int i = 0; i < 4096; i++) {
                    dst.put((byte) 0);
                }
            } else {
                dst.put(b);
            }
            offset += 4096;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        writes++;
        while (src.hasRemaining()) {
            if (keeps(offset)) {
                byte[] b = new byte[4096];
                src.get(b);
                kept.put(offset, b);
            } else {
                src.position(src.position() + 4096);
            }
            offset += 4096;
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void discard(long offset, long length) {
    }

    @Override
    public void writeZeroes(long offset, long length) {
    }

    @Override
    public String describe() {
        return "metadata-only device (" + size + " bytes)";
    }

    @Override
    public void close() {
    }
}
