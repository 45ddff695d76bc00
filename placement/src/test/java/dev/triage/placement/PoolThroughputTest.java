package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.device.Buffers;
import dev.triage.device.FileDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the pool's sequential throughput next to the raw device's, on an O_DIRECT file
 * (32 MiB, 1 MiB requests). A measurement, not a timing assertion: it checks only the data.
 */
class PoolThroughputTest {
    static final int MIB = 1 << 20;
    static final int TOTAL = 32 * MIB;

    @TempDir
    Path dir;

    private static double mbps(long bytes, long nanos) {
        return bytes / (double) MIB / (nanos / 1e9);
    }

    @Test
    void sequentialThroughputAgainstTheRawDevice() throws IOException {
        assumeTrue(FileDevice.supportsDirectIo(dir), "no O_DIRECT in " + dir);
        ByteBuffer buf = Buffers.allocateAligned(MIB);
        for (int i = 0; i < MIB; i++) {
            buf.put(i, (byte) (i * 31 + 7));
        }
        long t;
        // warm the JIT up on the pool's write, allocation and read paths first
        for (int round = 0; round < 3; round++) {
            try (dev.triage.device.MemoryDevice mem = new dev.triage.device.MemoryDevice(TOTAL + 16L * MIB)) {
                Pool pool = Pool.create(mem, PoolOptions.defaults(), null);
                Volume v = pool.createVolume("warm", TOTAL);
                for (int pass = 0; pass < 2; pass++) {
                    for (long off = 0; off < TOTAL; off += MIB) {
                        v.write(off, buf.clear(), false);
                    }
                }
                for (long off = 0; off < TOTAL; off += MIB) {
                    v.read(off, buf.clear());
                }
                pool.close();
            }
        }
        for (int i = 0; i < MIB; i++) {
            buf.put(i, (byte) (i * 31 + 7));
        }
        try (FileDevice raw = FileDevice.create(dir.resolve("raw"), TOTAL + 16L * MIB)) {
            t = System.nanoTime();
            for (long off = 0; off < TOTAL; off += MIB) {
                raw.write(off, buf.clear(), false);
            }
            raw.flush();
            long rawWrite = System.nanoTime() - t;
            t = System.nanoTime();
            for (long off = 0; off < TOTAL; off += MIB) {
                raw.read(off, buf.clear());
            }
            long rawRead = System.nanoTime() - t;
            System.out.printf("[throughput] raw O_DIRECT file: write %.0f MiB/s, read %.0f MiB/s%n",
                    mbps(TOTAL, rawWrite), mbps(TOTAL, rawRead));
        }
        Files.delete(dir.resolve("raw"));
        try (FileDevice raw = FileDevice.create(dir.resolve("raw128"), TOTAL + 16L * MIB)) {
            t = System.nanoTime();
            for (long off = 0; off < TOTAL; off += 128 * 1024) {
                raw.write(off, buf.clear().limit(128 * 1024), false);
            }
            raw.flush();
            System.out.printf("[throughput] raw O_DIRECT file, fresh, 128 KiB writes: %.0f MiB/s%n",
                    mbps(TOTAL, System.nanoTime() - t));
        }
        Files.delete(dir.resolve("raw128"));
        try (FileDevice raw = FileDevice.create(dir.resolve("rawend"), TOTAL + 16L * MIB)) {
            raw.write(TOTAL + 16L * MIB - 4096, buf.clear().limit(4096), false);
            raw.flush();
            t = System.nanoTime();
            for (long off = 512 * 1024; off < TOTAL; off += 128 * 1024) {
                raw.write(off, buf.clear().limit(128 * 1024), false);
            }
            raw.flush();
            System.out.printf("[throughput] raw O_DIRECT file, fresh, last block written first, 128 KiB writes: %.0f MiB/s%n",
                    mbps(TOTAL, System.nanoTime() - t));
        }
        Files.delete(dir.resolve("rawend"));
        try (FileDevice dev = FileDevice.create(dir.resolve("pool"), TOTAL + 16L * MIB)) {
            Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
            Volume v = pool.createVolume("v", TOTAL);
            t = System.nanoTime();
            for (long off = 0; off < TOTAL; off += MIB) {
                v.write(off, buf.clear(), false);
            }
            v.flush();
            long first = System.nanoTime() - t;
            t = System.nanoTime();
            for (long off = 0; off < TOTAL; off += MIB) {
                v.write(off, buf.clear(), false);
            }
            v.flush();
            long over = System.nanoTime() - t;
            t = System.nanoTime();
            ByteBuffer in = Buffers.allocateAligned(MIB);
            for (long off = 0; off < TOTAL; off += MIB) {
                v.read(off, in.clear());
            }
            long read = System.nanoTime() - t;
            System.out.printf("[throughput] pool volume: first write %.0f MiB/s, overwrite %.0f MiB/s, read %.0f MiB/s%n",
                    mbps(TOTAL, first), mbps(TOTAL, over), mbps(TOTAL, read));
            byte[] a = new byte[MIB];
            byte[] b = new byte[MIB];
            buf.clear().get(a);
            in.clear().get(b);
            assertArrayEquals(a, b);
            pool.close();
        }
        try (dev.triage.device.MemoryDevice mem = new dev.triage.device.MemoryDevice(TOTAL + 16L * MIB)) {
            Pool pool = Pool.create(mem, PoolOptions.defaults(), null);
            Volume v = pool.createVolume("v", TOTAL);
            t = System.nanoTime();
            for (long off = 0; off < TOTAL; off += MIB) {
                v.write(off, buf.clear(), false);
            }
            v.flush();
            long first = System.nanoTime() - t;
            System.out.printf("[throughput] pool on memory: first write %.0f MiB/s%n", mbps(TOTAL, first));
        }
    }
}
