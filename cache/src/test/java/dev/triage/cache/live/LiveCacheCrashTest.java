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
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Crash consistency of the live cache against a reference model. Both the fast device and the
 * slow one are {@link FaultyDevice}s behind one {@link CutDevice.Power}: random mixes of writes
 * (whole and partial blocks, FUA), reads, discards, write-zeroes, flushes, destages and volume
 * create/delete run until the power is cut at a random device operation (or between requests);
 * both devices then lose or tear their unflushed writes, the cache is recovered by {@link
 * LiveCache#open}, and every sector of every volume must read a value the model allows: the one
 * of the last completed flush or one written since, never another volume's. Reads between crashes
 * must read exactly the last write. After recovery the table must check clean, and (every third
 * crash) once everything is destaged the slow side must hold what the cache returned (no value
 * changes later under a reader). Small caches (37 lines) so that evictions, destages and commits
 * for want of slots happen all the time.
 */
class LiveCacheCrashTest {
    static final String POLICY = """
            version = 1
            default_class = "unclassified"
            [defaults]
            priority = 22
            [classes.metadata]
            priority = 0
            [classes.journal]
            priority = 0
            write_mode = "write-through"
            [classes.file_4k]
            priority = 9
            [classes.file_1m]
            priority = 13
            write_mode = "write-back"
            [classes.file_huge]
            priority = 19
            write_mode = "write-around"
            [classes.unclassified]
            priority = 22
            """;
    static final String[] CLASSES = {"metadata", "journal", "file_4k", "file_1m", "file_huge", "unclassified"};
    static final int BS = 4096;
    static final int REGIONS = 4;
    static final long REGION_BYTES = 64 * BS;
    static final long FAST_BYTES = (1 << 20) + 48 * BS; // 45 slots, policy capacity 37
    static final int SEEDS = 64;
    static final int CRASHES_PER_SEED = 4;

    @Test
    void everyFlushedWriteSurvivesEveryCrashPoint() throws Exception {
        long t0 = System.nanoTime();
        Totals total = new Totals();
        for (CacheMode mode : CacheMode.values()) {
            for (String policy : List.of("dss", "lru")) {
                for (int seed = 0; seed < SEEDS; seed++) {
                    new Run(policy, mode, seed * 7919L + mode.ordinal() * 31 + policy.length(), total).run();
                }
            }
        }
        System.out.printf("live cache crash test: %d crash points (%d with the power cut inside a request, %d of"
                + " them with unflushed writes on the fast device, %d inside a recovery), %d requests, %d sectors"
                + " verified after crashes, %d violations, %.1f s%n",
                total.crashPoints, total.cutInside, total.cutInCommit, total.cutInRecovery, total.requests,
                total.sectorsVerified, total.violations.size(), (System.nanoTime() - t0) / 1e9);
        total.violations.stream().limit(20).forEach(v -> System.out.println("  " + v));
        assertTrue(total.crashPoints >= 1000, "crash points " + total.crashPoints);
        assertEquals(List.of(), total.violations.stream().limit(20).toList(), "violations");
    }

    static final class Totals {
        long crashPoints;
        long cutInside;
        long cutInCommit;
        long cutInRecovery;
        long requests;
        long sectorsVerified;
        final List<String> violations = new ArrayList<>();
    }

    /** One seeded run: a cache, its volumes, several crashes. */
    static final class Run {
        final String policyName;
        final CacheMode mode;
        final long seed;
        final Totals total;
        final Random rnd;
        final ClassVocabulary vocab = new ClassVocabulary();
        final PolicyConfig config;
        final int[] classIds = new int[CLASSES.length];
        final CutDevice.Power power = new CutDevice.Power();
        final FaultyDevice fastF = new FaultyDevice(FAST_BYTES);
        final FaultyDevice slowF = new FaultyDevice(REGIONS * REGION_BYTES);
        final CutDevice fast = new CutDevice(fastF, power);
        final CutDevice slow = new CutDevice(slowF, power);
        final TreeMap<Integer, SectorModel> volumes = new TreeMap<>();
        final ByteBuffer buf = Buffers.allocateAligned(16 * BS);
        long nextValue = 1;
        long nextIncarnation = 1;
        LiveCache cache;
        String current = "";

        Run(String policy, CacheMode mode, long seed, Totals total) {
            this.policyName = policy;
            this.mode = mode;
            this.seed = seed;
            this.total = total;
            this.rnd = new Random(seed);
            this.config = PolicyFile.parse(POLICY, "test-policy.toml", vocab);
            for (int i = 0; i < CLASSES.length; i++) {
                classIds[i] = vocab.intern(CLASSES[i]);
            }
        }

        LiveCache.Options options() {
            return LiveCache.Options.of(policyName, config.table(), mode).withBackgroundDestage(false);
        }

        Backing backingOf(int id) {
            SectorModel m = volumes.get(id);
            return m == null ? null : m.backing;
        }

        void violation(String what) {
            total.violations.add(policyName + "/" + mode + " seed " + seed + ": " + what + " [" + current + "]");
        }

        void run() throws IOException {
            cache = LiveCache.format(fast, BS, options(), this::backingOf);
            createVolume(0);
            createVolume(1);
            for (int crash = 0; crash < CRASHES_PER_SEED; crash++) {
                int requests = 10 + rnd.nextInt(120);
                boolean cutInside = rnd.nextInt(4) != 0;
                if (cutInside) {
                    power.cutAfter(rnd.nextInt(requests * 6 + 1));
                }
                long opsBefore = power.ops;
                for (int i = 0; i < requests && !power.isCut(); i++) {
                    try {
                        step();
                        total.requests++;
                    } catch (CutDevice.PowerCut e) {
                        break;
                    } catch (IOException | RuntimeException e) {
                        if (power.isCut()) {
                            break; // a failure caused by the cut, wrapped
                        }
                        violation("unexpected " + e);
                        return;
                    }
                }
                if (power.isCut()) {
                    total.cutInside++;
                    if (power.ops - opsBefore > 0 && fastF.unflushed() > 0) {
                        total.cutInCommit++;
                    }
                }
                crashAndRecover(crash);
                if (!total.violations.isEmpty()) {
                    return;
                }
            }
        }

        void crashAndRecover(int crash) throws IOException {
            power.restore();
            fastF.crash(rnd.nextLong());
            slowF.crash(rnd.nextLong());
            total.crashPoints++;
            current = "recovery after crash " + crash;
            for (int attempt = 0; ; attempt++) {
                // a quarter of the recoveries lose power themselves, at a random device operation
                boolean cutRecovery = attempt < 3 && rnd.nextInt(4) == 0;
                if (cutRecovery) {
                    power.cutAfter(rnd.nextInt(40));
                }
                try {
                    cache = LiveCache.open(fast, options(), this::backingOf);
                    power.restore();
                    break;
                } catch (IOException | RuntimeException e) {
                    if (!power.isCut()) {
                        violation("recovery failed: " + e);
                        return;
                    }
                    power.restore();
                    fastF.crash(rnd.nextLong());
                    slowF.crash(rnd.nextLong());
                    total.crashPoints++;
                    total.cutInRecovery++;
                }
            }
            for (SectorModel m : volumes.values()) {
                verifyRecovered(m);
            }
            CacheCheck.Report report = CacheCheck.check(fastF, volumes::containsKey, true);
            for (String e : report.errors()) {
                violation("check: " + e);
            }
            for (String w : report.warnings()) {
                if (!w.contains("torn") && !w.contains("fail their checksum")) {
                    violation("check after recovery: " + w);
                }
            }
            if (crash % 3 == 2) {
                cache.destageAll();
                for (SectorModel m : volumes.values()) {
                    verifySlow(m);
                }
            }
        }

        void verifyRecovered(SectorModel m) throws IOException {
            for (long off = 0; off < REGION_BYTES; off += BS) {
                buf.clear().limit(BS);
                try {
                    cache.read(m.id, off, buf, classIds[rnd.nextInt(classIds.length)]);
                } catch (IOException e) {
                    violation("volume " + m.id + " block " + off / BS + " unreadable after the crash: " + e);
                    continue;
                }
                for (int i = 0; i < BS / SectorModel.SECTOR; i++) {
                    int s = (int) (off / SectorModel.SECTOR) + i;
                    long v = m.decode(buf, i * SectorModel.SECTOR, s);
                    long allowedBefore = m.flushed[s];
                    String allowed = m.allowed(s);
                    if (!m.recovered(s, v)) {
                        violation("volume " + m.id + " sector " + s + " reads " + describe(buf, i, v) + " after the crash,"
                                + " allowed " + allowed + " (flushed " + allowedBefore + ")");
                    }
                    total.sectorsVerified++;
                }
            }
        }

        void verifySlow(SectorModel m) throws IOException {
            ByteBuffer b = Buffers.allocateAligned((int) REGION_BYTES);
            slowF.read(m.region * REGION_BYTES, b);
            for (int s = 0; s < m.sectors; s++) {
                long v = m.decode(b, s * SectorModel.SECTOR, s);
                if (v != m.cur[s]) {
                    violation("volume " + m.id + " sector " + s + ": the slow side holds " + v + " after destaging,"
                            + " the cache returned " + m.cur[s]);
                }
            }
        }

        static String describe(ByteBuffer b, int sector, long v) {
            if (v != SectorModel.GARBAGE) {
                return Long.toString(v);
            }
            int p = sector * SectorModel.SECTOR;
            return "garbage (value " + b.getLong(p) + ", tag " + Long.toHexString(b.getLong(p + 8)) + ")";
        }

        int anyClass() {
            return classIds[rnd.nextInt(classIds.length)];
        }

        void step() throws IOException {
            int r = rnd.nextInt(100);
            if (volumes.isEmpty()) {
                r = 98;
            }
            SectorModel m = volumes.isEmpty() ? null : pickVolume();
            if (r < 38) {
                write(m);
            } else if (r < 58) {
                read(m);
            } else if (r < 66) {
                zero(m, true, false);
            } else if (r < 72) {
                zero(m, false, rnd.nextInt(4) == 0);
            } else if (r < 85) {
                current = "flush volume " + m.id;
                cache.flush(m.id);
                m.flushed();
            } else if (r < 92) {
                current = "destage";
                cache.destage(1 + rnd.nextInt(8));
            } else if (r < 96) {
                if (volumes.size() > 1) {
                    deleteVolume(m);
                }
            } else {
                if (volumes.size() < REGIONS) {
                    int id = rnd.nextInt(6);
                    if (!volumes.containsKey(id)) {
                        createVolume(id);
                    }
                }
            }
        }

        SectorModel pickVolume() {
            int i = rnd.nextInt(volumes.size());
            for (SectorModel m : volumes.values()) {
                if (i-- == 0) {
                    return m;
                }
            }
            throw new IllegalStateException();
        }

        /** A range of sectors: whole blocks, or any sectors. */
        int[] range(SectorModel m) {
            int first;
            int count;
            if (rnd.nextBoolean()) {
                int blocks = m.sectors / 8;
                int b = rnd.nextInt(blocks);
                first = b * 8;
                count = 8 * (1 + rnd.nextInt(Math.min(4, blocks - b)));
            } else {
                first = rnd.nextInt(m.sectors);
                count = 1 + rnd.nextInt(Math.min(20, m.sectors - first));
            }
            return new int[] {first, count};
        }

        void write(SectorModel m) throws IOException {
            int[] r = range(m);
            boolean fua = rnd.nextInt(10) == 0;
            int cls = anyClass();
            current = "write volume " + m.id + " sectors " + r[0] + "+" + r[1] + (fua ? " fua" : "") + " class "
                    + vocab.name(cls);
            buf.clear().limit(r[1] * SectorModel.SECTOR);
            long[] values = new long[r[1]];
            for (int i = 0; i < r[1]; i++) {
                values[i] = nextValue++;
                m.fill(buf, i * SectorModel.SECTOR, r[0] + i, values[i]);
            }
            try {
                cache.write(m.id, (long) r[0] * SectorModel.SECTOR, buf, cls, fua);
            } catch (IOException e) {
                for (int i = 0; i < r[1]; i++) {
                    m.issued(r[0] + i, values[i]);
                }
                throw e;
            }
            for (int i = 0; i < r[1]; i++) {
                m.completed(r[0] + i, values[i], fua);
            }
        }

        void zero(SectorModel m, boolean discard, boolean fua) throws IOException {
            int[] r = range(m);
            current = (discard ? "discard" : "write-zeroes") + " volume " + m.id + " sectors " + r[0] + "+" + r[1]
                    + (fua ? " fua" : "");
            long off = (long) r[0] * SectorModel.SECTOR;
            long len = (long) r[1] * SectorModel.SECTOR;
            try {
                if (discard) {
                    cache.discard(m.id, off, len);
                } else {
                    cache.writeZeroes(m.id, off, len, fua);
                }
            } catch (IOException e) {
                for (int i = 0; i < r[1]; i++) {
                    m.issued(r[0] + i, 0);
                }
                throw e;
            }
            for (int i = 0; i < r[1]; i++) {
                m.completed(r[0] + i, 0, fua);
            }
        }

        void read(SectorModel m) throws IOException {
            int[] r = range(m);
            current = "read volume " + m.id + " sectors " + r[0] + "+" + r[1];
            buf.clear().limit(r[1] * SectorModel.SECTOR);
            cache.read(m.id, (long) r[0] * SectorModel.SECTOR, buf, anyClass());
            for (int i = 0; i < r[1]; i++) {
                long v = m.decode(buf, i * SectorModel.SECTOR, r[0] + i);
                if (v != m.cur[r[0] + i]) {
                    violation("volume " + m.id + " sector " + (r[0] + i) + " reads " + describe(buf, i, v)
                            + ", expected " + m.cur[r[0] + i]);
                }
            }
        }

        /** A new volume on a free region: the pool zeroes the region durably, then the volume exists. */
        void createVolume(int id) throws IOException {
            boolean[] used = new boolean[REGIONS];
            for (SectorModel v : volumes.values()) {
                used[v.region] = true;
            }
            int region = 0;
            while (used[region]) {
                region++;
            }
            current = "create volume " + id + " on region " + region;
            slow.writeZeroes(region * REGION_BYTES, REGION_BYTES);
            slow.flush();
            RegionBacking b = new RegionBacking(slow, region * REGION_BYTES, REGION_BYTES);
            volumes.put(id, new SectorModel(id, region, nextIncarnation++, REGION_BYTES, b));
        }

        /** The pool forgets the volume first; then the cache drops its lines (recovery drops what is left). */
        void deleteVolume(SectorModel m) throws IOException {
            current = "delete volume " + m.id;
            volumes.remove(m.id);
            cache.dropVolume(m.id);
        }
    }
}
