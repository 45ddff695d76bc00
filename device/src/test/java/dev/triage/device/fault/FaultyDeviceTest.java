package dev.triage.device.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.DeviceOp;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FaultyDeviceTest {

    private static final int SIZE = 64 * 1024;

    private static byte[] filled(int len, int value) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] read(FaultyDevice dev, long offset, int len) throws IOException {
        byte[] b = new byte[len];
        dev.read(offset, ByteBuffer.wrap(b));
        return b;
    }

    private static byte[] readDurable(FaultyDevice dev, long offset, int len) throws IOException {
        byte[] b = new byte[len];
        dev.readDurable(offset, ByteBuffer.wrap(b));
        return b;
    }

    @Test
    void flushMakesWritesDurableAndFuaIsDurableAtOnce() throws IOException {
        try (FaultyDevice dev = new FaultyDevice(SIZE)) {
            dev.write(0, ByteBuffer.wrap(filled(4096, 1)), false);
            assertArrayEquals(filled(4096, 0), readDurable(dev, 0, 4096), "not durable before a flush");
            dev.flush();
            assertArrayEquals(filled(4096, 1), readDurable(dev, 0, 4096));
            dev.write(8192, ByteBuffer.wrap(filled(1024, 2)), true);
            assertArrayEquals(filled(1024, 2), readDurable(dev, 8192, 1024), "FUA is durable on return");
            dev.write(0, ByteBuffer.wrap(filled(4096, 3)), false);
            CrashReport r = dev.crashLosingAll();
            assertEquals(new CrashReport(0, 1, 0, 1), r);
            assertArrayEquals(filled(4096, 1), read(dev, 0, 4096), "the unflushed write is gone");
            assertArrayEquals(filled(1024, 2), read(dev, 8192, 1024), "the FUA write stays");
        }
    }

    @Test
    void anOlderUnflushedWriteNeverOverwritesALaterFuaWrite() throws IOException {
        try (FaultyDevice dev = new FaultyDevice(SIZE)) {
            dev.write(0, ByteBuffer.wrap(filled(2048, 5)), false);
            dev.write(0, ByteBuffer.wrap(filled(2048, 6)), true);
            dev.crashKeepingAll();
            assertArrayEquals(filled(2048, 6), read(dev, 0, 2048));
            dev.write(0, ByteBuffer.wrap(filled(2048, 7)), false);
            dev.write(0, ByteBuffer.wrap(filled(2048, 8)), true);
            dev.flush();
            assertArrayEquals(filled(2048, 8), readDurable(dev, 0, 2048), "flush replays in issue order");
        }
    }

    @Test
    void crashesDropKeepAndTearAtAtomicUnits() throws IOException {
        boolean sawDrop = false;
        boolean sawKeep = false;
        boolean sawTear = false;
        for (long seed = 0; seed < 60; seed++) {
            try (FaultyDevice dev = new FaultyDevice(SIZE)) {
                dev.write(0, ByteBuffer.wrap(filled(8 * 512, 9)), false);
                CrashReport r = dev.crash(seed);
                byte[] img = read(dev, 0, 8 * 512);
                int kept = 0;
                for (int u = 0; u < 8; u++) {
                    byte[] unit = Arrays.copyOfRange(img, u * 512, (u + 1) * 512);
                    boolean old = Arrays.equals(unit, filled(512, 0));
                    boolean neu = Arrays.equals(unit, filled(512, 9));
                    assertTrue(old || neu, "a unit is old or new, never mixed within itself");
                    kept += neu ? 1 : 0;
                }
                sawDrop |= r.dropped() == 1 && kept == 0;
                sawKeep |= r.kept() == 1 && kept == 8;
                sawTear |= r.torn() == 1 && kept > 0 && kept < 8;
                assertEquals(1, r.unflushed());
            }
        }
        assertTrue(sawDrop && sawKeep && sawTear, "drop " + sawDrop + ", keep " + sawKeep + ", tear " + sawTear);
    }

    @Test
    void crashIsDeterministicPerSeed() throws IOException {
        byte[][] images = new byte[2][];
        for (int round = 0; round < 2; round++) {
            try (FaultyDevice dev = new FaultyDevice(SIZE)) {
                for (int i = 0; i < 20; i++) {
                    dev.write(i * 2048L, ByteBuffer.wrap(filled(4096, i + 1)), false);
                }
                dev.crash(42);
                images[round] = read(dev, 0, SIZE);
            }
        }
        assertArrayEquals(images[0], images[1]);
    }

    @Test
    void injectedWriteErrorReachesTheCallerAndChangesNothing() throws IOException {
        try (FaultyDevice dev = new FaultyDevice(SIZE)) {
            dev.write(0, ByteBuffer.wrap(filled(8192, 1)), false);
            dev.flush();
            dev.failWritesAt(4096, 512);
            ByteBuffer src = ByteBuffer.wrap(filled(8192, 2));
            IOException e = assertThrows(IOException.class, () -> dev.write(0, src, false));
            assertTrue(e.getMessage().startsWith("EIO"), e.getMessage());
            assertTrue(e.getMessage().contains("offset 0"), e.getMessage());
            assertEquals(0, src.position(), "a failed write consumes nothing");
            assertArrayEquals(filled(8192, 1), read(dev, 0, 8192), "live image unchanged");
            assertArrayEquals(filled(8192, 1), readDurable(dev, 0, 8192), "durable image unchanged");
            assertThrows(IOException.class, () -> dev.discard(4096, 4096));
            assertThrows(IOException.class, () -> dev.writeZeroes(0, SIZE));
            assertArrayEquals(filled(8192, 1), read(dev, 0, 8192));
            dev.write(8192, ByteBuffer.wrap(filled(512, 3)), false);
            assertArrayEquals(filled(512, 3), read(dev, 8192, 512), "writes elsewhere still work");
            assertEquals(3, dev.injected(DeviceOp.WRITE) + dev.injected(DeviceOp.DISCARD)
                    + dev.injected(DeviceOp.WRITE_ZEROES));
            assertEquals(0, dev.unflushed() - 1, "only the good write is pending");
        }
    }

    @Test
    void injectedReadErrorLeavesTheBufferAlone() throws IOException {
        try (FaultyDevice dev = new FaultyDevice(SIZE)) {
            dev.write(0, ByteBuffer.wrap(filled(4096, 4)), false);
            dev.failReadsAt(1024, 1);
            ByteBuffer dst = ByteBuffer.wrap(filled(4096, 0x55));
            IOException e = assertThrows(IOException.class, () -> dev.read(0, dst));
            assertTrue(e.getMessage().startsWith("EIO"), e.getMessage());
            assertEquals(0, dst.position());
            assertArrayEquals(filled(4096, 0x55), dst.array());
            assertArrayEquals(filled(512, 4), read(dev, 0, 512), "a read outside the range works");
            assertThrows(IOException.class, () -> read(dev, 1024, 512), "the fault stays armed");
            assertEquals(2, dev.injected(DeviceOp.READ));
            dev.clearFaults();
            assertArrayEquals(filled(4096, 4), read(dev, 0, 4096), "the data was never lost");
            assertEquals(2, dev.injectedTotal());
        }
    }

    @Test
    void failNextCountsDownAndAFailedFlushMakesNothingDurable() throws IOException {
        try (FaultyDevice dev = new FaultyDevice(SIZE)) {
            dev.failNext(DeviceOp.WRITE, 2);
            assertThrows(IOException.class, () -> dev.write(0, ByteBuffer.wrap(filled(512, 1)), false));
            assertThrows(IOException.class, () -> dev.write(0, ByteBuffer.wrap(filled(512, 1)), true));
            dev.write(0, ByteBuffer.wrap(filled(512, 1)), false);
            dev.failNext(DeviceOp.FLUSH, 1);
            IOException e = assertThrows(IOException.class, dev::flush);
            assertTrue(e.getMessage().startsWith("EIO (injected) on flush"), e.getMessage());
            assertArrayEquals(filled(512, 0), readDurable(dev, 0, 512), "the failed flush made nothing durable");
            dev.flush();
            assertArrayEquals(filled(512, 1), readDurable(dev, 0, 512));
            assertEquals(2, dev.injected(DeviceOp.WRITE));
            assertEquals(1, dev.injected(DeviceOp.FLUSH));
        }
    }

    @Test
    void badArgumentsNameTheField() {
        try (FaultyDevice dev = new FaultyDevice(SIZE)) {
            var e = assertThrows(IllegalArgumentException.class, () -> dev.read(100, ByteBuffer.allocate(512)));
            assertTrue(e.getMessage().contains("offset 100"), e.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class, () -> dev.failReadsAt(0, 0));
            assertTrue(e2.getMessage().contains("length 0"), e2.getMessage());
            var e3 = assertThrows(IllegalArgumentException.class, () -> new FaultyDevice(SIZE, 512, 1024));
            assertTrue(e3.getMessage().contains("atomicUnit 1024"), e3.getMessage());
        }
    }
}
