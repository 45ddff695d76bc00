package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Unit tests of the allocators, the superblock and the catalogue codecs. */
class StructuresTest {

    @Test
    void blockAllocatorFillsEachZoneAndReportsFull() {
        List<Zone> zones = List.of(new Zone("a", 100, 170), new Zone("b", 200, 203));
        BlockAllocator a = new BlockAllocator(100, 210, zones);
        Set<Long> got = new HashSet<>();
        for (int i = 0; i < 70; i++) {
            long b = a.allocate(0, -1);
            assertTrue(b >= 100 && b < 170 && got.add(b), "block " + b);
        }
        assertEquals(-1, a.allocate(0, -1));
        assertEquals(70, a.used(0));
        a.free(130);
        assertEquals(130, a.allocate(0, -1));
        assertEquals(201, a.allocate(1, 201), "a free hint is taken");
        assertEquals(202, a.allocate(1, 201), "a used hint is not");
        assertEquals(200, a.allocate(1, -1));
        assertEquals(-1, a.allocate(1, -1));
        assertThrows(IllegalStateException.class, () -> {
            a.free(205);
        });
        assertEquals(-1, a.zoneOf(205));
    }

    @Test
    void metaAllocatorHandsOutEveryPageOnce() {
        MetaAllocator m = new MetaAllocator(2, 130);
        Set<Long> got = new HashSet<>();
        for (int i = 0; i < 130; i++) {
            long p = m.allocate();
            assertTrue(p >= 2 && p < 132 && got.add(p));
        }
        assertEquals(-1, m.allocate());
        m.free(77);
        assertEquals(77, m.allocate());
        assertThrows(IllegalStateException.class, () -> {
            m.free(77);
            m.free(77);
        });
    }

    private static Superblock sample() {
        return new Superblock(UUID.randomUUID(), 42, 1000, 2, 64, 66, 998, 5, 123, 1,
                List.of(new Zone("bulk", 66, 500), new Zone("meta", 500, 998)));
    }

    @Test
    void superblockRoundTripsAndRejectsCorruption() {
        Superblock sb = sample();
        ByteBuffer b = PoolFormat.newPage();
        sb.encode(b);
        String[] why = new String[1];
        assertEquals(sb, Superblock.decode(b, why));
        b.put(700, (byte) 1);
        assertNull(Superblock.decode(b, why));
        assertEquals("checksum mismatch", why[0]);
        ByteBuffer zero = PoolFormat.newPage();
        assertNull(Superblock.decode(zero, why));
        assertEquals("no pool magic", why[0]);
    }

    @Test
    void superblockGeometryIsValidated() {
        Superblock overlapping = new Superblock(UUID.randomUUID(), 1, 1000, 2, 64, 66, 998, 0, 0, 0,
                List.of(new Zone("a", 66, 600), new Zone("b", 500, 998)));
        assertNotNull(overlapping.geometryProblem());
        Superblock outside = new Superblock(UUID.randomUUID(), 1, 1000, 2, 64, 66, 998, 0, 0, 0,
                List.of(new Zone("a", 10, 600)));
        assertTrue(outside.geometryProblem().contains("outside the data area"));
        assertNull(sample().geometryProblem());
    }

    @Test
    void catalogueRoundTripsAndNamesTruncation() {
        Catalogue c = new Catalogue(7, List.of("unclassified", "inode"), new long[] {3, 4},
                List.of(new Catalogue.Entry(1, "a", 8192, 12, 1, 2, 1), new Catalogue.Entry(5, "bé", 1 << 30, 0, 2, 0, 0)));
        byte[] bytes = c.encode();
        Catalogue d = Catalogue.decode(bytes);
        assertEquals(c.volumes(), d.volumes());
        assertEquals(c.classes(), d.classes());
        assertEquals(7, d.nextVolumeId());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Catalogue.decode(java.util.Arrays.copyOf(bytes, bytes.length - 3)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void pageChecksumCoversEveryByteButItself() {
        ByteBuffer p = PoolFormat.newPage();
        p.putLong(100, 0x1234);
        PoolFormat.sealPage(p, PoolFormat.H_CRC);
        assertTrue(PoolFormat.crcOk(p, PoolFormat.H_CRC));
        for (int i : new int[] {0, 59, 64, 4095}) {
            p.put(i, (byte) (p.get(i) ^ 0x10));
            assertTrue(!PoolFormat.crcOk(p, PoolFormat.H_CRC), "byte " + i);
            p.put(i, (byte) (p.get(i) ^ 0x10));
        }
    }
}
