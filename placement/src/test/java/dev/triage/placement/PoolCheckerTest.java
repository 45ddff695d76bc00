package dev.triage.placement;

import static dev.triage.placement.PoolTest.random;
import static dev.triage.placement.PoolTest.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Corrupts metadata on purpose and sees the checker report it (and repair what is safe). */
class PoolCheckerTest {
    static final int B = 4096;
    TestDevice dev;
    byte[] aData;
    byte[] bData;

    @BeforeEach
    void setUp() throws IOException {
        dev = new TestDevice(4 << 20);
        Pool pool = Pool.create(dev, PoolOptions.defaults(), null);
        Volume a = pool.createVolume("a", 4 << 20);
        Volume b = pool.createVolume("b", 1 << 20);
        aData = random(21, 40 * B);
        bData = random(22, 10 * B);
        a.write(0, ByteBuffer.wrap(aData), false);
        a.write(3L << 20, ByteBuffer.wrap(bData), false);
        b.write(0, ByteBuffer.wrap(bData), false);
        pool.close();
    }

    /** Addresses of metadata pages of a type reachable or not (scan of the metadata area). */
    List<Long> pagesOfType(int type, int volume) throws IOException {
        Pool p = Pool.open(dev, null);
        List<Long> out = new ArrayList<>();
        ByteBuffer all = ByteBuffer.wrap(dev.liveBytes()).order(ByteOrder.LITTLE_ENDIAN);
        long metaEnd = 2 + p.stats().metadataPages();
        for (long addr = 2; addr < metaEnd; addr++) {
            int o = (int) (addr * B);
            if (all.getInt(o + PoolFormat.H_MAGIC) == PoolFormat.PAGE_MAGIC && all.getShort(o + PoolFormat.H_TYPE) == type
                    && (volume < 0 || all.getInt(o + PoolFormat.H_VOLUME) == volume)) {
                out.add(addr);
            }
        }
        // keep only the reachable ones: the newest generation per (volume, level, first)
        return out.stream().filter(a -> reachable(a)).toList();
    }

    private boolean reachable(long addr) {
        // a page is reachable when corrupting it makes the check fail; cheaper: compare with a check
        byte keep = dev.liveBytes()[(int) (addr * B + 100)];
        dev.poke(addr * B + 100, (byte) (keep ^ 0x40));
        try {
            return !PoolChecker.check(dev).clean();
        } catch (IOException e) {
            return true;
        } finally {
            dev.poke(addr * B + 100, keep);
        }
    }

    private ByteBuffer page(long addr) {
        return ByteBuffer.wrap(dev.liveBytes(), (int) (addr * B), B).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private void reseal(long addr) {
        ByteBuffer p = page(addr);
        int crc = PoolFormat.pageCrc(p, PoolFormat.H_CRC);
        p.putInt(PoolFormat.H_CRC, crc);
        dev.poke(addr * B + PoolFormat.H_CRC, p.get(PoolFormat.H_CRC));
    }

    private static boolean mentions(CheckReport r, Problem.Severity s, String text) {
        return r.problems().stream().anyMatch(p -> p.severity() == s && (p.what() + " " + p.where()).contains(text));
    }

    @Test
    void aHealthyPoolIsClean() throws IOException {
        CheckReport r = PoolChecker.check(dev);
        assertTrue(r.clean(), r.format());
        assertEquals(2, r.volumes());
        assertEquals(60, r.mappedBlocks());
        assertTrue(r.pagesVerified() >= 5);
    }

    @Test
    void aFlippedByteInAMapPageIsAChecksumError() throws IOException {
        List<Long> leaves = pagesOfType(PoolFormat.PAGE_LEAF, -1);
        assertFalse(leaves.isEmpty());
        long leaf = leaves.get(0);
        dev.poke(leaf * B + 1000, (byte) (dev.liveBytes()[(int) (leaf * B + 1000)] ^ 1));
        CheckReport r = PoolChecker.check(dev);
        assertTrue(mentions(r, Problem.Severity.ERROR, "checksum mismatch"), r.format());
        assertTrue(r.problems().get(0).where().contains("page " + leaf), r.format());
        PoolException e = assertThrows(PoolException.class, () -> Pool.open(dev, null));
        assertEquals(PoolException.Kind.CORRUPT, e.kind());
        CheckReport after = PoolChecker.repair(dev, null);
        assertFalse(after.repairable(), "a bad map page is not repaired");
    }

    @Test
    void aBlockMappedTwiceIsReported() throws IOException {
        long leafB = pagesOfType(PoolFormat.PAGE_LEAF, 2).get(0);
        long leafA = pagesOfType(PoolFormat.PAGE_LEAF, 1).get(0);
        long aEntry = page(leafA).getLong(PoolFormat.HEADER);
        ByteBuffer pb = page(leafB);
        pb.putLong(PoolFormat.HEADER + 8, aEntry);
        reseal(leafB);
        CheckReport r = PoolChecker.check(dev);
        assertTrue(mentions(r, Problem.Severity.ERROR, "mapped twice"), r.format());
    }

    @Test
    void aBlockMappedIntoTheMetadataAreaIsReported() throws IOException {
        long leafB = pagesOfType(PoolFormat.PAGE_LEAF, 2).get(0);
        page(leafB).putLong(PoolFormat.HEADER + 8 * 20, PoolFormat.entry(5, 0));
        page(leafB).putInt(PoolFormat.H_COUNT, page(leafB).getInt(PoolFormat.H_COUNT) + 1);
        reseal(leafB);
        CheckReport r = PoolChecker.check(dev);
        assertTrue(mentions(r, Problem.Severity.ERROR, "in the pool's own metadata"), r.format());
    }

    @Test
    void aTornSuperblockCopyIsRepaired() throws IOException {
        long devBlocks = dev.size() / B;
        dev.poke((devBlocks - 1) * B + 200, (byte) 0x77);
        dev.poke(0 * B + 300, (byte) 0x77);
        CheckReport r = PoolChecker.check(dev);
        assertTrue(r.repairable() && !r.clean(), r.format());
        assertTrue(mentions(r, Problem.Severity.REPAIRABLE, "superblock"), r.format());
        CheckReport after = PoolChecker.repair(dev, null);
        assertTrue(after.clean(), after.format());
        Pool p = Pool.open(dev, null);
        assertArrayEquals(aData, read(p.volume("a"), 0, aData.length));
        assertArrayEquals(bData, read(p.volume("b"), 0, bData.length));
    }

    @Test
    void accountingThatDisagreesWithTheMapsIsRepaired() throws IOException {
        long cat = pagesOfType(PoolFormat.PAGE_CATALOGUE, 0).get(0);
        ByteBuffer p = page(cat);
        int len = p.getInt(PoolFormat.H_LENGTH);
        byte[] bytes = new byte[len];
        p.get(PoolFormat.HEADER, bytes);
        Catalogue c = Catalogue.decode(bytes);
        long[] zm = c.zoneMapped().clone();
        zm[0] += 7;
        byte[] bad = new Catalogue(c.nextVolumeId(), c.classes(), zm, c.volumes()).encode();
        assertEquals(len, bad.length);
        p.put(PoolFormat.HEADER, bad);
        reseal(cat);
        CheckReport r = PoolChecker.check(dev);
        assertTrue(mentions(r, Problem.Severity.REPAIRABLE, "free + used != total"), r.format());
        assertTrue(PoolChecker.repair(dev, null).clean());
    }

    @Test
    void aDeviceWithoutAPoolIsReported() throws IOException {
        CheckReport r = PoolChecker.check(new TestDevice(1 << 20));
        assertFalse(r.repairable());
        assertTrue(mentions(r, Problem.Severity.ERROR, "no valid pool superblock"), r.format());
        assertThrows(PoolException.class, () -> Pool.open(new TestDevice(1 << 20), null));
    }
}
