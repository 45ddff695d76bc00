package dev.triage.cache.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.Buffers;
import dev.triage.device.fault.FaultyDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The two known failures of Open CAS (docs/opencas-notes.md §1.5, §1.12) that the live cache
 * must not have: after a dirty shutdown Open CAS drops every clean line and puts every dirty
 * line in partition 0, so it restarts cold and classless; and a cache full of dirty data makes
 * it pass even its metadata class through. Triage recovers warm with classes kept, and cleans
 * synchronously so that a class the policy protects is never turned away.
 */
class LiveCacheOpenCasComparisonTest {
    static final int BS = 4096;
    final ClassVocabulary vocab = new ClassVocabulary();
    final PolicyConfig config;
    final int inode;
    final int journal;
    final int small;
    final int bulk;

    LiveCacheOpenCasComparisonTest() throws IOException {
        config = PolicyFile.builtin("dss", vocab);
        inode = vocab.intern("inode");
        journal = vocab.intern("journal");
        small = vocab.intern("file_4k");
        bulk = vocab.intern("file_huge");
    }

    @Test
    void warmAfterDirtyShutdownWithClassesKept() throws IOException {
        FaultyDevice fast = new FaultyDevice((1L << 20) + 1100L * BS);
        FaultyDevice slow = new FaultyDevice(4096L * BS);
        RegionBacking backing = new RegionBacking(slow, 0, slow.size());
        LiveCache.Options options = LiveCache.Options.of("dss", config.table(), CacheMode.WRITE_BACK)
                .withBackgroundDestage(false);
        LiveCache c = LiveCache.format(fast, BS, options, v -> backing);
        ByteBuffer b = Buffers.allocateAligned(BS);
        int[] classOf = new int[800];
        for (int i = 0; i < 800; i++) {
            classOf[i] = i % 4 == 0 ? inode : i % 4 == 1 ? journal : i % 4 == 2 ? small : bulk;
            b.clear();
            if (i % 3 == 0) {
                b.putLong(0, i + 1).clear();
                c.write(0, (long) i * BS, b, classOf[i], false); // dirty
            } else {
                c.read(0, (long) i * BS, b, classOf[i]); // clean
            }
        }
        c.flush(0);
        LiveCacheStats before = c.stats();
        assertEquals(800, before.lines());
        // dirty shutdown: the process dies, unflushed writes are torn or lost
        fast.crash(42);
        slow.crash(43);
        LiveCache r = LiveCache.open(fast, options, v -> backing);
        LiveCacheStats after = r.stats();
        System.out.printf("warm after crash: lines %d -> %d (dirty %d -> %d); per class before/after:"
                + " inode %d/%d journal %d/%d file_4k %d/%d file_huge %d/%d%n", before.lines(), after.lines(),
                before.dirtyLines(), after.dirtyLines(), before.occupancy(inode), after.occupancy(inode),
                before.occupancy(journal), after.occupancy(journal), before.occupancy(small), after.occupancy(small),
                before.occupancy(bulk), after.occupancy(bulk));
        assertEquals(before.lines(), after.lines(), "every line kept (Open CAS keeps only the dirty ones)");
        assertEquals(before.dirtyLines(), after.dirtyLines());
        for (int cls : new int[] {inode, journal, small, bulk}) {
            assertEquals(before.occupancy(cls), after.occupancy(cls), "class " + vocab.name(cls)
                    + " kept (Open CAS moves every line to partition 0)");
            assertEquals(before.dirtyByClass()[cls], after.dirtyByClass()[cls]);
        }
        // and the lines are hits, with the right data
        for (int i = 0; i < 800; i++) {
            b.clear();
            r.read(0, (long) i * BS, b, classOf[i]);
            assertEquals(i % 3 == 0 ? i + 1 : 0, b.getLong(0), "block " + i);
        }
        LiveCacheStats reads = r.stats();
        assertEquals(800, reads.touches().totalTouches());
        assertEquals(800, reads.touches().totalHits(), "the first reads after recovery all hit");
    }

    @Test
    void cacheFullOfDirtyDataNeverTurnsMetadataAway() throws IOException {
        FaultyDevice fast = new FaultyDevice((1L << 20) + 300L * BS);
        FaultyDevice slow = new FaultyDevice(8192L * BS);
        RegionBacking backing = new RegionBacking(slow, 0, slow.size());
        // no background cleaning and no watermark: the cache fills with dirty data
        LiveCache.Options options = LiveCache.Options.of("dss", config.table(), CacheMode.WRITE_BACK)
                .withBackgroundDestage(false).withWatermarks(1.0, 1.0);
        LiveCache c = LiveCache.format(fast, BS, options, v -> backing);
        ByteBuffer b = Buffers.allocateAligned(BS);
        long capacity = c.stats().capacity();
        for (int i = 0; i < capacity; i++) {
            b.clear().putLong(0, i + 1).clear();
            c.write(0, (long) i * BS, b, bulk, false);
        }
        LiveCacheStats full = c.stats();
        assertEquals(capacity, full.dirtyLines(), "the cache is full of dirty bulk data");
        int metadataBlocks = 200;
        for (int i = 0; i < metadataBlocks; i++) {
            b.clear().putLong(0, 100_000 + i).clear();
            long off = (4096L + i) * BS;
            if (i % 2 == 0) {
                c.write(0, off, b, inode, false);
            } else {
                c.read(0, off, b, inode);
            }
        }
        LiveCacheStats s = c.stats();
        System.out.printf("full of dirty data: capacity %d, dirty before %d; %d metadata blocks: bypassed %d,"
                + " cached %d, dirty lines cleaned synchronously %d%n", capacity, full.dirtyLines(), metadataBlocks,
                s.bypasses(inode), s.occupancy(inode), s.syncDestaged());
        assertEquals(0, s.bypasses(inode), "no metadata access turned away (Open CAS passes them through)");
        assertEquals(metadataBlocks, s.occupancy(inode));
        assertTrue(s.syncDestaged() >= metadataBlocks, "room was made by cleaning, synchronously");
        // nothing was lost on the way: the bulk blocks read back (from the slow side now)
        for (int i = 0; i < capacity; i++) {
            b.clear();
            c.read(0, (long) i * BS, b, bulk);
            assertEquals(i + 1, b.getLong(0));
        }
    }
}
