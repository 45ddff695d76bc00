package dev.triage.placement;

import static dev.triage.placement.PoolTest.random;
import static dev.triage.placement.PoolTest.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** EIO from the device reaches the caller as an error, and nothing else is lost. */
class DeviceErrorTest {
    static final int B = 4096;
    TestDevice dev;
    Pool pool;
    Volume a;
    Volume b;
    byte[] aData;

    @BeforeEach
    void setUp() throws IOException {
        dev = new TestDevice(4 << 20);
        pool = Pool.create(dev, PoolOptions.defaults(), null);
        a = pool.createVolume("a", 256 * 1024);
        b = pool.createVolume("b", 256 * 1024);
        aData = random(11, 64 * 1024);
        a.write(0, ByteBuffer.wrap(aData), true);
    }

    private void failWrites(double rate) {
        dev.faults = new Random(1);
        dev.writeErrorRate = rate;
    }

    @Test
    void failedWriteOfNewBlocksLeavesTheOldMappingAndFreesTheBlock() throws IOException {
        long freeBefore = pool.stats().zones().get(0).free();
        failWrites(1.0);
        IOException e = assertThrows(IOException.class, () -> b.write(0, ByteBuffer.wrap(random(12, 3 * B)), false));
        assertFalse(e instanceof PoolException, "the device's own error reaches the caller");
        failWrites(0);
        assertEquals(0, b.mappedBlocks());
        assertArrayEquals(new byte[3 * B], read(b, 0, 3 * B));
        assertEquals(freeBefore, pool.stats().zones().get(0).free());
        assertArrayEquals(aData, read(a, 0, aData.length));
        b.write(0, ByteBuffer.wrap(random(13, 3 * B)), true);
        assertArrayEquals(random(13, 3 * B), read(b, 0, 3 * B));
        pool.close();
        assertTrue(PoolChecker.check(dev).clean());
    }

    @Test
    void errorInTheMiddleOfAMultiBlockWriteKeepsWhatWasWritten() throws IOException {
        // block 2 is mapped already, so the write below is three device writes: blocks 0-1
        // (fresh, contiguous), block 2 (in place), block 3 (fresh); the second one fails
        byte[] old2 = random(17, B);
        b.write(2 * B, ByteBuffer.wrap(old2), false);
        dev.faults = new Random(2) {
            private static final long serialVersionUID = 1L;
            int n;

            @Override
            public double nextDouble() {
                return ++n == 2 ? 0 : 1;
            }
        };
        dev.writeErrorRate = 0.5;
        byte[] data = random(14, 4 * B);
        assertThrows(IOException.class, () -> b.write(0, ByteBuffer.wrap(data), false));
        dev.writeErrorRate = 0;
        byte[] got = read(b, 0, 4 * B);
        assertArrayEquals(java.util.Arrays.copyOf(data, 2 * B), java.util.Arrays.copyOf(got, 2 * B));
        assertArrayEquals(old2, java.util.Arrays.copyOfRange(got, 2 * B, 3 * B));
        assertArrayEquals(new byte[B], java.util.Arrays.copyOfRange(got, 3 * B, 4 * B));
        assertEquals(3, b.mappedBlocks());
        b.flush();
        pool.close();
        assertTrue(PoolChecker.check(dev).clean());
    }

    @Test
    void readErrorsReachTheCallerAndPass() throws IOException {
        dev.faults = new Random(3);
        dev.readErrorRate = 1.0;
        assertThrows(IOException.class, () -> read(a, 0, B));
        // unmapped blocks never touch the device
        assertArrayEquals(new byte[B], read(b, 0, B));
        dev.readErrorRate = 0;
        assertArrayEquals(aData, read(a, 0, aData.length));
    }

    @Test
    void failedFlushIsReportedAndTheNextOneMakesEverythingDurable() throws IOException {
        byte[] more = random(15, 8 * B);
        b.write(B, ByteBuffer.wrap(more), false);
        dev.faults = new Random(4);
        dev.flushErrorRate = 1.0;
        assertThrows(IOException.class, b::flush);
        assertThrows(IOException.class, () -> b.write(0, ByteBuffer.wrap(new byte[10]), true));
        dev.flushErrorRate = 0;
        b.flush();
        TestDevice crashed = dev.crashImage(new Random(5));
        Pool p2 = Pool.open(crashed, null);
        assertArrayEquals(more, read(p2.volume("b"), B, more.length));
        assertArrayEquals(aData, read(p2.volume("a"), 0, aData.length));
        assertTrue(PoolChecker.check(crashed).clean());
    }

    @Test
    void failedMetadataWritesFailTheCommitAndARetrySucceeds() throws IOException {
        byte[] more = random(16, 5 * B);
        b.write(0, ByteBuffer.wrap(more), false);
        dev.faults = new Random(6);
        dev.writeErrorRate = 1.0;
        dev.writeErrorFrom = 0;
        dev.writeErrorTo = 66L * B; // superblock slots and the metadata area
        for (int i = 0; i < 3; i++) {
            assertThrows(IOException.class, pool::commit);
        }
        assertThrows(IOException.class, () -> pool.createVolume("c", B));
        dev.writeErrorRate = 0;
        pool.commit();
        TestDevice crashed = dev.crashImage(new Random(7));
        Pool p2 = Pool.open(crashed, null);
        assertArrayEquals(more, read(p2.volume("b"), 0, more.length));
        assertArrayEquals(aData, read(p2.volume("a"), 0, aData.length));
        assertTrue(p2.volume("c") != null);
        assertTrue(PoolChecker.check(crashed).clean(), PoolChecker.check(crashed).format());
        PoolStats.ZoneStats z = p2.stats().zones().get(0);
        assertEquals(z.total(), z.mapped() + z.free());
    }

    @Test
    void poolErrorsAreTyped() throws IOException {
        PoolException e = assertThrows(PoolException.class, () -> pool.resizeVolume("nope", B));
        assertEquals(PoolException.Kind.NAME, e.kind());
        pool.close();
        assertInstanceOf(PoolException.class, assertThrows(IOException.class, () -> read(a, 0, 1)));
    }
}
