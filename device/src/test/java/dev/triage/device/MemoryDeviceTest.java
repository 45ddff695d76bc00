package dev.triage.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryDeviceTest {

    @Test
    void allocatesChunksOnFirstWriteAndFreesWholeChunksOnDiscard() throws IOException {
        try (MemoryDevice dev = new MemoryDevice(1L << 40)) {
            assertEquals(0, dev.allocatedBytes(), "a 1 TiB device holds no memory until written");
            ByteBuffer zeros = ByteBuffer.allocate(4096);
            dev.read((1L << 40) - 4096, zeros);
            assertEquals(ByteBuffer.allocate(4096), zeros.flip(), "unwritten reads zeros");
            dev.write(3 * MemoryDevice.CHUNK - 512, ByteBuffer.allocate(1024).put(0, (byte) 1), false);
            assertEquals(2L * MemoryDevice.CHUNK, dev.allocatedBytes(), "a write across a boundary takes two chunks");
            dev.discard(3L * MemoryDevice.CHUNK, MemoryDevice.CHUNK);
            assertEquals(MemoryDevice.CHUNK, dev.allocatedBytes(), "a whole discarded chunk is dropped");
            dev.writeZeroes(2L * MemoryDevice.CHUNK, 512);
            assertEquals(MemoryDevice.CHUNK, dev.allocatedBytes(), "a partial zeroing keeps the chunk");
        }
    }

    @Test
    void concurrentWritersOnDisjointRanges() throws Exception {
        int threads = 4;
        int per = 2 * MemoryDevice.CHUNK;
        try (MemoryDevice dev = new MemoryDevice((long) threads * per)) {
            List<Thread> ts = new ArrayList<>();
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(4096);
                    for (int i = 0; i < 4096; i++) {
                        b.put(i, (byte) (id + 1));
                    }
                    try {
                        for (int off = 0; off < per; off += 4096) {
                            dev.write((long) id * per + off, b.clear(), false);
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            assertTrue(errors.isEmpty(), errors.toString());
            for (int t = 0; t < threads; t++) {
                ByteBuffer b = ByteBuffer.allocate(per);
                dev.read((long) t * per, b);
                for (int i = 0; i < per; i++) {
                    if (b.get(i) != (byte) (t + 1)) {
                        throw new AssertionError("thread " + t + " byte " + i + " is " + b.get(i));
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadSizesAndClosedUse() throws IOException {
        var e = assertThrows(IllegalArgumentException.class, () -> new MemoryDevice(1000));
        assertTrue(e.getMessage().contains("size 1000"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new MemoryDevice(4096, 3000));
        assertTrue(e2.getMessage().contains("alignment 3000"), e2.getMessage());
        MemoryDevice dev = new MemoryDevice(4096);
        dev.close();
        IOException e3 = assertThrows(IOException.class, () -> dev.read(0, ByteBuffer.allocate(512)));
        assertTrue(e3.getMessage().contains("closed"), e3.getMessage());
    }
}
