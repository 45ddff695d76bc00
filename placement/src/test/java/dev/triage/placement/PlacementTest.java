package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.policy.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Blocks land in the zone their class's policy names; accounting per volume, class, zone. */
class PlacementTest {
    static final int B = 4096;
    final ClassVocabulary vocab = new ClassVocabulary();
    final PolicyTable policies = new PolicyTable(vocab, Map.of(
            "inode", new ClassPolicy("inode", 10, true, 1.0, false, "meta", WriteMode.INHERIT),
            "file_1g", new ClassPolicy("file_1g", 200, true, 1.0, false, "bulk", WriteMode.INHERIT)),
            ClassPolicy.defaultFor("*"));
    final int inode = vocab.find("inode");
    final int bulk = vocab.find("file_1g");
    TestDevice dev;
    Pool pool;
    Zone meta;

    @BeforeEach
    void setUp() throws IOException {
        dev = new TestDevice(4 << 20);
        pool = Pool.create(dev, new PoolOptions(64, List.of(ZoneSpec.parse("bulk:0%-45%"), ZoneSpec.parse("meta:45%-50%"),
                ZoneSpec.parse("bulk2:50%-100%")), "bulk"), policies);
        meta = pool.zones().get(1);
        assertEquals("meta", meta.name());
    }

    private int zoneOf(Volume v, long vb) {
        long phys = Volume.physOf(v.mapping(vb));
        for (int z = 0; z < pool.zones().size(); z++) {
            if (pool.zones().get(z).contains(phys)) {
                return z;
            }
        }
        return -1;
    }

    @Test
    void classesAreAllocatedInTheirZone() throws IOException {
        Volume v = pool.createVolume("a", 1 << 20);
        v.write(0, ByteBuffer.allocate(4 * B), inode, false);
        v.write(100 * B, ByteBuffer.allocate(4 * B), bulk, false);
        v.write(200 * B, ByteBuffer.allocate(B), -1, false);
        for (int i = 0; i < 4; i++) {
            assertEquals(1, zoneOf(v, i));
            assertEquals(0, zoneOf(v, 100 + i));
        }
        assertEquals(0, zoneOf(v, 200), "unclassified goes to the default zone");
        assertEquals("inode", pool.className(Volume.classOf(v.mapping(0))));
        PoolStats s = pool.stats();
        PoolStats.VolumeStats vs = s.volumes().get(0);
        assertEquals(9, vs.mapped());
        assertEquals(Map.of("inode", 4L, "file_1g", 4L, "unclassified", 1L), vs.byClass());
        assertEquals(Map.of("bulk", 5L, "meta", 4L), vs.byZone());
        PoolStats.ClassStats cs = s.classes().stream().filter(c -> c.name().equals("inode")).findFirst().orElseThrow();
        assertEquals("meta", cs.zone());
        assertEquals(0, cs.outsideZone());
        String text = s.format();
        assertTrue(text.contains("inode") && text.contains("meta") && text.contains("16.0 KiB"), text);
    }

    @Test
    void aFullZoneSpillsToOthersAndStatsSaySo() throws IOException {
        Volume v = pool.createVolume("a", 1 << 20);
        int metaBlocks = (int) meta.blocks();
        v.write(0, ByteBuffer.allocate((metaBlocks + 5) * B), inode, false);
        PoolStats s = pool.stats();
        PoolStats.ClassStats cs = s.classes().stream().filter(c -> c.name().equals("inode")).findFirst().orElseThrow();
        assertEquals(metaBlocks + 5, cs.mapped());
        assertEquals(5, cs.outsideZone());
        assertEquals(metaBlocks, s.zones().get(1).mapped());
        assertEquals(0, s.zones().get(1).free());
        // freeing metadata-zone space and rewriting a spilled block moves it home
        v.discard(0, B);
        v.flush();
        v.write((long) metaBlocks * B, ByteBuffer.allocate(B), inode, false);
        assertEquals(1, zoneOf(v, metaBlocks));
        v.flush();
        pool.close();
        assertTrue(PoolChecker.check(dev).clean(), PoolChecker.check(dev).format());
    }

    @Test
    void aClassChangeMovesTheBlockToTheNewZone() throws IOException {
        Volume v = pool.createVolume("a", 1 << 20);
        byte[] d = PoolTest.random(3, B);
        v.write(0, ByteBuffer.wrap(d), bulk, true);
        assertEquals(0, zoneOf(v, 0));
        v.write(10, ByteBuffer.wrap(new byte[] {7}), inode, false);
        assertEquals(1, zoneOf(v, 0));
        d[10] = 7;
        org.junit.jupiter.api.Assertions.assertArrayEquals(d, PoolTest.read(v, 0, B));
        assertEquals(1, pool.stats().zones().get(0).pendingFree());
    }

    @Test
    void extentsReportAllocationClassAndZone() throws IOException {
        Volume v = pool.createVolume("a", 1 << 20);
        v.write(2 * B, ByteBuffer.allocate(2 * B), inode, false);
        v.write(4 * B, ByteBuffer.allocate(B), bulk, false);
        List<String> got = new ArrayList<>();
        v.extents(0, 8 * B, (off, len, alloc, cls, zone) -> got.add(off / B + "+" + len / B + ":"
                + (alloc ? pool.className(cls) + "@" + pool.zones().get(zone).name() : "hole")));
        assertEquals(List.of("0+2:hole", "2+2:inode@meta", "4+1:file_1g@bulk", "5+3:hole"), got);
    }

    @Test
    void extentsSkipHolesOfAHugeVolume() throws IOException {
        long size = 1L << 40;
        Volume v = pool.createVolume("huge", size);
        v.write(size - 3 * B, ByteBuffer.allocate(B), bulk, false);
        v.write(7L << 30, ByteBuffer.allocate(B), bulk, false);
        List<String> got = new ArrayList<>();
        v.extents(0, size, (off, len, alloc, cls, zone) -> got.add(off + "+" + len + (alloc ? "A" : "")));
        assertEquals(List.of("0+" + (7L << 30), (7L << 30) + "+4096A", ((7L << 30) + B) + "+" + (size - 3 * B - (7L << 30) - B),
                (size - 3 * B) + "+4096A", (size - 2 * B) + "+8192"), got);
        ByteBuffer tail = ByteBuffer.allocate(5 * B);
        v.read(size - 5 * B, tail);
        assertTrue(java.util.Arrays.equals(new byte[5 * B], tail.array()));
    }

    @Test
    void aFullPoolRefusesWritesWithNoSpace() throws IOException {
        long total = pool.stats().zones().stream().mapToLong(PoolStats.ZoneStats::total).sum();
        Volume v = pool.createVolume("a", (total + 10) * B);
        PoolException e = assertThrows(PoolException.class,
                () -> v.write(0, ByteBuffer.allocate((int) (total + 10) * B), false));
        assertEquals(PoolException.Kind.NO_SPACE, e.kind());
        assertEquals(total, v.mappedBlocks());
        v.flush();
        pool.close();
        assertTrue(PoolChecker.check(dev).clean());
    }

    @Test
    void zoneSpecsParseAndComplain() {
        ZoneSpec z = ZoneSpec.parse("fast:0-1G");
        assertEquals(1L << 30, z.toBytes());
        assertThrows(IllegalArgumentException.class, () -> ZoneSpec.parse("x:10%-2G"));
        assertThrows(IllegalArgumentException.class, () -> ZoneSpec.parse("nocolon"));
        assertThrows(PoolException.class, () -> Pool.create(new TestDevice(1 << 20),
                new PoolOptions(64, List.of(ZoneSpec.parse("a:0%-60%"), ZoneSpec.parse("b:50%-100%")), null), null));
    }
}
