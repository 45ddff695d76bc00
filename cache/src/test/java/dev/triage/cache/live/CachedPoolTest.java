package dev.triage.cache.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.Buffers;
import dev.triage.device.fault.FaultyDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import dev.triage.placement.PoolChecker;
import dev.triage.placement.PoolStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The live cache on the placement pool: volumes through the cache keep their data apart (a
 * deleted or shrunk volume's cached lines never reappear), classes reach their zones, and a crash
 * of both devices loses no flushed write.
 */
class CachedPoolTest {
    static final int BS = 4096;
    final ClassVocabulary vocab = new ClassVocabulary();
    final PolicyConfig config;
    final int inode;
    final int bulk;

    CachedPoolTest() throws IOException {
        config = PolicyFile.builtin("dss", vocab);
        inode = vocab.intern("inode");
        bulk = vocab.intern("file_huge");
    }

    static ByteBuffer block(long value) {
        ByteBuffer b = Buffers.allocateAligned(BS);
        for (int i = 0; i < BS; i += 8) {
            b.putLong(i, value + i);
        }
        return b.clear();
    }

    static long valueOf(ByteBuffer b) {
        long v = b.getLong(0);
        for (int i = 0; i < BS; i += 8) {
            if (b.getLong(i) != (v == 0 ? 0 : v + i)) {
                return -1;
            }
        }
        return v;
    }

    /** The value a 512-byte sector of a block written by {@link #block} belongs to (0: zeros, -1: garbage). */
    static long sectorValue(ByteBuffer b, int sector) {
        int at = sector * 512;
        long first = b.getLong(at);
        long v = first == 0 ? 0 : first - at;
        for (int i = at; i < at + 512; i += 8) {
            if (b.getLong(i) != (v == 0 ? 0 : v + i)) {
                return -1;
            }
        }
        return v;
    }

    static long read(CachedVolume v, long block, int cls) throws IOException {
        ByteBuffer b = Buffers.allocateAligned(BS);
        v.read(block * BS, b, cls);
        return valueOf(b.clear());
    }

    @Test
    void deletedAndShrunkVolumesNeverShowOldData() throws IOException {
        FaultyDevice slow = new FaultyDevice(64L << 20);
        FaultyDevice fast = new FaultyDevice(4L << 20);
        CachedPool p = CachedPool.create(slow, fast, config, new CachedPool.CacheSpec("dss", CacheMode.WRITE_BACK));
        CachedVolume a = p.createVolume("a", 4L << 20);
        CachedVolume b = p.createVolume("b", 4L << 20);
        for (int i = 0; i < 64; i++) {
            a.write((long) i * BS, block(1000 + i), inode, false);
            b.write((long) i * BS, block(2000 + i), inode, false);
        }
        a.flush();
        p.deleteVolume("a");
        CachedVolume c = p.createVolume("c", 4L << 20);
        for (int i = 0; i < 64; i++) {
            assertEquals(0, read(c, i, inode), "a new volume reads zeros");
            assertEquals(2000 + i, read(b, i, inode));
        }
        // shrink b below dirty lines, grow it again: the tail reads zeros
        p.resizeVolume("b", 32L * BS);
        p.resizeVolume("b", 4L << 20);
        b = p.volume("b");
        for (int i = 0; i < 64; i++) {
            assertEquals(i < 32 ? 2000 + i : 0, read(b, i, inode), "block " + i);
        }
        p.close();
        // the same after a reopen
        p = CachedPool.open(slow, fast, config, new CachedPool.CacheSpec("dss", null));
        assertEquals(CacheMode.WRITE_BACK, p.cache().mode());
        b = p.volume("b");
        c = p.volume("c");
        for (int i = 0; i < 64; i++) {
            assertEquals(i < 32 ? 2000 + i : 0, read(b, i, inode));
            assertEquals(0, read(c, i, inode));
        }
        p.close();
        assertTrue(PoolChecker.check(slow).clean(), PoolChecker.check(slow).format());
        assertTrue(CacheCheck.check(fast, id -> id == 2 || id == 3, true).errors().isEmpty());
    }

    @Test
    void classesReachTheirZonesThroughTheCache() throws IOException {
        FaultyDevice slow = new FaultyDevice(64L << 20);
        FaultyDevice fast = new FaultyDevice(4L << 20);
        CachedPool p = CachedPool.create(slow, fast, config, new CachedPool.CacheSpec("dss", CacheMode.WRITE_BACK));
        CachedVolume v = p.createVolume("v", 8L << 20);
        for (int i = 0; i < 32; i++) {
            v.write((long) i * BS, block(1 + i), inode, false);
            v.write((long) (100 + i) * BS, block(500 + i), bulk, false);
        }
        p.cache().destageAll();
        PoolStats s = p.pool().stats();
        PoolStats.VolumeStats vs = s.volumes().get(0);
        assertEquals(32L, vs.byClass().get("inode"));
        assertEquals(32L, vs.byClass().get("file_huge"));
        assertEquals(32L, vs.byZone().get("metadata"), vs.toString());
        assertEquals(32L, vs.byZone().get("bulk"), vs.toString());
        p.close();
    }

    @Test
    void crashesOfBothDevicesLoseNoFlushedWrite() throws IOException {
        int crashPoints = 0;
        for (int seed = 0; seed < 40; seed++) {
            Random rnd = new Random(seed);
            FaultyDevice slow = new FaultyDevice(32L << 20);
            FaultyDevice fast = new FaultyDevice((1L << 20) + 64L * BS);
            CacheMode mode = seed % 2 == 0 ? CacheMode.WRITE_BACK : CacheMode.WRITE_THROUGH;
            CachedPool p = CachedPool.create(slow, fast, config, new CachedPool.CacheSpec("lru", mode));
            Map<String, long[]> durable = new LinkedHashMap<>(); // name -> value per block as of the last flush
            Map<String, List<long[]>> since = new LinkedHashMap<>();
            long next = 1;
            for (String name : List.of("x", "y")) {
                p.createVolume(name, 64L * BS);
                durable.put(name, new long[64]);
                since.put(name, new ArrayList<>());
            }
            for (int crash = 0; crash < 5; crash++) {
                for (int op = 0; op < 60; op++) {
                    String name = rnd.nextBoolean() ? "x" : "y";
                    CachedVolume v = p.volume(name);
                    int blk = rnd.nextInt(64);
                    int r = rnd.nextInt(10);
                    if (r < 6) {
                        long value = next++;
                        v.write((long) blk * BS, block(value), rnd.nextBoolean() ? inode : bulk, false);
                        since.get(name).add(new long[] {blk, value});
                    } else if (r < 7) {
                        v.discard((long) blk * BS, BS);
                        since.get(name).add(new long[] {blk, 0});
                    } else {
                        v.flush();
                        long[] d = durable.get(name);
                        for (long[] w : since.get(name)) {
                            d[(int) w[0]] = w[1];
                        }
                        since.get(name).clear();
                    }
                }
                p.halt(); // the process dies: no destage, no commit
                fast.crash(rnd.nextLong());
                slow.crash(rnd.nextLong());
                crashPoints++;
                p = CachedPool.open(slow, fast, config, new CachedPool.CacheSpec("lru", null));
                for (String name : durable.keySet()) {
                    CachedVolume v = p.volume(name);
                    long[] d = durable.get(name);
                    for (int blk = 0; blk < 64; blk++) {
                        ByteBuffer b = Buffers.allocateAligned(BS);
                        v.read((long) blk * BS, b, inode);
                        long settled = -2;
                        for (int sector = 0; sector < BS / 512; sector++) {
                            // a crash may tear a block at sectors: each sector reads one allowed value
                            long got = sectorValue(b, sector);
                            boolean ok = got == d[blk];
                            for (long[] w : since.get(name)) {
                                ok |= w[0] == blk && w[1] == got;
                            }
                            assertTrue(ok, "seed " + seed + " crash " + crash + ": volume " + name + " block " + blk
                                    + " sector " + sector + " reads " + got + ", flushed " + d[blk]);
                            settled = settled == -2 || settled == got ? got : -1;
                        }
                        if (settled == -1) {
                            // a torn block: make it whole again so that the model stays one value per block
                            long value = next++;
                            v.write((long) blk * BS, block(value), inode, false);
                            v.flush();
                            settled = value;
                        }
                        d[blk] = settled;
                    }
                    since.get(name).clear();
                }
                assertTrue(PoolChecker.check(slow).repairable(), PoolChecker.check(slow).format());
            }
            p.close();
        }
        System.out.println("cached pool crash test: " + crashPoints + " crash points, 0 violations");
    }
}
