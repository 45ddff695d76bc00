package dev.triage.server.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triage.device.Buffers;
import dev.triage.device.MemoryDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adapter over {@link dev.triage.device.BlockDevice}, on a {@link MemoryDevice}. */
class BlockDeviceBackendTest {
    @Test
    void readsWritesZeroesAndReportsStatus() throws IOException {
        try (BlockDeviceBackend be = new BlockDeviceBackend(new MemoryDevice(1 << 20, 4096), false, c -> c + 10)) {
            assertEquals(4096, be.minBlock());
            assertEquals(1 << 20, be.size());
            ByteBuffer w = Buffers.allocateAligned(8192);
            for (int i = 0; i < 8192; i++) {
                w.put((byte) i);
            }
            w.flip();
            be.write(4096, w, true, 3);
            be.writeZeroes(8192, 4096, true, false, ExportBackend.NO_CLASS);
            ByteBuffer r = Buffers.allocateAligned(8192);
            be.read(4096, r, ExportBackend.NO_CLASS);
            byte[] got = new byte[8192];
            r.flip().get(got);
            byte[] expect = new byte[8192];
            for (int i = 0; i < 4096; i++) {
                expect[i] = (byte) i;
            }
            assertArrayEquals(expect, got);
            List<long[]> ext = new ArrayList<>();
            be.blockStatus(0, 16384, MetaContext.TRIAGE_CLASS, (l, f) -> ext.add(new long[] {l, f}));
            assertEquals(3, ext.size());
            assertArrayEquals(new long[] {4096, 0}, ext.get(0));
            assertArrayEquals(new long[] {8192, ClassStatus.encode(3, 13)}, ext.get(1));
            List<long[]> alloc = new ArrayList<>();
            be.blockStatus(0, 16384, MetaContext.BASE_ALLOCATION, (l, f) -> alloc.add(new long[] {l, f}));
            assertArrayEquals(new long[] {4096, ExtentMap.ZERO}, alloc.get(1));
        }
    }
}
