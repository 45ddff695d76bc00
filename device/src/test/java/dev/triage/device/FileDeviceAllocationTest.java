package dev.triage.device;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The O_DIRECT I/O path allocates (next to) nothing per request once warm. */
class FileDeviceAllocationTest {

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
    }

    @Test
    void warmReadsAndWritesAllocateNextToNothing() throws IOException {
        DeviceModelPropertyTest.assumeDirectIo();
        Path file = DeviceModelPropertyTest.freshFile();
        try (FileDevice dev = FileDevice.create(file, 1 << 20)) {
            ByteBuffer buf = Buffers.allocateAligned(4096);
            int n = 20_000;
            for (int round = 0; round < 3; round++) { // the first rounds warm up (measured: 0 bytes from round 1)
                long before = allocated();
                for (int i = 0; i < n; i++) {
                    long off = (long) (i % 256) * 4096;
                    if ((i & 1) == 0) {
                        dev.write(off, buf.clear(), false);
                    } else {
                        dev.read(off, buf.clear());
                    }
                }
                long perOp = (allocated() - before) / n;
                if (round == 2) {
                    System.err.println("FileDevice: " + perOp + " bytes allocated per warm 4 KiB request");
                    assertTrue(perOp < 16, perOp + " bytes allocated per request");
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
