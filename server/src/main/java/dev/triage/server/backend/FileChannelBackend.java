package dev.triage.server.backend;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.IntUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An export served from a plain file through a {@link FileChannel} (buffered, positional I/O; the
 * page cache is shared by all connections, so a flush on one makes every connection's completed
 * writes durable). Trims are recorded in an {@link ExtentMap} and read back as zeros until
 * written again (the file keeps its bytes: after a restart trimmed ranges may show their old
 * content, which the protocol allows); write-zeroes write real zeros, so they survive restarts.
 */
public final class FileChannelBackend implements ExportBackend {
    private static final Logger log = LoggerFactory.getLogger(FileChannelBackend.class);
    private static final int ZERO_CHUNK = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(ZERO_CHUNK).asReadOnlyBuffer();

    private final Path path;
    private final FileChannel channel;
    private final long size;
    private final int minBlock;
    private final int maxBlock;
    private final boolean readOnly;
    private final ExtentMap map;
    /** The file mapped into memory, or null for positional reads and writes. */
    private final MemorySegment mapped;
    private final Arena arena;

    public FileChannelBackend(Path path, long size, int minBlock, boolean readOnly, IntUnaryOperator zoneOfClass)
            throws IOException {
        this(path, size, minBlock, readOnly, false, zoneOfClass);
    }

    /**
     * Opens (and, unless read-only, creates) {@code path}.
     *
     * @param size        the export size, or -1 for the file's size; a file shorter than
     *                    {@code size} is extended (sparse), a longer one is served in part
     * @param minBlock    the alignment to advertise and enforce (a power of 2, 1..65536)
     * @param mmap        map the file into memory: reads and writes are memory copies (no system
     *                    call, no blocking of a virtual thread's carrier), flush is msync; an
     *                    I/O error of the medium then surfaces as an {@link InternalError},
     *                    answered EIO
     * @param zoneOfClass the zone reported for a class in {@code x-triage:class}
     */
    public FileChannelBackend(Path path, long size, int minBlock, boolean readOnly, boolean mmap,
            IntUnaryOperator zoneOfClass) throws IOException {
        if (Integer.bitCount(minBlock) != 1 || minBlock > 65536) {
            throw new IllegalArgumentException("min block must be a power of 2 up to 65536: " + minBlock);
        }
        this.path = path;
        this.readOnly = readOnly;
        this.minBlock = minBlock;
        this.maxBlock = 32 << 20;
        long fileSize = Files.exists(path) ? Files.size(path) : -1;
        if (size < 0 && fileSize < 0) {
            throw new IOException(path + ": no such file (give size= to create it)");
        }
        long exportSize = size < 0 ? fileSize : size;
        if (exportSize % minBlock != 0) {
            throw new IllegalArgumentException(path + ": size " + exportSize + " is not a multiple of the block size " + minBlock);
        }
        long grownFrom = -1;
        if (fileSize < exportSize) {
            if (readOnly) {
                throw new IOException(path + ": file has " + fileSize + " bytes, fewer than size=" + exportSize + " (read-only)");
            }
            try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
                raf.setLength(exportSize);
            }
            grownFrom = Math.max(0, fileSize);
        }
        this.channel = readOnly ? FileChannel.open(path, StandardOpenOption.READ)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (grownFrom >= 0) {
            channel.force(true);
        }
        this.size = exportSize;
        this.map = new ExtentMap(exportSize, Math.max(4096, minBlock), zoneOfClass);
        if (mmap && exportSize > 0) {
            this.arena = Arena.ofShared();
            this.mapped = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0,
                    exportSize, arena);
        } else {
            this.arena = null;
            this.mapped = null;
        }
        if (grownFrom >= 0) {
            // Bytes past the old end read as zeros and are not allocated.
            map.markFull(grownFrom, exportSize - grownFrom, ExtentMap.HOLE);
        }
        log.debug("opened {} size={} minBlock={} readOnly={}", path, exportSize, minBlock, readOnly);
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int minBlock() {
        return minBlock;
    }

    @Override
    public int preferredBlock() {
        return Math.max(4096, minBlock);
    }

    @Override
    public int maxBlock() {
        return maxBlock;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public void read(long offset, ByteBuffer dst, int ioClass) throws IOException {
        int start = dst.position();
        int len = dst.remaining();
        long pos = offset;
        if (mapped != null) {
            try {
                MemorySegment.copy(mapped, offset, MemorySegment.ofBuffer(dst), 0, len);
            } catch (InternalError e) {
                throw new IOException(path + ": read fault at " + offset + "+" + len, e);
            }
            dst.position(start + len);
        }
        while (dst.hasRemaining()) {
            int n = channel.read(dst, pos);
            if (n < 0) {
                // The file was shortened under us: the rest reads as zeros.
                while (dst.hasRemaining()) {
                    dst.put((byte) 0);
                }
                break;
            }
            pos += n;
        }
        if (map.anyHole(offset, len)) {
            zeroHoles(offset, dst, start, len);
        }
    }

    private void zeroHoles(long offset, ByteBuffer dst, int start, int len) {
        int granule = map.granule();
        long end = offset + len;
        for (long g = offset - Math.floorMod(offset, granule); g < end; g += granule) {
            if (map.stateAt(g) == ExtentMap.HOLE) {
                long from = Math.max(g, offset);
                long to = Math.min(g + granule, end);
                for (long p = from; p < to; p++) {
                    dst.put(start + (int) (p - offset), (byte) 0);
                }
            }
        }
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua, int ioClass) throws IOException {
        int len = src.remaining();
        // A partial write into a trimmed granule: make the rest of the granule real zeros first,
        // so what was read as zeros stays zeros.
        int granule = map.granule();
        if (map.stateAt(offset) == ExtentMap.HOLE && (offset % granule != 0 || len < granule)) {
            long g = offset - offset % granule;
            zeroFill(g, Math.min(granule, size - g));
        }
        long lastByte = offset + len - 1;
        if (len > 0 && map.stateAt(lastByte) == ExtentMap.HOLE && (offset + len) % granule != 0) {
            long g = lastByte - lastByte % granule;
            zeroFill(g, Math.min(granule, size - g));
        }
        long pos = offset;
        if (mapped != null) {
            try {
                MemorySegment.copy(MemorySegment.ofBuffer(src), 0, mapped, offset, len);
            } catch (InternalError e) {
                throw new IOException(path + ": write fault at " + offset + "+" + len, e);
            }
            src.position(src.limit());
        }
        while (src.hasRemaining()) {
            pos += channel.write(src, pos);
        }
        map.markData(offset, len, ioClass);
        if (fua) {
            if (mapped != null && len > 0) {
                forceRange(offset, len);
            } else {
                sync();
            }
        }
    }

    private void zeroFill(long offset, long length) throws IOException {
        if (mapped != null) {
            mapped.asSlice(offset, length).fill((byte) 0);
            return;
        }
        long pos = offset;
        long end = offset + length;
        while (pos < end) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(ZERO_CHUNK, end - pos));
            while (z.hasRemaining()) {
                pos += channel.write(z, pos);
            }
        }
    }

    @Override
    public void flush() throws IOException {
        sync();
    }

    /** msync of the pages a FUA write touched (the file's size and layout do not change). */
    private void forceRange(long offset, long length) throws IOException {
        try {
            mapped.asSlice(offset, length).force();
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void sync() throws IOException {
        if (mapped != null) {
            try {
                mapped.force();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
        }
        channel.force(false);
    }

    @Override
    public void trim(long offset, long length) {
        map.markFull(offset, length, ExtentMap.HOLE);
    }

    @Override
    public void writeZeroes(long offset, long length, boolean noHole, boolean fua, int ioClass) throws IOException {
        zeroFill(offset, length);
        map.markFull(offset, length, ExtentMap.ZERO);
        map.classify(offset, length, ioClass);
        if (fua) {
            sync();
        }
    }

    @Override
    public boolean canFastZero() {
        return false;
    }

    @Override
    public void cache(long offset, long length, int ioClass) {
        // The page cache does the prefetching; nothing to change.
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
        return (mapped != null ? "mapped file " : "file ") + path;
    }

    @Override
    public void close() throws IOException {
        if (!readOnly) {
            sync();
        }
        if (arena != null) {
            arena.close();
        }
        channel.close();
    }
}
