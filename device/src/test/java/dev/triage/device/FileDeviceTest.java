package dev.triage.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileDeviceTest {

    private static final int SIZE = 4 << 20;
    private Path file;

    @BeforeEach
    void setUp() throws IOException {
        DeviceModelPropertyTest.assumeDirectIo();
        file = DeviceModelPropertyTest.freshFile();
    }

    @AfterEach
    void tearDown() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    private static ByteBuffer random(int len, long seed) {
        byte[] b = new byte[len];
        new Random(seed).nextBytes(b);
        return Buffers.allocateAligned(len).put(0, b);
    }

    @Test
    void opensWithODirectAndKeepsThePageCacheEmpty() throws Exception {
        try (FileDevice dev = FileDevice.create(file, SIZE)) {
            String fdinfo = Files.readString(Path.of("/proc/self/fdinfo/" + dev.fd()));
            String flags = fdinfo.lines().filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
            int octal = Integer.parseInt(flags.substring("flags:".length()).trim(), 8);
            assertTrue((octal & LinuxIo.O_DIRECT) != 0, "O_DIRECT set in " + flags);
            dev.write(0, random(SIZE, 1), false);
            ByteBuffer back = Buffers.allocateAligned(SIZE);
            dev.read(0, back);
            assertEquals(random(SIZE, 1).clear(), back.clear());
            dev.flush();
            assertEquals(0, dev.stats().bounces(), "aligned buffers need no bounce copy");
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/fincore")),
                "fincore (util-linux) absent: page cache residency not checked");
        Process p = new ProcessBuilder("/usr/bin/fincore", "--bytes", "--noheadings", "--output", "RES",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("0", out, "bytes of " + file + " in the page cache after 4 MiB of O_DIRECT I/O");
    }

    @Test
    void detectsSizeAndBlockSize() throws IOException {
        try (FileDevice dev = FileDevice.create(file, SIZE)) {
            assertEquals(SIZE, dev.size());
            assertEquals(Files.getFileStore(file).getBlockSize(), dev.alignment());
            assertFalse(dev.isBlockDevice());
            assertTrue(dev.describe().contains(file.toString()) && dev.describe().contains("O_DIRECT"),
                    dev.describe());
        }
    }

    @Test
    void createRefusesAnExistingFileAndOpenAMissingOne() throws IOException {
        FileDevice.createSparse(file, SIZE);
        assertThrows(FileAlreadyExistsException.class, () -> FileDevice.create(file, SIZE));
        Path missing = file.resolveSibling("missing.img");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> FileDevice.open(missing));
        assertTrue(e.getMessage().contains("missing.img"), e.getMessage());
    }

    @Test
    void rejectsBadRangesBeforeAnyIoNamingTheField() throws IOException {
        try (FileDevice dev = FileDevice.create(file, SIZE)) {
            ByteBuffer b = Buffers.allocateAligned(4096);
            var e1 = assertThrows(IllegalArgumentException.class, () -> dev.read(100, b));
            assertTrue(e1.getMessage().contains("offset 100") && e1.getMessage().contains("alignment 4096")
                    && e1.getMessage().contains(file.toString()), e1.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class,
                    () -> dev.write(0, Buffers.allocateAligned(1000), false));
            assertTrue(e2.getMessage().contains("length 1000"), e2.getMessage());
            var e3 = assertThrows(IllegalArgumentException.class, () -> dev.read(SIZE, b));
            assertTrue(e3.getMessage().contains("past the device size " + SIZE), e3.getMessage());
            var e4 = assertThrows(IllegalArgumentException.class, () -> dev.discard(-4096, 4096));
            assertTrue(e4.getMessage().contains("offset -4096 is negative"), e4.getMessage());
            var e5 = assertThrows(IllegalArgumentException.class, () -> dev.writeZeroes(0, SIZE + 4096L));
            assertTrue(e5.getMessage().startsWith("writeZeroes on "), e5.getMessage());
            var e6 = assertThrows(IllegalArgumentException.class, () -> dev.read(0, b.asReadOnlyBuffer()));
            assertTrue(e6.getMessage().contains("read-only"), e6.getMessage());
            assertEquals(0, dev.stats().ops(DeviceOp.READ) + dev.stats().ops(DeviceOp.WRITE));
        }
    }

    @Test
    void bouncesHeapAndMisalignedBuffersAndCountsIt() throws IOException {
        try (FileDevice dev = FileDevice.create(file, SIZE)) {
            int len = 3 << 20; // larger than one 1 MiB bounce buffer
            byte[] data = new byte[len];
            new Random(7).nextBytes(data);
            dev.write(8192, ByteBuffer.wrap(data), false);
            ByteBuffer misaligned = Buffers.allocateAligned(len + 512).position(512).slice();
            dev.read(8192, misaligned);
            byte[] got = new byte[len];
            misaligned.get(0, got);
            assertArrayEquals(data, got);
            assertEquals(2, dev.stats().bounces());
        }
    }

    @Test
    void aSystemErrorNamesThePathOffsetLengthAndCause() throws IOException {
        try (FileDevice dev = FileDevice.create(file, SIZE)) {
            dev.write(0, random(8192, 5), false);
            try (var raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(4096); // shrunk behind the device's back
            }
            IOException e = assertThrows(IOException.class, () -> dev.read(4096, Buffers.allocateAligned(4096)));
            assertTrue(e.getMessage().contains("read of 4096 bytes at offset 4096 on " + file)
                    && e.getMessage().contains("end of file"), e.getMessage());
            assertEquals(1, dev.stats().errors());
            ByteBuffer first = Buffers.allocateAligned(4096);
            dev.read(0, first);
            assertEquals(random(8192, 5).limit(4096), first.flip(), "the data before the error is intact");
        }
    }

    @Test
    void readOnlyRefusesWrites() throws IOException {
        FileDevice.createSparse(file, SIZE);
        try (FileDevice dev = FileDevice.open(file, FileDevice.Options.DEFAULT.withReadOnly(true))) {
            dev.read(0, Buffers.allocateAligned(4096));
            IOException e = assertThrows(IOException.class, () -> dev.write(0, Buffers.allocateAligned(4096), false));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertThrows(IOException.class, () -> dev.discard(0, 4096));
        }
    }

    @Test
    void fuaWritesWorkInBothModesAndDiscardFreesSpace() throws IOException {
        for (FileDevice.FuaMode mode : FileDevice.FuaMode.values()) {
            Files.deleteIfExists(file);
            try (FileDevice dev = FileDevice.create(file, SIZE, FileDevice.Options.DEFAULT.withFuaMode(mode))) {
                dev.write(0, random(SIZE, 3), true);
                ByteBuffer back = Buffers.allocateAligned(SIZE);
                dev.read(0, back);
                assertEquals(random(SIZE, 3).clear(), back.clear(), mode.name());
                long before = allocatedBytes(file);
                dev.discard(0, SIZE);
                dev.flush();
                assertTrue(allocatedBytes(file) < before, "punching a hole frees blocks (" + mode + ")");
                dev.read(0, back.clear());
                assertEquals(Buffers.allocateAligned(SIZE), back.clear(), "discarded range reads zeros");
            }
        }
    }

    private static long allocatedBytes(Path p) throws IOException {
        Process proc = new ProcessBuilder("stat", "--format=%b", p.toString()).start();
        try {
            proc.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Long.parseLong(new String(proc.getInputStream().readAllBytes()).trim()) * 512;
    }

    @Test
    void concurrentPositionalIoFromManyThreads() throws Exception {
        int threads = 4;
        int perThread = SIZE / threads;
        try (FileDevice dev = FileDevice.create(file, SIZE)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> fs = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int base = t * perThread;
                    long seed = t;
                    fs.add(pool.submit(() -> {
                        ByteBuffer b = random(perThread, seed);
                        for (int off = 0; off < perThread; off += 65536) {
                            dev.write(base + off, b.clear().position(off).limit(off + 65536), false);
                        }
                        return null;
                    }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }
            for (int t = 0; t < threads; t++) {
                ByteBuffer back = Buffers.allocateAligned(perThread);
                dev.read((long) t * perThread, back);
                assertEquals(random(perThread, t).clear(), back.clear(), "thread " + t + "'s range");
            }
        }
    }

    @Test
    void rawBlockDeviceThroughALoopDevice() throws Exception {
        FileDevice.createSparse(file, SIZE);
        Process attach = new ProcessBuilder("losetup", "--find", "--show", file.toString())
                .redirectErrorStream(true).start();
        String loop = new String(attach.getInputStream().readAllBytes()).trim();
        boolean attached = attach.waitFor(20, TimeUnit.SECONDS) && attach.exitValue() == 0;
        Assumptions.assumeTrue(attached && loop.startsWith("/dev/loop"),
                "no loop device here (needs root and losetup): block device path not tested: " + loop);
        try (FileDevice dev = FileDevice.open(Path.of(loop))) {
            assertTrue(dev.isBlockDevice());
            assertEquals(SIZE, dev.size(), "BLKGETSIZE64");
            assertEquals(512, dev.alignment(), "BLKSSZGET of a loop device");
            dev.write(512, random(65536, 9), true);
            ByteBuffer back = Buffers.allocateAligned(65536);
            dev.read(512, back);
            assertEquals(random(65536, 9).clear(), back.clear());
            dev.writeZeroes(512, 4096);
            dev.read(512, back.clear().limit(4096));
            assertEquals(Buffers.allocateAligned(4096), back.flip(), "BLKZEROOUT range reads zeros");
            dev.discard(0, SIZE);
            dev.flush();
        } finally {
            new ProcessBuilder("losetup", "-d", loop).start().waitFor(20, TimeUnit.SECONDS);
        }
    }
}
