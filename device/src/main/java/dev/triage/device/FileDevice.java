package dev.triage.device;

import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A regular file or a raw block device ({@code /dev/...}) as a {@link BlockDevice}, through
 * O_DIRECT by default: no page cache, the data goes straight between the caller's buffer and the
 * device. System calls go through the FFM API ({@link LinuxIo}): pread/pwrite, fdatasync,
 * fallocate for files and ioctl (BLKGETSIZE64, BLKSSZGET, BLKDISCARD, BLKZEROOUT) for block
 * devices.
 *
 * <ul>
 *   <li>The alignment is the logical block size: BLKSSZGET for a block device, the file
 *       system's block size for a file (at least 512). Offsets and lengths must be multiples
 *       of it; a buffer that is heap or not aligned is copied through an aligned bounce buffer
 *       from a small pool (counted in {@link DeviceStats#bounces()}).
 *   <li>{@link #flush()} is fdatasync. A FUA write is pwritev2 with RWF_DSYNC (falls back to
 *       write + fdatasync where the kernel refuses it), or write + fdatasync with
 *       {@link FuaMode#WRITE_THEN_FDATASYNC}.
 *   <li>{@link #discard} punches a hole (FALLOC_FL_PUNCH_HOLE | KEEP_SIZE) in a file, BLKDISCARD
 *       on a block device; a file then reads zeros there. {@link #writeZeroes} is
 *       FALLOC_FL_ZERO_RANGE (then PUNCH_HOLE, then explicit zero writes) for a file,
 *       BLKZEROOUT for a block device.
 *   <li>Errors of the system carry the path, operation, offset, length and the errno text.
 *       Bad arguments throw {@link IllegalArgumentException} naming the field, before any I/O.
 *   <li>Thread-safe: any number of threads may do positional I/O at once. {@link #close()}
 *       must not race with I/O.
 * </ul>
 *
 * <p>{@link Engine#CHANNEL} does reads and writes through a {@link FileChannel} opened with
 * {@code ExtendedOpenOption.DIRECT} instead of pread/pwrite; it exists to compare the two
 * (bench/device-randio.sh).
 */
public final class FileDevice implements BlockDevice {

    private static final Logger LOG = LoggerFactory.getLogger(FileDevice.class);
    private static final int S_IFMT = 0170000;
    private static final int S_IFBLK = 0060000;
    private static final int BOUNCE_SIZE = 1 << 20;
    private static final int BOUNCE_POOL = 16;
    private static final int ZERO_CHUNK = 1 << 20;

    /** How reads and writes reach the kernel. */
    public enum Engine {
        /** pread/pwrite through the FFM API (the default). */
        FFM,
        /** {@link FileChannel#read(ByteBuffer, long)}/{@code write} with ExtendedOpenOption.DIRECT. */
        CHANNEL
    }

    /** How a FUA write is made durable. */
    public enum FuaMode {
        /** pwritev2(..., RWF_DSYNC): the write returns once durable (FFM engine only). */
        RWF_DSYNC,
        /** pwrite, then fdatasync. */
        WRITE_THEN_FDATASYNC
    }

    /**
     * How to open a file device.
     *
     * @param direct O_DIRECT (no page cache); false uses the page cache
     * @param readOnly open read-only; writes, discards and zeroing fail
     * @param engine how reads and writes reach the kernel
     * @param fuaMode how a FUA write is made durable
     */
    public record Options(boolean direct, boolean readOnly, Engine engine, FuaMode fuaMode) {
        /** O_DIRECT, read-write, FFM engine, FUA by RWF_DSYNC. */
        public static final Options DEFAULT = new Options(true, false, Engine.FFM, FuaMode.RWF_DSYNC);

        public Options {
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(fuaMode, "fuaMode");
        }

        public Options withDirect(boolean d) {
            return new Options(d, readOnly, engine, fuaMode);
        }

        public Options withReadOnly(boolean r) {
            return new Options(direct, r, engine, fuaMode);
        }

        public Options withEngine(Engine e) {
            return new Options(direct, readOnly, e, fuaMode);
        }

        public Options withFuaMode(FuaMode f) {
            return new Options(direct, readOnly, engine, f);
        }
    }

    private final Path path;
    private final Options options;
    private final int fd;
    private final FileChannel channel;
    private final boolean blockDevice;
    private final long size;
    private final int alignment;
    private final DeviceStats stats = new DeviceStats();
    private final Buffers.Pool bounce;
    private volatile boolean rwfDsync;
    private volatile boolean zeroRange = true;
    private volatile boolean punchHole = true;
    private volatile boolean closed;

    private FileDevice(Path path, Options options, int fd, FileChannel channel, boolean blockDevice, long size,
            int alignment) {
        this.path = path;
        this.options = options;
        this.fd = fd;
        this.channel = channel;
        this.blockDevice = blockDevice;
        this.size = size;
        this.alignment = alignment;
        this.bounce = new Buffers.Pool(Math.max(BOUNCE_SIZE, alignment), Math.max(alignment, 512), BOUNCE_POOL);
        this.rwfDsync = options.fuaMode() == FuaMode.RWF_DSYNC && options.engine() == Engine.FFM;
    }

    /** Opens an existing file or block device with {@link Options#DEFAULT}. */
    public static FileDevice open(Path path) throws IOException {
        return open(path, Options.DEFAULT);
    }

    /** Opens an existing file or block device. */
    public static FileDevice open(Path path, Options options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file or block device");
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode");
        boolean blockDevice = (mode & S_IFMT) == S_IFBLK;
        if (!blockDevice && !Files.isRegularFile(path)) {
            throw new IOException(path + ": neither a regular file nor a block device");
        }
        int flags = (options.readOnly() ? LinuxIo.O_RDONLY : LinuxIo.O_RDWR) | LinuxIo.O_CLOEXEC
                | (options.direct() ? LinuxIo.O_DIRECT : 0);
        int fd = LinuxIo.open(path.toString(), flags, 0);
        if (fd < 0) {
            int errno = LinuxIo.errno();
            String hint = options.direct() && errno == 22
                    ? "; the file system may not support O_DIRECT (tmpfs does not): use another directory or"
                            + " Options.withDirect(false)"
                    : "";
            throw new IOException("open " + path + (options.direct() ? " with O_DIRECT" : "") + ": "
                    + LinuxIo.strerror(errno) + hint);
        }
        try {
            long size;
            int alignment;
            if (blockDevice) {
                MemorySegment arg = LinuxIo.scratch();
                if (LinuxIo.ioctl(fd, LinuxIo.BLKGETSIZE64, arg) != 0) {
                    throw new IOException("ioctl BLKGETSIZE64 on " + path + ": " + LinuxIo.strerror(LinuxIo.errno()));
                }
                size = arg.get(ValueLayout.JAVA_LONG, 0);
                if (LinuxIo.ioctl(fd, LinuxIo.BLKSSZGET, arg) != 0) {
                    throw new IOException("ioctl BLKSSZGET on " + path + ": " + LinuxIo.strerror(LinuxIo.errno()));
                }
                alignment = arg.get(ValueLayout.JAVA_INT, 0);
            } else {
                size = Files.size(path);
                long fsBlock = Files.getFileStore(path).getBlockSize();
                alignment = (int) Math.max(512, Math.min(fsBlock, 65536));
                if (Integer.bitCount(alignment) != 1) {
                    alignment = Buffers.DEFAULT_ALIGNMENT;
                }
            }
            long usable = size - size % alignment;
            if (usable != size) {
                LOG.warn("{}: size {} is not a multiple of the block size {}; the last {} bytes are not used",
                        path, size, alignment, size - usable);
            }
            FileChannel channel = null;
            if (options.engine() == Engine.CHANNEL) {
                channel = options.readOnly()
                        ? FileChannel.open(path, StandardOpenOption.READ, directOption(options))
                        : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                                directOption(options));
            }
            return new FileDevice(path, options, fd, channel, blockDevice, usable, alignment);
        } catch (IOException | RuntimeException e) {
            LinuxIo.close(fd);
            throw e;
        }
    }

    private static java.nio.file.OpenOption directOption(Options options) {
        return options.direct() ? com.sun.nio.file.ExtendedOpenOption.DIRECT : StandardOpenOption.READ;
    }

    /** Creates a new sparse file of {@code size} bytes (fails if it exists) and opens it with {@link Options#DEFAULT}. */
    public static FileDevice create(Path path, long size) throws IOException {
        return create(path, size, Options.DEFAULT);
    }

    /** Creates a new sparse file of {@code size} bytes (fails if it exists) and opens it. */
    public static FileDevice create(Path path, long size, Options options) throws IOException {
        createSparse(path, size);
        return open(path, options);
    }

    /** Creates a new sparse file of {@code size} bytes; fails with FileAlreadyExistsException if it exists. */
    public static void createSparse(Path path, long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size + " is negative (creating " + path + ")");
        }
        Files.createFile(path);
        try (RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    /**
     * Whether files in {@code dir} can be opened with O_DIRECT (false on tmpfs, for instance).
     * Creates and deletes a small probe file.
     */
    public static boolean supportsDirectIo(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, ".odirect-probe", ".tmp");
        try {
            Files.write(probe, new byte[4096]);
            int fd = LinuxIo.open(probe.toString(), LinuxIo.O_RDWR | LinuxIo.O_DIRECT | LinuxIo.O_CLOEXEC, 0);
            if (fd < 0) {
                return false;
            }
            LinuxIo.close(fd);
            return true;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public int alignment() {
        return alignment;
    }

    /** The path this device was opened from. */
    public Path path() {
        return path;
    }

    /** Whether this is a raw block device rather than a regular file. */
    public boolean isBlockDevice() {
        return blockDevice;
    }

    public Options options() {
        return options;
    }

    /** Counters of operations, errors and bounce copies. */
    public DeviceStats stats() {
        return stats;
    }

    /** The file descriptor (for tests that look at /proc/self/fdinfo). */
    int fd() {
        return fd;
    }

    /** Whether a buffer can be handed to the kernel as it is. */
    private boolean usable(ByteBuffer buf) {
        if (options.direct()) {
            return Buffers.isAligned(buf, alignment);
        }
        return buf.isDirect();
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        ensureOpen();
        DeviceChecks.checkBuffer(this, "read", offset, dst, size, alignment);
        DeviceChecks.checkWritable(this, dst);
        int len = dst.remaining();
        try {
            if (usable(dst)) {
                readFully(offset, dst);
            } else {
                stats.bounce();
                ByteBuffer b = bounce.acquire();
                try {
                    int done = 0;
                    while (done < len) {
                        int n = Math.min(b.capacity(), len - done);
                        b.clear().limit(n);
                        readFully(offset + done, b);
                        b.flip();
                        dst.put(b);
                        done += n;
                    }
                } finally {
                    bounce.release(b);
                }
            }
        } catch (IOException e) {
            stats.error();
            throw e;
        }
        stats.count(DeviceOp.READ, len);
    }

    /** Reads {@code buf.remaining()} bytes at {@code offset} into a usable buffer, advancing its position. */
    private void readFully(long offset, ByteBuffer buf) throws IOException {
        int len = buf.remaining();
        if (channel != null) {
            int done = 0;
            try {
                while (done < len) {
                    int n = channel.read(buf, offset + done);
                    if (n < 0) {
                        throw new EOFException(errorText("read", offset, len) + ": end of file after " + done
                                + " bytes");
                    }
                    done += n;
                }
            } catch (EOFException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException(errorText("read", offset, len) + ": " + e.getMessage(), e);
            }
            return;
        }
        MemorySegment seg = MemorySegment.ofBuffer(buf);
        long done = 0;
        while (done < len) {
            long n = LinuxIo.pread(fd, done == 0 ? seg : seg.asSlice(done), len - done, offset + done);
            if (n < 0) {
                int errno = LinuxIo.errno();
                if (errno == LinuxIo.EINTR) {
                    continue;
                }
                throw new IOException(errorText("read", offset, len) + ": " + LinuxIo.strerror(errno));
            }
            if (n == 0) {
                throw new EOFException(errorText("read", offset, len) + ": end of file after " + done + " bytes");
            }
            done += n;
        }
        buf.position(buf.position() + len);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        ensureWritable("write");
        DeviceChecks.checkBuffer(this, "write", offset, src, size, alignment);
        int len = src.remaining();
        boolean dsync = fua && rwfDsync;
        try {
            if (usable(src)) {
                writeFully(offset, src, dsync);
            } else {
                stats.bounce();
                ByteBuffer b = bounce.acquire();
                try {
                    int done = 0;
                    while (done < len) {
                        int n = Math.min(b.capacity(), len - done);
                        b.clear();
                        b.put(0, src, src.position(), n);
                        b.limit(n);
                        writeFully(offset + done, b, dsync);
                        src.position(src.position() + n);
                        done += n;
                    }
                } finally {
                    bounce.release(b);
                }
            }
            if (fua && !dsync) {
                fdatasync("write (FUA)", offset, len);
            }
        } catch (IOException e) {
            stats.error();
            throw e;
        }
        stats.count(DeviceOp.WRITE, len);
    }

    private void writeFully(long offset, ByteBuffer buf, boolean dsync) throws IOException {
        int len = buf.remaining();
        if (channel != null) {
            int done = 0;
            try {
                while (done < len) {
                    done += channel.write(buf, offset + done);
                }
            } catch (IOException e) {
                throw new IOException(errorText("write", offset, len) + ": " + e.getMessage(), e);
            }
            return;
        }
        MemorySegment seg = MemorySegment.ofBuffer(buf);
        long done = 0;
        while (done < len) {
            MemorySegment part = done == 0 ? seg : seg.asSlice(done);
            long n = dsync
                    ? LinuxIo.pwrite2(fd, part, len - done, offset + done, LinuxIo.RWF_DSYNC)
                    : LinuxIo.pwrite(fd, part, len - done, offset + done);
            if (n < 0) {
                int errno = LinuxIo.errno();
                if (errno == LinuxIo.EINTR) {
                    continue;
                }
                if (dsync && (errno == LinuxIo.EOPNOTSUPP || errno == 22 || errno == 38) && done == 0) {
                    LOG.info("{}: pwritev2 RWF_DSYNC refused ({}); FUA falls back to write + fdatasync", path,
                            LinuxIo.strerror(errno));
                    rwfDsync = false;
                    writeFully(offset, buf, false);
                    fdatasync("write (FUA)", offset, len);
                    return;
                }
                throw new IOException(errorText("write", offset, len) + ": " + LinuxIo.strerror(errno));
            }
            if (n == 0) {
                throw new IOException(errorText("write", offset, len) + ": no progress after " + done + " bytes");
            }
            done += n;
        }
        buf.position(buf.position() + len);
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        try {
            fdatasync("flush", 0, size);
        } catch (IOException e) {
            stats.error();
            throw e;
        }
        stats.count(DeviceOp.FLUSH, 0);
    }

    private void fdatasync(String op, long offset, long len) throws IOException {
        while (LinuxIo.fdatasync(fd) != 0) {
            int errno = LinuxIo.errno();
            if (errno != LinuxIo.EINTR) {
                throw new IOException(errorText(op, offset, len) + ": fdatasync: " + LinuxIo.strerror(errno));
            }
        }
    }

    @Override
    public void discard(long offset, long length) throws IOException {
        ensureWritable("discard");
        DeviceChecks.checkRange(this, "discard", offset, length, size, alignment);
        if (length == 0) {
            stats.count(DeviceOp.DISCARD, 0);
            return;
        }
        try {
            if (blockDevice) {
                blockIoctl(LinuxIo.BLKDISCARD, "discard (BLKDISCARD)", offset, length);
            } else if (punchHole) {
                int r = LinuxIo.fallocate(fd, LinuxIo.FALLOC_FL_PUNCH_HOLE | LinuxIo.FALLOC_FL_KEEP_SIZE, offset,
                        length);
                if (r != 0) {
                    int errno = LinuxIo.errno();
                    if (errno != LinuxIo.EOPNOTSUPP) {
                        throw new IOException(errorText("discard (punch hole)", offset, length) + ": "
                                + LinuxIo.strerror(errno));
                    }
                    LOG.info("{}: the file system cannot punch holes; discard becomes a no-op", path);
                    punchHole = false;
                }
            }
        } catch (IOException e) {
            stats.error();
            throw e;
        }
        stats.count(DeviceOp.DISCARD, length);
    }

    @Override
    public void writeZeroes(long offset, long length) throws IOException {
        ensureWritable("writeZeroes");
        DeviceChecks.checkRange(this, "writeZeroes", offset, length, size, alignment);
        if (length == 0) {
            stats.count(DeviceOp.WRITE_ZEROES, 0);
            return;
        }
        try {
            if (blockDevice) {
                blockIoctl(LinuxIo.BLKZEROOUT, "writeZeroes (BLKZEROOUT)", offset, length);
            } else if (!(zeroRange && fallocateZero(LinuxIo.FALLOC_FL_ZERO_RANGE, offset, length))
                    && !(punchHole && fallocateZero(LinuxIo.FALLOC_FL_PUNCH_HOLE, offset, length))) {
                writeZeroBuffers(offset, length);
            }
        } catch (IOException e) {
            stats.error();
            throw e;
        }
        stats.count(DeviceOp.WRITE_ZEROES, length);
    }

    /** fallocate with {@code mode | KEEP_SIZE}; false when the file system does not support the mode. */
    private boolean fallocateZero(int mode, long offset, long length) throws IOException {
        if (LinuxIo.fallocate(fd, mode | LinuxIo.FALLOC_FL_KEEP_SIZE, offset, length) == 0) {
            return true;
        }
        int errno = LinuxIo.errno();
        if (errno != LinuxIo.EOPNOTSUPP) {
            throw new IOException(errorText("writeZeroes (fallocate mode " + mode + ")", offset, length) + ": "
                    + LinuxIo.strerror(errno));
        }
        if (mode == LinuxIo.FALLOC_FL_ZERO_RANGE) {
            zeroRange = false;
        } else {
            punchHole = false;
        }
        return false;
    }

    private void writeZeroBuffers(long offset, long length) throws IOException {
        ByteBuffer b = bounce.acquire();
        try {
            long done = 0;
            while (done < length) {
                int n = (int) Math.min(Math.min(b.capacity(), ZERO_CHUNK), length - done);
                b.clear();
                for (int i = 0; i < n; i += 8) {
                    b.putLong(i, 0L);
                }
                b.limit(n);
                writeFully(offset + done, b, false);
                done += n;
            }
        } finally {
            bounce.release(b);
        }
    }

    private void blockIoctl(long request, String op, long offset, long length) throws IOException {
        MemorySegment range = LinuxIo.scratch();
        range.set(ValueLayout.JAVA_LONG, 0, offset);
        range.set(ValueLayout.JAVA_LONG, 8, length);
        if (LinuxIo.ioctl(fd, request, range) != 0) {
            int errno = LinuxIo.errno();
            if (request == LinuxIo.BLKZEROOUT && errno == LinuxIo.EOPNOTSUPP) {
                writeZeroBuffers(offset, length);
                return;
            }
            if (request == LinuxIo.BLKDISCARD && errno == LinuxIo.EOPNOTSUPP) {
                return;
            }
            throw new IOException(errorText(op, offset, length) + ": " + LinuxIo.strerror(errno));
        }
    }

    private String errorText(String op, long offset, long length) {
        return op + " of " + length + " bytes at offset " + offset + " on " + path;
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException(describe() + " is closed");
        }
    }

    private void ensureWritable(String op) throws IOException {
        ensureOpen();
        if (options.readOnly()) {
            throw new IOException(op + " on " + describe() + ": the device is open read-only");
        }
    }

    @Override
    public String describe() {
        return (blockDevice ? "block device " : "file ") + path + " (" + (options.direct() ? "O_DIRECT" : "buffered")
                + ", " + size + " bytes, block " + alignment + ")";
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException failure = null;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        if (LinuxIo.close(fd) != 0 && failure == null) {
            failure = new IOException("close " + path + ": " + LinuxIo.strerror(LinuxIo.errno()));
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
