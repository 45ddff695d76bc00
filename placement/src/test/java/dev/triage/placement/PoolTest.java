package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoolTest {
    static final int MIB = 1 << 20;

    static byte[] random(long seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static byte[] read(Volume v, long off, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        v.read(off, b);
        return b.array();
    }

    @Test
    void writesReadBackAcrossReopen() throws IOException {
        TestDevice dev = new TestDevice(8 * MIB);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        Volume v = pool.createVolume("a", MIB);
        byte[] data = random(1, 10_000);
        v.write(1234, ByteBuffer.wrap(data), false);
        assertArrayEquals(data, read(v, 1234, data.length));
        assertArrayEquals(new byte[1234], read(v, 0, 1234));
        v.flush();
        pool.close();

        Pool again = Pool.open(dev, null);
        Volume w = again.volume("a");
        assertNotNull(w);
        assertEquals(MIB, w.size());
        assertArrayEquals(data, read(w, 1234, data.length));
        assertTrue(PoolChecker.check(dev).clean(), () -> {
            try {
                return PoolChecker.check(dev).format();
            } catch (IOException e) {
                return e.toString();
            }
        });
    }

    @Test
    void unflushedWritesAreNotDurableButFlushedAre() throws IOException {
        TestDevice dev = new TestDevice(8 * MIB);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        Volume v = pool.createVolume("a", MIB);
        byte[] one = random(1, 8192);
        v.write(0, ByteBuffer.wrap(one), false);
        v.flush();
        v.write(65536, ByteBuffer.wrap(random(2, 4096)), false);
        TestDevice after = dev.crashImage(new Random(3));
        Pool p2 = Pool.open(after, null);
        Volume w = p2.volume("a");
        assertArrayEquals(one, read(w, 0, 8192));
        byte[] maybe = read(w, 65536, 4096);
        assertTrue(java.util.Arrays.equals(maybe, new byte[4096]) || java.util.Arrays.equals(maybe, random(2, 4096)));
        assertTrue(PoolChecker.check(after).clean(), PoolChecker.check(after).format());
    }

    @Test
    void isolationDeletedVolumesDataNeverShowsInANewVolume() throws IOException {
        TestDevice dev = new TestDevice(2 * MIB);
        Pool pool = Pool.create(dev, PoolOptions.defaults().withMetaBlocks(64), null);
        pool.discardFreedBlocks(false); // keep a's old data physically on the device
        long cap = pool.stats().zones().get(0).total() * 4096;
        Volume a = pool.createVolume("a", cap);
        byte[] full = new byte[(int) cap];
        java.util.Arrays.fill(full, (byte) 0x5a);
        a.write(0, ByteBuffer.wrap(full), false);
        a.flush();
        pool.deleteVolume("a");
        assertThrows(PoolException.class, () -> read(a, 0, 4096));
        Volume b = pool.createVolume("b", cap);
        assertArrayEquals(new byte[(int) cap], read(b, 0, (int) cap));
        // partial writes into reused blocks: the rest of each block reads as zeros
        for (long off = 100; off < cap; off += 4096 * 7 + 3) {
            b.write(off, ByteBuffer.wrap(new byte[] {1, 2, 3}), false);
        }
        byte[] got = read(b, 0, (int) cap);
        for (int i = 0; i < got.length; i++) {
            assertTrue(got[i] != 0x5a, "byte " + i + " of b shows a's data");
        }
        long stale = 0;
        for (byte x : dev.liveBytes()) {
            stale += x == 0x5a ? 1 : 0;
        }
        assertTrue(stale > cap / 2, "a's data is still on the device, so the test means something");
        pool.close();
    }

    @Test
    void boundsAreCheckedAgainstTheVolume() throws IOException {
        Pool pool = Pool.create(new TestDevice(4 * MIB), PoolOptions.defaults(), null);
        Volume v = pool.createVolume("a", 64 * 1024);
        PoolException e = assertThrows(PoolException.class, () -> v.write(65536 - 10, ByteBuffer.allocate(11), false));
        assertEquals(PoolException.Kind.INVALID, e.kind());
        assertThrows(PoolException.class, () -> v.read(-1, ByteBuffer.allocate(1)));
        assertThrows(PoolException.class, () -> v.discard(0, 65537));
        assertThrows(PoolException.class, () -> v.read(Long.MAX_VALUE, ByteBuffer.allocate(1)));
        v.write(65536 - 10, ByteBuffer.allocate(10), false);
    }

    @Test
    void discardAndWriteZeroesReadAsZerosAndFreeSpace() throws IOException {
        TestDevice dev = new TestDevice(4 * MIB);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        Volume v = pool.createVolume("a", MIB);
        v.write(0, ByteBuffer.wrap(random(5, 64 * 1024)), false);
        assertEquals(16, v.mappedBlocks());
        long freedPhys = Volume.physOf(v.mapping(2));
        v.discard(4096 + 100, 3 * 4096);
        assertEquals(14, v.mappedBlocks());
        assertArrayEquals(new byte[4096], read(v, 8192, 4096));
        v.writeZeroes(100, 200, false);
        byte[] head = read(v, 0, 4096);
        byte[] orig = random(5, 4096);
        for (int i = 0; i < 4096; i++) {
            assertEquals(i >= 100 && i < 300 ? 0 : orig[i], head[i]);
        }
        PoolStats s = pool.stats();
        PoolStats.ZoneStats z = s.zones().get(0);
        assertEquals(14, z.mapped());
        assertEquals(2, z.pendingFree());
        assertEquals(z.total(), z.mapped() + z.pendingFree() + z.free());
        assertTrue(dev.liveBytes()[(int) (freedPhys * 4096) + 5] != 0 || random(5, 64 * 1024)[2 * 4096 + 5] == 0,
                "not discarded before the commit");
        v.flush();
        z = pool.stats().zones().get(0);
        assertEquals(0, z.pendingFree());
        assertArrayEquals(new byte[4096], java.util.Arrays.copyOfRange(dev.liveBytes(), (int) (freedPhys * 4096),
                (int) (freedPhys * 4096) + 4096), "discarded on the device once the commit is durable");
        assertEquals(z.total(), z.mapped() + z.free());
    }

    @Test
    void resizeShrinksUnmapsAndGrowsWithZeros() throws IOException {
        TestDevice dev = new TestDevice(8 * MIB);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        Volume v = pool.createVolume("a", MIB);
        v.write(0, ByteBuffer.wrap(random(7, MIB)), false);
        pool.resizeVolume("a", MIB / 2);
        assertEquals(128, v.mappedBlocks());
        assertThrows(PoolException.class, () -> read(v, MIB / 2, 1));
        pool.resizeVolume("a", 4L * 1024 * 1024 * 1024);
        assertArrayEquals(new byte[4096], read(v, MIB / 2, 4096));
        v.write(3L * 1024 * 1024 * 1024, ByteBuffer.wrap(random(8, 4096)), true);
        pool.close();
        Pool p2 = Pool.open(dev, null);
        Volume w = p2.volume("a");
        assertEquals(4L * 1024 * 1024 * 1024, w.size());
        assertArrayEquals(random(8, 4096), read(w, 3L * 1024 * 1024 * 1024, 4096));
        byte[] first = random(7, MIB);
        assertArrayEquals(java.util.Arrays.copyOf(first, MIB / 2), read(w, 0, MIB / 2));
        assertTrue(PoolChecker.check(dev).clean(), PoolChecker.check(dev).format());
    }

    @Test
    void volumesAreListedAndNamesChecked() throws IOException {
        Pool pool = Pool.create(new TestDevice(4 * MIB), PoolOptions.defaults(), null);
        pool.createVolume("a", 4096);
        pool.createVolume("b", 8192);
        assertEquals(List.of("a", "b"), pool.list().stream().map(Volume::name).toList());
        assertThrows(PoolException.class, () -> pool.createVolume("a", 4096));
        assertThrows(PoolException.class, () -> pool.createVolume("x y", 4096));
        assertThrows(PoolException.class, () -> pool.createVolume("c", 100));
        pool.deleteVolume("a");
        assertNull(pool.volume("a"));
        assertThrows(PoolException.class, () -> pool.deleteVolume("a"));
    }
}
