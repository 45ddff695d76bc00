package dev.triage.hints.ext4;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Where the ext4 reader gets its bytes: a block device, an image file, or a live volume (the
 * NBD server feeds its own volume reads through this). Reads are random-access and absolute.
 */
public interface Ext4Source {

    /**
     * Fills {@code dst} from its position to its limit with the bytes at {@code offset}. A read
     * past the end of the source fails with an {@link IOException}; the reader checks offsets
     * against {@link #size()} before it asks.
     */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** The size of the file system's container in bytes. */
    long size() throws IOException;
}
