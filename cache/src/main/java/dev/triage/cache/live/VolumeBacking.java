package dev.triage.cache.live;

import dev.triage.placement.Volume;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A thin volume of the placement pool as the slow side of the live cache: writes carry their
 * class, so the pool places each block in its class's zone; discarded blocks are unmapped and
 * read back as zeros; a flush commits the pool.
 */
public final class VolumeBacking implements Backing {
    private final Volume volume;

    public VolumeBacking(Volume volume) {
        this.volume = volume;
    }

    public Volume volume() {
        return volume;
    }

    @Override
    public long size() {
        return volume.size();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        volume.read(offset, dst);
    }

    @Override
    public void write(long offset, ByteBuffer src, int ioClass, boolean fua) throws IOException {
        volume.write(offset, src, ioClass, fua);
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        volume.discard(offset, length);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean fua) throws IOException {
        volume.writeZeroes(offset, length, fua);
    }

    @Override
    public void flush() throws IOException {
        volume.flush();
    }

    @Override
    public String toString() {
        return "volume " + volume.name() + " (id " + volume.id() + ")";
    }
}
