package dev.triage.device;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The few Linux system calls that {@link FileDevice} needs, through the FFM API: open, close,
 * pread, pwrite, pwritev2, fdatasync, fallocate and ioctl, each returning the raw result and
 * leaving {@code errno} in a per-thread capture segment (read with {@link #errno()}).
 * Linux on x86-64 and aarch64 only (the constants differ per architecture).
 */
final class LinuxIo {

    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_CREAT = 0x40;
    static final int O_EXCL = 0x80;
    static final int O_CLOEXEC = 0x80000;
    static final int O_DIRECT;

    static final int FALLOC_FL_KEEP_SIZE = 0x01;
    static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    static final int FALLOC_FL_ZERO_RANGE = 0x10;

    static final int RWF_DSYNC = 0x02;

    static final long BLKSSZGET = 0x1268;
    static final long BLKDISCARD = 0x1277;
    static final long BLKZEROOUT = 0x127f;
    static final long BLKGETSIZE64 = 0x80081272L;

    static final int EINTR = 4;
    static final int EOPNOTSUPP = 95;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = handle("close",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle PREAD = handle("pread", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle PWRITE = handle("pwrite", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle PWRITEV2 = handle("pwritev2", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT));
    private static final MethodHandle FDATASYNC = handle("fdatasync",
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle FALLOCATE = handle("fallocate", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.findOrThrow("strerror"),
            FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(
                    MemoryLayout.sequenceLayout(4096, ValueLayout.JAVA_BYTE)), ValueLayout.JAVA_INT));

    /** Per thread: the errno capture segment and a 16-byte scratch area (an iovec, or two u64s for an ioctl). */
    private static final ThreadLocal<MemorySegment[]> SCRATCH = ThreadLocal.withInitial(() -> {
        Arena arena = Arena.ofAuto();
        return new MemorySegment[] {arena.allocate(CAPTURE), arena.allocate(16, 8)};
    });

    static {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            O_DIRECT = 0;
        } else if (arch.equals("aarch64") || arch.equals("arm64")) {
            O_DIRECT = 0x10000;
        } else {
            O_DIRECT = 0x4000;
        }
    }

    private LinuxIo() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = ERRNO_OPTION;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(LIBC.findOrThrow(name), fd, options);
    }

    private static MemorySegment capture() {
        return SCRATCH.get()[0];
    }

    /** A 16-byte, 8-aligned scratch segment of the calling thread. */
    static MemorySegment scratch() {
        return SCRATCH.get()[1];
    }

    /** The errno of the calling thread's last call through this class. */
    static int errno() {
        return (int) ERRNO.get(capture(), 0L);
    }

    /** The text of an errno, e.g. "Input/output error (errno 5)". */
    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.getString(0) + " (errno " + errno + ")";
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    static int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(capture(), arena.allocateFrom(path), flags, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(capture(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long pread(int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) PREAD.invokeExact(capture(), fd, buf, count, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long pwrite(int fd, MemorySegment buf, long count, long offset) {
        try {
            return (long) PWRITE.invokeExact(capture(), fd, buf, count, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** pwritev2 of one buffer with {@code flags} (e.g. {@link #RWF_DSYNC}). */
    static long pwrite2(int fd, MemorySegment buf, long count, long offset, int flags) {
        MemorySegment iov = scratch();
        iov.set(ValueLayout.JAVA_LONG, 0, buf.address());
        iov.set(ValueLayout.JAVA_LONG, 8, count);
        try {
            return (long) PWRITEV2.invokeExact(capture(), fd, iov, 1, offset, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int fdatasync(int fd) {
        try {
            return (int) FDATASYNC.invokeExact(capture(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int fallocate(int fd, int mode, long offset, long length) {
        try {
            return (int) FALLOCATE.invokeExact(capture(), fd, mode, offset, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int ioctl(int fd, long request, MemorySegment arg) {
        try {
            return (int) IOCTL.invokeExact(capture(), fd, request, arg);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("native call failed", t);
    }
}
