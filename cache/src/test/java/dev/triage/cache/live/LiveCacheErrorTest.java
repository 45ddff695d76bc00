package dev.triage.cache.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.Buffers;
import dev.triage.device.DeviceOp;
import dev.triage.device.fault.FaultyDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Device errors (EIO) in the live cache: the request that meets one gets an {@link IOException};
 * nothing else is lost — every other block reads back, before and after a flush, a crash and a
 * recovery. A clean line the fast device cannot read is served from the slow side instead (its
 * data is there); a dirty one is an error.
 */
class LiveCacheErrorTest {
    static final int BS = 4096;
    static final int BLOCKS = 96;
    final ClassVocabulary vocab = new ClassVocabulary();
    final PolicyConfig config;
    final int cls;
    final FaultyDevice fast = new FaultyDevice((1 << 20) + 48 * BS);
    final FaultyDevice slow = new FaultyDevice((long) BLOCKS * BS);
    final RegionBacking backing = new RegionBacking(slow, 0, (long) BLOCKS * BS);
    final Map<Integer, Long> expected = new HashMap<>(); // block -> value (absent: zeros)
    final ByteBuffer buf = Buffers.allocateAligned(BS);
    long next = 1;

    LiveCacheErrorTest() throws IOException {
        config = PolicyFile.builtin("dss", vocab);
        cls = vocab.intern("file_4k");
    }

    LiveCache format(CacheMode mode) throws IOException {
        return LiveCache.format(fast, BS, options(mode), v -> v == 0 ? backing : null);
    }

    LiveCache.Options options(CacheMode mode) {
        return LiveCache.Options.of("lru", config.table(), mode).withBackgroundDestage(false);
    }

    static void fill(ByteBuffer b, long value) {
        b.clear();
        for (int i = 0; i < BS; i += 8) {
            b.putLong(i, value * 31 + i);
        }
    }

    void write(LiveCache c, int block) throws IOException {
        long v = next++;
        fill(buf, v);
        c.write(0, (long) block * BS, buf.clear(), cls, false);
        expected.put(block, v);
    }

    long read(LiveCache c, int block) throws IOException {
        buf.clear();
        c.read(0, (long) block * BS, buf, cls);
        return valueOf(buf);
    }

    static long valueOf(ByteBuffer b) {
        long v = b.getLong(0) / 31;
        if (b.getLong(0) == 0) {
            for (int i = 0; i < BS; i += 8) {
                if (b.getLong(i) != 0) {
                    return -1;
                }
            }
            return 0;
        }
        for (int i = 0; i < BS; i += 8) {
            if (b.getLong(i) != v * 31 + i) {
                return -1;
            }
        }
        return v;
    }

    /** Every block reads its expected value, except {@code except} which may read {@code alt} too. */
    void verifyAll(LiveCache c, int except, long alt) throws IOException {
        for (int b = 0; b < BLOCKS; b++) {
            long v = read(c, b);
            long want = expected.getOrDefault(b, 0L);
            if (b == except && v == alt) {
                expected.put(b, alt);
                continue;
            }
            assertEquals(want, v, "block " + b);
        }
    }

    /** Writes every block (the cache holds 37: evictions and destages), flushes. */
    LiveCache populated(CacheMode mode) throws IOException {
        LiveCache c = format(mode);
        for (int b = 0; b < BLOCKS; b++) {
            write(c, b);
        }
        for (int b = BLOCKS - 30; b < BLOCKS; b++) {
            read(c, b);
        }
        c.flush(0);
        return c;
    }

    /** After the error: the rest reads back, and survives a crash and a recovery. */
    void survivesCrash(LiveCache c, int except, long alt) throws IOException {
        fast.clearFaults();
        slow.clearFaults();
        verifyAll(c, except, alt);
        c.flush(0);
        fast.crash(7);
        slow.crash(8);
        LiveCache r = LiveCache.open(fast, options(c.mode()), v -> v == 0 ? backing : null);
        verifyAll(r, -1, -1);
        assertTrue(CacheCheck.check(fast, v -> v == 0, true).errors().isEmpty());
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void fastWriteErrorFailsTheWriteOnly(CacheMode mode) throws IOException {
        LiveCache c = populated(mode);
        long old = expected.get(5);
        fast.failNext(DeviceOp.WRITE, 1);
        fill(buf, next++);
        long attempted = next - 1;
        IOException e = assertThrows(IOException.class, () -> c.write(0, 5L * BS, buf.clear(), cls, false));
        assertTrue(e.getMessage().contains("EIO"), e.getMessage());
        expected.put(5, old);
        survivesCrash(c, 5, attempted);
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void slowReadErrorFailsTheMissOnly(CacheMode mode) throws IOException {
        LiveCache c = populated(mode);
        slow.failNext(DeviceOp.READ, 1);
        // block 0 was evicted long ago: a miss
        assertThrows(IOException.class, () -> read(c, 0));
        // cached blocks still read without the slow side
        slow.failReadsAt(0, (long) BLOCKS * BS);
        assertEquals(expected.get(BLOCKS - 1), read(c, BLOCKS - 1));
        survivesCrash(c, -1, -1);
    }

    @Test
    void slowWriteErrorInWriteThroughFailsTheWrite() throws IOException {
        LiveCache c = populated(CacheMode.WRITE_THROUGH);
        long old = expected.get(BLOCKS - 1);
        slow.failNext(DeviceOp.WRITE, 1);
        fill(buf, next++);
        long attempted = next - 1;
        assertThrows(IOException.class, () -> c.write(0, (BLOCKS - 1L) * BS, buf.clear(), cls, false));
        expected.put(BLOCKS - 1, old);
        survivesCrash(c, BLOCKS - 1, attempted);
    }

    @Test
    void destageErrorKeepsTheDirtyLine() throws IOException {
        LiveCache c = populated(CacheMode.WRITE_BACK);
        // every slow write fails: the writes that evict dirty lines get the error, the lines stay
        slow.failWritesAt(0, (long) BLOCKS * BS);
        int failed = 0;
        for (int b = 0; b < 60; b++) {
            long v = next++;
            fill(buf, v);
            try {
                c.write(0, (long) b * BS, buf.clear(), cls, false);
                expected.put(b, v);
            } catch (IOException e) {
                failed++;
                assertTrue(e.getMessage().contains("EIO"), e.getMessage());
            }
        }
        assertTrue(failed > 0, "some write must have met the destage error");
        slow.clearFaults();
        c.destageAll();
        verifyAll(c, -1, -1);
        // the slow side holds everything now
        for (Map.Entry<Integer, Long> e : expected.entrySet()) {
            ByteBuffer b = Buffers.allocateAligned(BS);
            slow.read((long) e.getKey() * BS, b);
            assertEquals(e.getValue(), valueOf(b.clear()), "slow block " + e.getKey());
        }
        survivesCrash(c, -1, -1);
    }

    @Test
    void fastReadErrorOnCleanLineIsServedFromTheSlowSide() throws IOException {
        LiveCache c = populated(CacheMode.WRITE_THROUGH);
        fast.failNext(DeviceOp.READ, 1);
        assertEquals(expected.get(BLOCKS - 1), read(c, BLOCKS - 1));
        assertEquals(1, c.stats().fastReadErrors());
        survivesCrash(c, -1, -1);
    }

    @Test
    void fastReadErrorOnDirtyLineIsAnError() throws IOException {
        LiveCache c = format(CacheMode.WRITE_BACK);
        write(c, 3);
        c.flush(0);
        fast.failNext(DeviceOp.READ, 1);
        IOException e = assertThrows(IOException.class, () -> read(c, 3));
        assertTrue(e.getMessage().contains("not on the slow device"), e.getMessage());
        assertEquals(expected.get(3), read(c, 3)); // the line is still there
        survivesCrash(c, -1, -1);
    }

    @ParameterizedTest
    @EnumSource(CacheMode.class)
    void flushErrorsFailTheFlushAndLoseNothing(CacheMode mode) throws IOException {
        LiveCache c = populated(mode);
        for (int b = 0; b < 10; b++) {
            write(c, b);
        }
        fast.failNext(DeviceOp.FLUSH, 1);
        assertThrows(IOException.class, () -> c.flush(0));
        c.discard(0, 50L * BS, BS); // something for the slow side to flush
        expected.remove(50);
        slow.failNext(DeviceOp.FLUSH, 1);
        assertThrows(IOException.class, () -> c.flush(0));
        fast.failNext(DeviceOp.WRITE, 1); // a table page
        assertThrows(IOException.class, () -> c.flush(0));
        survivesCrash(c, -1, -1);
    }

    @Test
    void fastErrorsDuringCommitsKeepTheTableRecoverable() throws IOException {
        LiveCache c = populated(CacheMode.WRITE_BACK);
        for (int round = 0; round < 20; round++) {
            for (int b = 0; b < 8; b++) {
                write(c, (round * 8 + b) % BLOCKS);
            }
            // the second flush of a commit fails after the pages were written: the next commit
            // must write the same copies again, not the last durable ones
            fast.failNext(DeviceOp.FLUSH, round % 2 == 0 ? 2 : 1);
            try {
                c.flush(0);
            } catch (IOException expectedFailure) {
                // retried by the next flush
            }
            fast.clearFaults();
        }
        c.flush(0);
        assertTrue(CacheCheck.check(fast, v -> v == 0, true).errors().isEmpty());
        survivesCrash(c, -1, -1);
    }
}
