package dev.triage.cache.live;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One volume seen through the live cache: the verbs a block server needs (read, write, flush,
 * discard, write-zeroes), each request tagged with its I/O class. Offsets and lengths are
 * multiples of 512 bytes; what is not a whole cache block is merged in the cache. Without a
 * cache (a pool with no fast device) the requests go to the volume directly.
 */
public final class CachedVolume {
    private final LiveCache cache;
    private final int id;
    private final Backing backing;

    public CachedVolume(LiveCache cache, int id, Backing backing) {
        this.cache = cache;
        this.id = id;
        this.backing = backing;
    }

    /** The volume's id (the cache's key space). */
    public int id() {
        return id;
    }

    /** The volume's size in bytes. */
    public long size() {
        return backing.size();
    }

    /** The cache, or null when the volume is not cached. */
    public LiveCache cache() {
        return cache;
    }

    /** Reads {@code dst.remaining()} bytes at {@code offset}. */
    public void read(long offset, ByteBuffer dst, int ioClass) throws IOException {
        if (cache == null) {
            backing.read(offset, dst);
        } else {
            cache.read(id, offset, dst, ioClass);
        }
    }

    /** Writes {@code src.remaining()} bytes at {@code offset}; durable on return when {@code fua}. */
    public void write(long offset, ByteBuffer src, int ioClass, boolean fua) throws IOException {
        if (cache == null) {
            backing.write(offset, src, ioClass, fua);
        } else {
            cache.write(id, offset, src, ioClass, fua);
        }
    }

    /** Makes every completed write of the volume durable. */
    public void flush() throws IOException {
        if (cache == null) {
            backing.flush();
        } else {
            cache.flush(id);
        }
    }

    /** Frees a range (it reads back as zeros on a thin volume). */
    public void discard(long offset, long length) throws IOException {
        if (cache == null) {
            backing.discard(offset, length);
        } else {
            cache.discard(id, offset, length);
        }
    }

    /** Makes a range read back as zeros; durable on return when {@code fua}. */
    public void writeZeroes(long offset, long length, boolean fua) throws IOException {
        if (cache == null) {
            backing.writeZeroes(offset, length, fua);
        } else {
            cache.writeZeroes(id, offset, length, fua);
        }
    }

    @Override
    public String toString() {
        return "cached volume " + id + " (" + size() + " bytes)";
    }
}
