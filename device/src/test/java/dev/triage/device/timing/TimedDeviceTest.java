package dev.triage.device.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.DeviceOp;
import dev.triage.device.MemoryDevice;
import dev.triage.device.fault.FaultyDevice;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class TimedDeviceTest {

    @Test
    void accumulatesVirtualTimePerOpAndPassesDataThrough() throws IOException {
        try (TimedDevice dev = TimedDevice.ssd(new MemoryDevice(1 << 20))) {
            dev.write(0, ByteBuffer.wrap(new byte[4096]).put(0, (byte) 7), false);
            ByteBuffer b = ByteBuffer.allocate(4096);
            dev.read(0, b);
            assertEquals(7, b.get(0));
            dev.write(4096, ByteBuffer.allocate(4096), true);
            assertEquals(2, dev.count(DeviceOp.WRITE));
            assertEquals(1, dev.count(DeviceOp.FLUSH), "a FUA write is charged a flush");
            assertEquals(80_000, dev.serviceNanos(DeviceOp.READ));
            assertEquals(20_000 + 80_000 + 20_000 + 100_000, dev.elapsedNanos());
            assertEquals(1, dev.histogram(DeviceOp.READ).getTotalCount());
            dev.advance(1_000);
            assertEquals(221_000, dev.elapsedNanos());
        }
    }

    @Test
    void failedOperationsAreNotCharged() throws IOException {
        FaultyDevice faulty = new FaultyDevice(1 << 20);
        try (TimedDevice dev = TimedDevice.disk(faulty)) {
            faulty.failNext(DeviceOp.READ, 1);
            assertThrows(IOException.class, () -> dev.read(0, ByteBuffer.allocate(512)));
            assertEquals(0, dev.elapsedNanos());
            assertEquals(0, dev.count(DeviceOp.READ));
            dev.read(0, ByteBuffer.allocate(512));
            assertTrue(dev.elapsedNanos() > 0);
        }
    }

    @Test
    void sequentialIsFasterThanRandomOnTheDisk() throws IOException {
        long size = 1L << 30;
        long seqTime;
        long randTime;
        try (TimedDevice dev = new TimedDevice(new MemoryDevice(size), DiskModel.ofCapacity(size))) {
            ByteBuffer b = ByteBuffer.allocate(65536);
            for (int i = 0; i < 256; i++) {
                dev.read((long) i * 65536, b.clear());
            }
            seqTime = dev.elapsedNanos();
        }
        try (TimedDevice dev = new TimedDevice(new MemoryDevice(size), DiskModel.ofCapacity(size))) {
            ByteBuffer b = ByteBuffer.allocate(65536);
            java.util.Random r = new java.util.Random(5);
            for (int i = 0; i < 256; i++) {
                dev.read(r.nextLong(size / 65536) * 65536, b.clear());
            }
            randTime = dev.elapsedNanos();
        }
        assertTrue(seqTime * 10 < randTime, "sequential " + seqTime + " ns vs random " + randTime + " ns");
    }
}
