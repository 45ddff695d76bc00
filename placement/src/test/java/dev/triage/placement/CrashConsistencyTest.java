package dev.triage.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.device.fault.FaultyDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.policy.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Crash consistency over seeded crash points: random mixes of writes (partial, multi-block,
 * FUA, several classes and zones), reads, discards, write-zeroes, flushes, volume create,
 * resize and delete, with EIO injected on metadata writes and flushes in a third of the runs;
 * power is lost after a random number of device operations (or inside a commit), and the
 * device module's {@link FaultyDevice} keeps a random subset of its unflushed writes, some
 * torn at 512-byte sectors; the pool is
 * reopened and verified against a reference model:
 * <ul>
 *   <li>the set of volumes (and sizes) is that of the last completed commit or of a commit
 *       attempted after it;</li>
 *   <li>every block not written since the last completed flush reads back exactly;</li>
 *   <li>every other block reads, sector by sector, as one of its own versions since then (so
 *       never another volume's data, never garbage);</li>
 *   <li>the checker finds nothing wrong (before open: no error; after open: clean);</li>
 *   <li>the recovered pool keeps working (the next cycle runs on it).</li>
 * </ul>
 */
class CrashConsistencyTest {
    static final int SEEDS = 350;
    static final int CYCLES = 3;
    static final int OPS = 70;
    static final int B = 4096;

    final ClassVocabulary vocab = new ClassVocabulary();
    final PolicyTable policies = new PolicyTable(vocab, Map.of(
            "inode", policy("inode", "meta"), "journal", policy("journal", "meta"),
            "directory", policy("directory", "rest"), "file_4k", policy("file_4k", "bulk")),
            ClassPolicy.defaultFor("*"));
    final int[] classes = {-1, vocab.find("inode"), vocab.find("journal"), vocab.find("directory"),
        vocab.find("file_4k")};

    static ClassPolicy policy(String c, String zone) {
        return new ClassPolicy(c, 100, true, 1.0, false, zone, WriteMode.INHERIT);
    }

    long crashPoints;
    long midCommit;
    long inRecovery;
    long violations;
    long injectedErrors;
    long checkedBlocks;
    long noSpace;
    final List<String> firstViolations = new ArrayList<>();

    @Test
    void everyFlushedWriteSurvivesEveryCrashPoint() throws IOException {
        int only = Integer.getInteger("crash.seed", -1);
        int seeds = Integer.getInteger("crash.seeds", SEEDS);
        int firstSeed = Integer.getInteger("crash.firstSeed", 0);
        for (int seed = firstSeed; seed < firstSeed + seeds; seed++) {
            if (only >= 0 && seed != only) {
                continue;
            }
            runSeed(seed, 512 << 10, 4, 13, 5, 3);
        }
        String summary = "crash points " + crashPoints + " (inside a commit: " + midCommit + ", inside recovery: "
                + inRecovery + "), violations "
                + violations + ", blocks verified " + checkedBlocks + ", injected EIO " + injectedErrors + ", writes refused for lack of space " + noSpace;
        System.out.println("[crash-consistency] " + summary);
        assertEquals(0, violations, summary + "\n" + String.join("\n", firstViolations));
        assertTrue(crashPoints >= 1000 || only >= 0, summary);
    }

    private void violation(int seed, String what) {
        violations++;
        if (firstViolations.size() < 20) {
            firstViolations.add("seed " + seed + ": " + what);
        }
    }

    /** The reference model of the pool's volumes. */
    static final class Model {
        final Map<String, byte[]> cur = new LinkedHashMap<>();
        Map<String, byte[]> durable = new HashMap<>();
        final Map<String, Map<Integer, List<byte[]>>> cand = new HashMap<>();
        final List<Map<String, Integer>> possibleSets = new ArrayList<>();

        Map<String, Integer> sizes() {
            Map<String, Integer> m = new TreeMap<>();
            cur.forEach((k, v) -> m.put(k, v.length));
            return m;
        }

        void markDurable() {
            durable = new HashMap<>();
            cur.forEach((k, v) -> durable.put(k, v.clone()));
            cand.clear();
            possibleSets.clear();
            possibleSets.add(sizes());
        }

        static byte[] block(byte[] content, int b) {
            byte[] out = new byte[B];
            if (content != null && (long) b * B < content.length) {
                System.arraycopy(content, b * B, out, 0, Math.min(B, content.length - b * B));
            }
            return out;
        }

        /** Records the new content of blocks [from, to) of a volume as possible after a crash. */
        void touched(String name, int from, int to) {
            Map<Integer, List<byte[]>> c = cand.computeIfAbsent(name, k -> new HashMap<>());
            byte[] now = cur.get(name);
            for (int b = from; b < to; b++) {
                List<byte[]> l = c.get(b);
                if (l == null) {
                    l = new ArrayList<>();
                    l.add(block(durable.get(name), b));
                    c.put(b, l);
                }
                l.add(block(now, b));
            }
        }
    }

    /**
     * Deep trees: volumes of 300..1100 blocks (map height 1 or 2, resizes cross the boundary,
     * so internal map pages are committed, torn and recovered too), fewer seeds.
     */
    @Test
    void deepMapsSurviveEveryCrashPoint() throws IOException {
        int seeds = Integer.getInteger("crash.deepSeeds", 40);
        for (int seed = 0; seed < seeds; seed++) {
            runSeed(1_000_000 + seed, 8 << 20, 300, 800, 2, 3);
        }
        String summary = "deep maps: crash points " + crashPoints + " (inside a commit: " + midCommit
                + ", inside recovery: " + inRecovery + "), violations " + violations + ", blocks verified " + checkedBlocks
                + ", writes refused for lack of space " + noSpace;
        System.out.println("[crash-consistency] " + summary);
        assertEquals(0, violations, summary + "\n" + String.join("\n", firstViolations));
        assertTrue(crashPoints >= 3 * seeds, summary);
    }

    /** A pool too small for its volumes: writes run out of space (and fall back across zones). */
    @Test
    void aFullPoolSurvivesEveryCrashPoint() throws IOException {
        int seeds = Integer.getInteger("crash.fullSeeds", 60);
        for (int seed = 0; seed < seeds; seed++) {
            runSeed(2_000_000 + seed, 384 << 10, 10, 25, 5, 8);
        }
        String summary = "full pool: crash points " + crashPoints + " (inside a commit: " + midCommit
                + ", inside recovery: " + inRecovery + "), violations " + violations + ", blocks verified " + checkedBlocks
                + ", writes refused for lack of space " + noSpace;
        System.out.println("[crash-consistency] " + summary);
        assertEquals(0, violations, summary + "\n" + String.join("\n", firstViolations));
        assertTrue(noSpace > 0, "the pool never filled up: " + summary);
    }

    private void runSeed(int seed, int deviceBytes, int minBlocks, int spanBlocks, int maxVolumes, int writeBlocks)
            throws IOException {
        Random r = new Random(seed);
        FaultyDevice disk = new FaultyDevice(deviceBytes);
        PowerCutDevice dev = new PowerCutDevice(disk);
        PoolOptions opts = new PoolOptions(64, List.of(ZoneSpec.parse("bulk:0%-45%"), ZoneSpec.parse("meta:45%-50%"),
                ZoneSpec.parse("rest:50%-100%")), "bulk");
        Pool pool = Pool.create(dev, opts, policies);
        boolean discard = seed % 2 == 0; // freed blocks keep their old data in odd seeds
        pool.discardFreedBlocks(discard);
        Model m = new Model();
        m.markDurable();
        boolean faulty = seed % 3 == 2;
        int nameCounter = 0;
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            if (faulty) {
                dev.faults = new Random(seed * 31L + cycle);
                dev.flushErrorRate = 0.05;
                dev.writeErrorRate = 0.05;
                dev.writeErrorFrom = 0;
                dev.writeErrorTo = 66L * B;
            }
            boolean commitCrash = r.nextInt(3) == 0;
            int commitCrashOp = r.nextInt(OPS);
            if (!commitCrash) {
                dev.cutAfter(r.nextInt(OPS * 4));
            }
            boolean inCommit = false;
            try {
                for (int op = 0; op < OPS; op++) {
                    int kind = r.nextInt(100);
                    if (commitCrash && op == commitCrashOp) {
                        kind = 60; // a flush, with the power lost somewhere inside it
                        dev.cutAfter(r.nextInt(9));
                    }
                    inCommit = false;
                    if (m.cur.isEmpty() && kind < 85) {
                        kind = 85;
                    }
                    List<String> names = new ArrayList<>(m.cur.keySet());
                    String name = names.isEmpty() ? null : names.get(r.nextInt(names.size()));
                    Volume v = name == null ? null : pool.volume(name);
                    if (kind < 35) {
                        byte[] c = m.cur.get(name);
                        int off = r.nextInt(c.length);
                        int len = Math.min(c.length - off, 1 + r.nextInt(r.nextBoolean() ? 512 : writeBlocks * B));
                        if (r.nextInt(3) == 0) {
                            off &= ~(B - 1);
                            len = Math.min(c.length - off, B * (1 + r.nextInt(writeBlocks)));
                        }
                        byte[] data = new byte[len];
                        r.nextBytes(data);
                        byte[][] before = new byte[(off + len + B - 1) / B - off / B][];
                        for (int b = off / B; b < (off + len + B - 1) / B; b++) {
                            before[b - off / B] = Model.block(c, b);
                        }
                        System.arraycopy(data, 0, c, off, len);
                        m.touched(name, off / B, (off + len + B - 1) / B);
                        boolean fua = r.nextInt(10) == 0;
                        inCommit = fua;
                        try {
                            v.write(off, ByteBuffer.wrap(data), classes[r.nextInt(classes.length)], fua);
                            if (fua) {
                                m.markDurable();
                            }
                        } catch (PoolException e) {
                            if (e.kind() != PoolException.Kind.NO_SPACE) {
                                throw e;
                            }
                            noSpace++;
                            // part of the request was written: each block is its old or new content
                            int from = off / B;
                            int to = (off + len + B - 1) / B;
                            ByteBuffer back = ByteBuffer.allocate((to - from) * B);
                            v.read((long) from * B, back);
                            System.arraycopy(back.array(), 0, c, from * B, back.capacity());
                            for (int b = from; b < to; b++) {
                                List<byte[]> vs = m.cand.get(name).get(b);
                                byte[] now = Model.block(c, b);
                                if (!Arrays.equals(now, vs.get(vs.size() - 1)) && !Arrays.equals(now, before[b - from])) {
                                    violation(seed, "write failing with no space left block " + b + " half written");
                                }
                                vs.add(now);
                            }
                        } catch (IOException e) {
                            if (dev.cut() || !fua) {
                                throw e;
                            }
                        }
                    } else if (kind < 50) {
                        byte[] c = m.cur.get(name);
                        int off = r.nextInt(c.length);
                        int len = Math.min(c.length - off, 1 + r.nextInt(4 * B));
                        ByteBuffer got = ByteBuffer.allocate(len);
                        v.read(off, got);
                        if (!Arrays.equals(got.array(), Arrays.copyOfRange(c, off, off + len))) {
                            violation(seed, "read of " + name + " [" + off + "+" + len + ") before the crash differs");
                        }
                    } else if (kind < 55) {
                        byte[] c = m.cur.get(name);
                        int off = r.nextInt(c.length);
                        int len = Math.min(c.length - off, 1 + r.nextInt(6 * B));
                        int first = (off + B - 1) / B;
                        int end = (off + len) / B;
                        if (first < end) {
                            Arrays.fill(c, first * B, end * B, (byte) 0);
                            m.touched(name, first, end);
                        }
                        v.discard(off, len);
                    } else if (kind < 60) {
                        byte[] c = m.cur.get(name);
                        int off = r.nextInt(c.length);
                        int len = Math.min(c.length - off, 1 + r.nextInt(6 * B));
                        Arrays.fill(c, off, off + len, (byte) 0);
                        m.touched(name, off / B, (off + len + B - 1) / B);
                        boolean fua = r.nextInt(10) == 0;
                        inCommit = fua;
                        try {
                            v.writeZeroes(off, len, fua);
                            if (fua) {
                                m.markDurable();
                            }
                        } catch (IOException e) {
                            if (dev.cut() || !fua) {
                                throw e;
                            }
                        }
                    } else if (kind < 80) {
                        inCommit = true;
                        try {
                            pool.commit();
                            m.markDurable();
                        } catch (IOException e) {
                            if (dev.cut()) {
                                throw e;
                            }
                        }
                    } else {
                        inCommit = true;
                        int what = kind < 88 ? 0 : kind < 94 ? 1 : 2;
                        if (m.cur.size() >= maxVolumes) {
                            what = r.nextBoolean() ? 1 : 2;
                        }
                        if ((m.cur.size() <= 1 && what == 2) || m.cur.isEmpty()) {
                            what = 0;
                        }
                        try {
                            if (what == 0) {
                                String nn = "v" + (nameCounter++);
                                int size = B * (minBlocks + r.nextInt(spanBlocks));
                                m.cur.put(nn, new byte[size]);
                                m.possibleSets.add(m.sizes());
                                pool.createVolume(nn, size);
                            } else if (what == 1) {
                                byte[] c = m.cur.get(name);
                                int size = B * (minBlocks + r.nextInt(spanBlocks));
                                byte[] nc = Arrays.copyOf(c, size);
                                m.cur.put(name, nc);
                                if (size < c.length) {
                                    m.touched(name, size / B, c.length / B);
                                }
                                m.possibleSets.add(m.sizes());
                                pool.resizeVolume(name, size);
                            } else {
                                m.cur.remove(name);
                                m.possibleSets.add(m.sizes());
                                pool.deleteVolume(name);
                            }
                            m.markDurable();
                        } catch (IOException e) {
                            if (dev.cut()) {
                                throw e;
                            }
                        }
                    }
                }
                inCommit = false;
            } catch (IOException e) {
                if (!dev.cut()) {
                    throw e;
                }
            }
            injectedErrors += dev.injected;
            crashPoints++;
            if (inCommit && dev.cut()) {
                midCommit++;
            }
            disk.crash(r);
            dev = new PowerCutDevice(disk);
            if (r.nextInt(4) == 0) {
                // power is lost again during recovery (open may rewrite superblocks and catalogue)
                dev.cutAfter(r.nextInt(12));
                try {
                    Pool.open(dev, policies);
                } catch (IOException e) {
                    if (!dev.cut()) {
                        throw e;
                    }
                    disk.crash(r);
                    inRecovery++;
                    crashPoints++;
                }
                dev = new PowerCutDevice(disk);
            }
            CheckReport before = PoolChecker.check(dev);
            if (!before.repairable()) {
                violation(seed, "check after crash, before open:\n" + before.format());
            }
            pool = Pool.open(dev, policies);
            pool.discardFreedBlocks(discard);
            CheckReport after = PoolChecker.check(dev);
            if (!after.clean()) {
                violation(seed, "check after open:\n" + after.format());
            }
            verify(seed, pool, m);
            // the recovered state becomes the model
            m.cur.clear();
            for (Volume v : pool.list()) {
                ByteBuffer all = ByteBuffer.allocate((int) v.size());
                v.read(0, all);
                m.cur.put(v.name(), all.array());
            }
            m.markDurable();
            for (PoolStats.ZoneStats z : pool.stats().zones()) {
                if (z.mapped() + z.pendingFree() + z.free() != z.total()) {
                    violation(seed, "zone accounting " + z);
                }
            }
        }
    }

    private void verify(int seed, Pool pool, Model m) throws IOException {
        Map<String, Integer> got = new TreeMap<>();
        for (Volume v : pool.list()) {
            got.put(v.name(), (int) v.size());
        }
        if (!m.possibleSets.contains(got)) {
            violation(seed, "recovered volumes " + got + " are none of " + m.possibleSets);
        }
        for (Volume v : pool.list()) {
            byte[] d = m.durable.get(v.name());
            Map<Integer, List<byte[]>> c = m.cand.getOrDefault(v.name(), Map.of());
            ByteBuffer all = ByteBuffer.allocate((int) v.size());
            v.read(0, all);
            byte[] a = all.array();
            for (int b = 0; b < a.length / B; b++) {
                checkedBlocks++;
                byte[] actual = Arrays.copyOfRange(a, b * B, b * B + B);
                List<byte[]> options = c.get(b);
                if (options == null) {
                    if (!Arrays.equals(actual, Model.block(d, b))) {
                        violation(seed, "volume " + v.name() + " block " + b + " was flushed and reads back different");
                    }
                    continue;
                }
                for (int s = 0; s < B; s += FaultyDevice.DEFAULT_ATOMIC_UNIT) {
                    boolean ok = false;
                    for (byte[] o : options) {
                        if (Arrays.equals(actual, s, s + FaultyDevice.DEFAULT_ATOMIC_UNIT, o, s, s + FaultyDevice.DEFAULT_ATOMIC_UNIT)) {
                            ok = true;
                            break;
                        }
                    }
                    if (!ok) {
                        violation(seed, "volume " + v.name() + " block " + b + " sector " + (s / 512)
                                + " is none of its " + options.size() + " versions");
                        break;
                    }
                }
            }
        }
    }
}
