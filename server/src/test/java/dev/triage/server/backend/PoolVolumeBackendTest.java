package dev.triage.server.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.cache.live.CacheMode;
import dev.triage.cache.live.CachedPool;
import dev.triage.device.MemoryDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An export over a volume of the live layer: data, block status, classes set by the client. */
class PoolVolumeBackendTest {

    private static CachedPool pool(CacheMode mode) throws Exception {
        ClassVocabulary vocab = new ClassVocabulary();
        PolicyConfig config = PolicyFile.builtin("dss", vocab);
        CachedPool p = CachedPool.create(new MemoryDevice(256L << 20, 4096), new MemoryDevice(16L << 20, 4096), config,
                new CachedPool.CacheSpec("dss", mode));
        p.createVolume("vm", 64L << 20);
        return p;
    }

    private static List<long[]> status(ExportBackend be, long off, long len, MetaContext ctx) throws Exception {
        List<long[]> out = new ArrayList<>();
        be.blockStatus(off, len, ctx, (l, f) -> out.add(new long[] {l, f}));
        return out;
    }

    @Test
    void dataRoundTripsAndDirtyBlocksAreNeverHoles() throws Exception {
        try (CachedPool p = pool(CacheMode.WRITE_BACK)) {
            PoolVolumeBackend be = new PoolVolumeBackend(p, "vm", true);
            byte[] data = new byte[3 * 4096];
            new Random(7).nextBytes(data);
            be.write(1 << 20, ByteBuffer.wrap(data), false, ExportBackend.NO_CLASS);
            ByteBuffer back = ByteBuffer.allocate(data.length);
            be.read(1 << 20, back, ExportBackend.NO_CLASS);
            assertArrayEquals(data, back.array());
            // write-back: the data may be only in the cache, yet block status must not call it a hole
            List<long[]> st = status(be, 0, 2 << 20, MetaContext.BASE_ALLOCATION);
            long pos = 0;
            for (long[] e : st) {
                if (pos < (1 << 20) + data.length && pos + e[0] > (1 << 20)) {
                    assertEquals(0, e[1], "the written range is allocated: " + pos + "+" + e[0]);
                }
                pos += e[0];
            }
            assertEquals(2 << 20, pos, "extents cover the range");
            assertEquals(3, st.getFirst()[1], "the untouched start is a hole that reads as zeros");
            be.flush();
            p.cache().destageAll();
            List<long[]> cls = status(be, 1 << 20, data.length, MetaContext.TRIAGE_CLASS);
            assertTrue(ClassStatus.zoneOf((int) cls.getFirst()[1]) >= 0, "a mapped block has a zone");
        }
    }

    @Test
    void classesSetByTheClientApplyToTheirRange() throws Exception {
        try (CachedPool p = pool(CacheMode.WRITE_THROUGH)) {
            PoolVolumeBackend be = new PoolVolumeBackend(p, "vm", false);
            ClassVocabulary vocab = p.config().vocabulary();
            int journal = vocab.find("journal");
            be.classify(0, 8 * 4096, journal);
            be.classify(4 * 4096, 4096, vocab.find("inode"));
            be.write(0, ByteBuffer.allocate(8 * 4096), false, ExportBackend.NO_CLASS);
            p.cache().destageAll();
            List<long[]> cls = status(be, 0, 8 * 4096, MetaContext.TRIAGE_CLASS);
            List<Integer> perBlock = new ArrayList<>();
            for (long[] e : cls) {
                for (long i = 0; i < e[0] / 4096; i++) {
                    perBlock.add(ClassStatus.classOf((int) e[1]));
                }
            }
            assertEquals(List.of(journal, journal, journal, journal, vocab.find("inode"), journal, journal, journal),
                    perBlock);
        }
    }
}
