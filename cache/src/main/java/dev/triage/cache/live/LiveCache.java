package dev.triage.cache.live;

import dev.triage.cache.collect.LongIntHashMap;
import dev.triage.cache.policy.CachePolicy;
import dev.triage.cache.policy.Policies;
import dev.triage.cache.policy.Touch;
import dev.triage.cache.replay.ClassStats;
import dev.triage.cache.replay.TouchExpander;
import dev.triage.device.BlockDevice;
import dev.triage.device.Buffers;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import dev.triage.hints.policy.WriteMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The class-aware cache on a fast device for the volumes of a slow one: any policy of {@code
 * cache/} decides what stays (the same code as the simulator, fed the same keys in the same
 * order), write-through or write-back, crash-safe, and warm after a crash.
 *
 * <p>The on-disk layout and the crash rules are in {@code docs/live-cache.md}; the rule numbers
 * in comments refer to it. In short: data lines live in slots; a slot table (two copies per
 * page) records each line's key, class, state and checksum (of key and data); a commit (at
 * flush, FUA, or when slots run out) flushes the slow side, flushes the data, writes the changed
 * table pages and flushes again. Recovery reads the header and the table only, keeps clean and
 * dirty lines with their classes, and verifies a line's checksum on its first read.
 *
 * <p>Two invariants carry the reasoning: a durable CLEAN entry whose checksum still matches its
 * slot is a copy of what the slow side holds durably (so the slow side of a block never changes
 * while such an entry exists: it is overwritten or poisoned first), and the slot of a durable
 * DIRTY entry is never written while the entry is durable (copy-on-write, retirement).
 *
 * <p>Thread-safe: one lock serialises requests (the destager takes it per batch).
 */
public final class LiveCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCache.class);
    static final byte EMPTY = 0;
    static final byte CLEAN = 1;
    static final byte DIRTY = 2;
    private static final long NO_KEY = -1L;
    private static final int PAGE_MAGIC = 0x544c5354; // "TSLT"
    private static final int DESTAGE_BATCH = 64;
    /** Volume ids are below this. */
    public static final int MAX_VOLUMES = 1 << 16;

    /** How a cache is run. */
    public record Options(String policy, PolicyTable table, CacheMode mode, long sequentialBypassBytes,
            double dirtyLowWatermark, double dirtyHighWatermark, boolean backgroundDestage, long capacityBlocks) {

        public static Options of(String policy, PolicyTable table, CacheMode mode) {
            return new Options(policy, table, mode, 0, 0.25, 0.75, true, -1);
        }

        public Options withSequentialBypass(long bytes) {
            return new Options(policy, table, mode, bytes, dirtyLowWatermark, dirtyHighWatermark, backgroundDestage,
                    capacityBlocks);
        }

        public Options withBackgroundDestage(boolean on) {
            return new Options(policy, table, mode, sequentialBypassBytes, dirtyLowWatermark, dirtyHighWatermark, on,
                    capacityBlocks);
        }

        public Options withWatermarks(double low, double high) {
            return new Options(policy, table, mode, sequentialBypassBytes, low, high, backgroundDestage, capacityBlocks);
        }

        /** Caps the policy's capacity below what the device holds (for experiments). */
        public Options withCapacity(long blocks) {
            return new Options(policy, table, mode, sequentialBypassBytes, dirtyLowWatermark, dirtyHighWatermark,
                    backgroundDestage, blocks);
        }
    }

    private final BlockDevice fast;
    private final CacheGeometry geo;
    private final Options options;
    private final IntFunction<Backing> backings;
    private final ClassVocabulary vocabulary;
    private final PolicyTable table;
    private final CachePolicy policy;
    private final int bs;
    private final int shift;
    private final UUID uuid;
    private long headerSeq;

    // the slot table in memory: what the next commit writes (state) and what the device holds (durableState)
    private final long[] key;
    private final int[] crc;
    private final int[] stamp;
    private final int[] cls; // vocabulary id
    private final byte[] state;
    private final byte[] durableState;
    private final long[] seq;
    private final boolean[] verified;
    private final int[] durableCrc;
    private final boolean[] queued;
    /** The fast-flush epoch in which a slot with a durable CLEAN entry was rewritten in place (0: never). */
    private final long[] rewrittenIn;
    private final boolean[] pageDirty;
    private final byte[] pageCopy; // the copy of each page written by the last completed commit
    private final LongIntHashMap map;
    private final IntStack free;
    private IntStack retiredCur = new IntStack(64); // superseded in this epoch: kept one commit more
    private IntStack retiredPrev = new IntStack(64); // written EMPTY by the next commit, then free
    /** Keys whose durable CLEAN entry was dropped in memory only: poisoned before their slow side changes. */
    private final LongIntHashMap staleClean;
    private final IntRing dirtyQueue;
    private final IntStack wtSlots = new IntStack(64);
    private long dirtyCount;
    private long commitSeq = 1;
    private long fastEpoch = 1;
    private int clock;

    // class codes stored on the device
    private final List<String> codeNames = new ArrayList<>();
    private int[] codeOfClass = new int[0];
    private boolean headerChanged;

    // evictions reported by the policy, processed (destaged, freed) after each access; kept while failing
    private long[] evicted = new long[16];
    private int evictedCount;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Thread destager;
    private volatile boolean closed;

    private final Touch touch = new Touch();
    private final ByteBuffer line;
    private final ByteBuffer line2;
    private final ByteBuffer poisonZero;
    private final ByteBuffer poisonOnes;
    private final ByteBuffer page;
    private final ByteBuffer keyBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
    private final CRC32C crc32c = new CRC32C();
    private final SequentialDetector sequential;
    private final boolean[] slowWritten = new boolean[MAX_VOLUMES];
    private final IntStack slowWrittenList = new IntStack(16);

    // statistics
    private final ClassStats touchStats = new ClassStats();
    private long[] bypassByClass = new long[32];
    private long bypassedSequential;
    private long verifyFailures;
    private long corruptDirty;
    private long destaged;
    private long syncDestaged;
    private long destageErrors;
    private long fastReadErrors;
    private long poisoned;
    private long commits;
    private long recoveredLines;
    private long recoveredDirty;
    private long droppedUnknown;
    private double recoveryMillis;

    private LiveCache(BlockDevice fast, CacheGeometry geo, UUID uuid, long headerSeq, Options options,
            IntFunction<Backing> backings) {
        this.fast = fast;
        this.geo = geo;
        this.uuid = uuid;
        this.headerSeq = headerSeq;
        this.options = options;
        this.backings = backings;
        this.table = options.table();
        this.vocabulary = table.vocabulary();
        this.bs = geo.blockSize();
        this.shift = Integer.numberOfTrailingZeros(bs);
        int slots = geo.slots();
        long capacity = Math.max(0, slots - reserveOf(slots));
        if (options.capacityBlocks() >= 0) {
            capacity = Math.min(capacity, options.capacityBlocks());
        }
        this.policy = Policies.create(options.policy(), capacity, table);
        this.policy.setEvictionListener((k, c) -> {
            if (evictedCount == evicted.length) {
                evicted = Arrays.copyOf(evicted, evicted.length * 2);
            }
            evicted[evictedCount++] = k;
        });
        key = new long[slots];
        Arrays.fill(key, NO_KEY);
        crc = new int[slots];
        stamp = new int[slots];
        cls = new int[slots];
        state = new byte[slots];
        durableState = new byte[slots];
        seq = new long[slots];
        verified = new boolean[slots];
        durableCrc = new int[slots];
        queued = new boolean[slots];
        rewrittenIn = new long[slots];
        pageDirty = new boolean[geo.pages()];
        pageCopy = new byte[geo.pages()];
        map = new LongIntHashMap((int) Math.min(Integer.MAX_VALUE / 2, Math.max(16, capacity)));
        staleClean = new LongIntHashMap(64);
        free = new IntStack(slots);
        dirtyQueue = new IntRing(slots);
        int align = Math.max(4096, fast.alignment());
        line = Buffers.allocateAligned(bs, align);
        line2 = Buffers.allocateAligned(bs, align);
        poisonZero = Buffers.allocateAligned(bs, align);
        poisonOnes = Buffers.allocateAligned(bs, align);
        for (int i = 0; i < bs; i++) {
            poisonOnes.put(i, (byte) 0xff);
        }
        page = Buffers.allocateAligned(CacheGeometry.PAGE, align).order(ByteOrder.LITTLE_ENDIAN);
        sequential = new SequentialDetector(options.sequentialBypassBytes());
        if (options.mode() == CacheMode.WRITE_BACK && options.backgroundDestage()) {
            destager = Thread.ofPlatform().daemon().name("triage-destager").unstarted(this::destageLoop);
        } else {
            destager = null;
        }
    }

    /**
     * Heap bytes per slot of the in-memory table (the arrays; the policy's own structures and the
     * key map come on top, about 16-40 B per line depending on the policy).
     */
    public static int heapBytesPerSlot() {
        // key 8, crc 4, stamp 4, class 4, state 1, durable state 1, seq 8, verified 1, durable crc 4,
        // queued 1, rewritten-in 8, free stack 4, dirty ring 4
        return 8 + 4 + 4 + 4 + 1 + 1 + 8 + 1 + 4 + 1 + 8 + 4 + 4;
    }

    /** Slots kept out of the policy's capacity for lines waiting for a commit before reuse. */
    static int reserveOf(int slots) {
        return Math.max(8, Math.min(slots / 8, Math.max(64, slots / 16)));
    }

    /** Formats a fast device as an empty cache and opens it. */
    public static LiveCache format(BlockDevice fast, int blockSize, Options options, IntFunction<Backing> backings)
            throws IOException {
        CacheGeometry geo = CacheGeometry.fit(fast.size(), blockSize);
        LiveCache c = new LiveCache(fast, geo, UUID.randomUUID(), 0, options, backings);
        c.lock.lock();
        try {
            for (int s = geo.slots() - 1; s >= 0; s--) {
                c.free.push(s);
            }
            Arrays.fill(c.pageDirty, true);
            Arrays.fill(c.pageCopy, (byte) 1); // the first write goes to copy 0
            c.writeHeader();
            c.writeHeader(); // both copies valid
            c.commitLocked();
            // write the other copy of every page too, so that no stale table of an earlier format survives
            Arrays.fill(c.pageDirty, true);
            c.commitLocked();
        } finally {
            c.lock.unlock();
        }
        c.start();
        LOG.info("formatted cache on {}: {} slots of {} B, policy {} ({} blocks), {}", fast.describe(), geo.slots(),
                blockSize, options.policy(), c.policy.capacity(), options.mode());
        return c;
    }

    /** The write mode a cache device was formatted with, or null when it holds no cache. */
    public static CacheMode storedMode(BlockDevice fast) throws IOException {
        CacheHeader h = readHeader(fast);
        return h == null ? null : h.mode();
    }

    /** Reads the header of a cache device, or null when the device holds no valid one. */
    static CacheHeader readHeader(BlockDevice fast) throws IOException {
        ByteBuffer b = Buffers.allocateAligned(CacheGeometry.PAGE, Math.max(4096, fast.alignment()));
        CacheHeader best = null;
        for (int copy = 0; copy < CacheGeometry.HEADER_COPIES; copy++) {
            b.clear();
            fast.read((long) copy * CacheGeometry.PAGE, b);
            CacheHeader h = CacheHeader.decode(b.clear());
            if (h != null && (best == null || h.seq() > best.seq())) {
                best = h;
            }
        }
        return best;
    }

    /**
     * Opens a formatted cache, recovering its lines (clean and dirty, with their classes). Lines of
     * volumes {@code backings} does not know (deleted volumes) are dropped, durably.
     */
    public static LiveCache open(BlockDevice fast, Options options, IntFunction<Backing> backings) throws IOException {
        long t0 = System.nanoTime();
        CacheHeader best = readHeader(fast);
        if (best == null) {
            throw new IOException(fast.describe() + ": not a Triage cache device (no valid header)");
        }
        CacheGeometry g = best.geometry();
        if (g.dataStart() + (long) g.slots() * g.blockSize() > fast.size()) {
            throw new IOException(fast.describe() + ": cache header describes " + g.slots()
                    + " slots, more than the device holds");
        }
        LiveCache c = new LiveCache(fast, g, best.uuid(), best.seq(), options, backings);
        c.lock.lock();
        try {
            c.codeNames.addAll(best.classNames());
            c.headerSeq = best.seq();
            c.recover();
        } finally {
            c.lock.unlock();
        }
        c.recoveryMillis = (System.nanoTime() - t0) / 1e6;
        c.start();
        LOG.info("opened cache on {}: {} lines recovered ({} dirty, {} of unknown volumes dropped) in {} ms",
                fast.describe(), c.recoveredLines, c.recoveredDirty, c.droppedUnknown,
                String.format("%.1f", c.recoveryMillis));
        return c;
    }

    private void start() {
        if (destager != null) {
            destager.start();
        }
    }

    // ------------------------------------------------------------------ recovery

    /** Rule 9: the header and the table only, never the data. */
    private void recover() throws IOException {
        int slots = geo.slots();
        long maxSeq = 0;
        for (int p = 0; p < geo.pages(); p++) {
            long bestSeq = -1;
            int bestCopy = -1;
            for (int copy = 0; copy < 2; copy++) {
                page.clear();
                fast.read(geo.pageOffset(p, copy), page);
                long s = validPageSeq(p);
                if (s > bestSeq) {
                    bestSeq = s;
                    bestCopy = copy;
                }
            }
            if (bestCopy < 0) {
                // cannot happen short of media damage: every page was written whole at format, and a
                // commit writes only the copy that is not the last durable one
                pageCopy[p] = 1;
                pageDirty[p] = true;
                LOG.warn("cache table page {} has no valid copy; its lines are dropped", p);
                continue;
            }
            pageCopy[p] = (byte) bestCopy;
            maxSeq = Math.max(maxSeq, bestSeq);
            page.clear();
            fast.read(geo.pageOffset(p, bestCopy), page);
            int first = p * CacheGeometry.ENTRIES_PER_PAGE;
            for (int i = 0; i < CacheGeometry.ENTRIES_PER_PAGE && first + i < slots; i++) {
                int at = CacheGeometry.PAGE_HEADER + i * CacheGeometry.ENTRY_BYTES;
                int s = first + i;
                byte st = page.get(at + 18);
                if (st != CLEAN && st != DIRTY) {
                    continue;
                }
                int code = page.getShort(at + 16) & 0xffff;
                key[s] = page.getLong(at);
                crc[s] = page.getInt(at + 8);
                stamp[s] = page.getInt(at + 12);
                cls[s] = code < codeNames.size() ? vocabulary.intern(codeNames.get(code)) : vocabulary.unclassified();
                state[s] = st;
                durableState[s] = st;
                durableCrc[s] = crc[s];
                seq[s] = page.getLong(at + 24);
            }
        }
        commitSeq = maxSeq + 1;
        for (int i = 0; i < codeNames.size(); i++) {
            codeOf(vocabulary.intern(codeNames.get(i)));
        }
        // rule 3: duplicates after a torn commit; the higher commit sequence wins. Lines of unknown
        // volumes (deleted before the crash) and beyond a volume's end go.
        boolean[] retired = new boolean[slots];
        for (int s = 0; s < slots; s++) {
            if (state[s] == EMPTY) {
                continue;
            }
            int volume = volumeOf(key[s]);
            Backing b = volume < 0 || volume >= MAX_VOLUMES ? null : backings.apply(volume);
            if (b == null || (blockOf(key[s]) << shift) >= b.size()) {
                // a deleted volume, or blocks beyond a volume's end (it shrank): gone
                droppedUnknown++;
                dropEntry(s);
                retiredPrev.push(s);
                retired[s] = true;
                continue;
            }
            int other = map.get(key[s]);
            if (other == LongIntHashMap.MISSING) {
                map.put(key[s], s);
            } else {
                int loser = seq[s] > seq[other] ? other : s;
                map.put(key[s], loser == s ? other : s);
                dropEntry(loser);
                retiredPrev.push(loser);
                retired[loser] = true;
            }
        }
        for (int s = slots - 1; s >= 0; s--) {
            if (state[s] == EMPTY && !retired[s]) {
                free.push(s);
            }
        }
        // rebuild the policy in access order (classes kept); lines it declines go (dirty ones destaged first)
        List<Integer> live = new ArrayList<>(map.size());
        for (int s = 0; s < slots; s++) {
            if (state[s] != EMPTY && map.get(key[s]) == s) {
                live.add(s);
            }
        }
        live.sort((a, b) -> Integer.compareUnsigned(stamp[a], stamp[b]));
        List<Integer> declined = new ArrayList<>();
        for (int s : live) {
            if (Integer.compareUnsigned(stamp[s], clock) > 0) {
                clock = stamp[s];
            }
            touch(key[s], cls[s], false, 1);
            policy.access(touch);
            if (!policy.contains(key[s])) {
                declined.add(s);
            }
            if (state[s] == DIRTY) {
                dirtyCount++;
                enqueueDirty(s);
                recoveredDirty++;
            }
            recoveredLines++;
        }
        for (int s : declined) {
            if (map.get(key[s]) == s) {
                evictKey(key[s]);
            }
        }
        processEvictions();
        headerChanged = false;
        commitLocked(); // make the dropped duplicates and unknown lines durable before any volume id is reused
    }

    /** The sequence of the table page in {@link #page} if it is a valid copy of page {@code p}, else -1. */
    private long validPageSeq(int p) {
        ByteBuffer b = page.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != PAGE_MAGIC || b.getInt(4) != p) {
            return -1;
        }
        CRC32C c = new CRC32C();
        c.update(b.slice(0, CacheGeometry.PAGE - 4));
        if (b.getInt(CacheGeometry.PAGE - 4) != (int) c.getValue()) {
            return -1;
        }
        return b.getLong(8);
    }

    // ------------------------------------------------------------------ requests

    /** Reads {@code dst.remaining()} bytes of a volume at {@code offset} through the cache. */
    public void read(int volume, long offset, ByteBuffer dst, int ioClass) throws IOException {
        Backing backing = backing(volume);
        checkRange(backing, volume, offset, dst.remaining());
        lock.lock();
        try {
            long length = dst.remaining();
            if (length == 0) {
                return;
            }
            boolean bypass = sequential.sequential(volume, offset, length);
            long first = offset >>> shift;
            long last = (offset + length - 1) >>> shift;
            int blocks = (int) (last - first + 1);
            for (long vb = first; vb <= last; vb++) {
                long k = TouchExpander.key(volume, vb);
                long blockStart = vb << shift;
                int from = (int) Math.max(0, offset - blockStart);
                int to = (int) Math.min(bs, offset + length - blockStart);
                if (bypass && !map.containsKey(k)) {
                    bypassedSequential++;
                    countBypass(ioClass);
                    readSlow(backing, blockStart, from, to, dst);
                    continue;
                }
                touch(k, ioClass, false, blocks);
                boolean hit = policy.access(touch);
                touchStats.record(ioClass, false, hit);
                processEvictions();
                int s = map.get(k);
                // the line, when there: a hit, or a line whose eviction could not complete yet
                if (s != LongIntHashMap.MISSING && readLine(s)) {
                    stamp[s] = clock;
                    copyOut(line, from, to, dst);
                    continue;
                }
                line.clear();
                backing.read(blockStart, line);
                line.clear();
                if (policy.contains(k)) {
                    fill(k, ioClass);
                } else {
                    countBypass(ioClass);
                }
                copyOut(line, from, to, dst);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Caches a block just read from the slow side (in {@link #line}); a fast-device error only costs the line. */
    private void fill(long k, int ioClass) throws IOException {
        int s = allocSlot();
        try {
            putLine(s, k, ioClass, CLEAN, line, false);
        } catch (IOException e) {
            policy.remove(k);
            LOG.warn("cache fill of block {} of volume {} failed, not cached: {}", blockOf(k), volumeOf(k),
                    e.getMessage());
        }
        line.clear();
    }

    /** Writes {@code src.remaining()} bytes of a volume at {@code offset} through the cache. */
    public void write(int volume, long offset, ByteBuffer src, int ioClass, boolean fua) throws IOException {
        Backing backing = backing(volume);
        checkRange(backing, volume, offset, src.remaining());
        lock.lock();
        try {
            long length = src.remaining();
            int srcPos = src.position();
            if (length > 0) {
                writeLocked(volume, backing, offset, src, srcPos, (int) length, ioClass, fua);
            }
            if (fua) {
                commitLocked();
            }
            src.position(srcPos + (int) length);
        } finally {
            lock.unlock();
        }
    }

    private void writeLocked(int volume, Backing backing, long offset, ByteBuffer src, int srcPos, int length,
            int ioClass, boolean fua) throws IOException {
        boolean wt = modeOf(ioClass) == CacheMode.WRITE_THROUGH;
        boolean seq = sequential.sequential(volume, offset, length) && wt;
        boolean around = writeModeOf(ioClass) == WriteMode.WRITE_AROUND || seq;
        long first = offset >>> shift;
        long last = (offset + length - 1) >>> shift;
        int blocks = (int) (last - first + 1);
        wtSlots.clear();
        for (long vb = first; vb <= last; vb++) {
            long k = TouchExpander.key(volume, vb);
            long blockStart = vb << shift;
            int from = (int) Math.max(0, offset - blockStart);
            int to = (int) Math.min(bs, offset + length - blockStart);
            int srcFrom = (int) (blockStart + from - offset) + srcPos;
            if (around) {
                // write-around (the class's mode, or a sequential stream in write-through): the slow side only
                policy.remove(k);
                countBypass(ioClass);
                if (seq) {
                    bypassedSequential++;
                }
                writeUncached(volume, backing, k, blockStart, from, to, src, srcFrom, ioClass, true);
                continue;
            }
            touch(k, ioClass, true, blocks);
            boolean hit = policy.access(touch);
            touchStats.record(ioClass, true, hit);
            try {
                writeBlock(volume, backing, k, blockStart, from, to, src, srcFrom, ioClass, wt);
            } catch (IOException e) {
                if (!map.containsKey(k)) {
                    policy.remove(k); // the block did not make it into the cache
                }
                throw e;
            }
        }
        if (wt) {
            boolean flushFast = false;
            for (long vb = first; vb <= last; vb++) {
                flushFast |= beforeSlowChange(TouchExpander.key(volume, vb));
            }
            if (flushFast) {
                fastFlush(); // rule 5
            }
            int limit = src.limit();
            src.limit(srcPos + length).position(srcPos);
            try {
                backing.write(offset, src, ioClass, fua);
            } finally {
                src.limit(limit);
            }
            markSlowWritten(volume);
            for (int i = 0; i < wtSlots.size(); i++) {
                int s = wtSlots.get(i);
                if (state[s] == DIRTY && map.get(key[s]) == s && volumeOf(key[s]) == volume
                        && blockOf(key[s]) >= first && blockOf(key[s]) <= last) {
                    state[s] = CLEAN;
                    dirtyCount--;
                    pageDirty[s / CacheGeometry.ENTRIES_PER_PAGE] = true;
                }
            }
            wtSlots.clear();
        }
    }

    /** One block of a cached write: into its line (or around the cache when the policy declines it). */
    private void writeBlock(int volume, Backing backing, long k, long blockStart, int from, int to, ByteBuffer src,
            int srcFrom, int ioClass, boolean wt) throws IOException {
        processEvictions();
        if (!policy.contains(k)) {
            countBypass(ioClass);
            writeUncached(volume, backing, k, blockStart, from, to, src, srcFrom, ioClass, wt);
            return;
        }
        if (!wt && dirtyCount >= options.dirtyHighWatermark() * policy.capacity()) {
            destageBatch(DESTAGE_BATCH, true); // rule 7: the hard bound, before the write takes effect
        }
        int s = map.get(k);
        boolean partial = from != 0 || to != bs;
        if (partial && (s == LongIntHashMap.MISSING || !readLine(s))) {
            // the rest of the line from the slow side
            s = map.get(k);
            line.clear();
            backing.read(blockStart, line);
            if (!policy.contains(k)) { // the line failed verification and left the cache
                countBypass(ioClass);
                writeUncached(volume, backing, k, blockStart, from, to, src, srcFrom, ioClass, wt);
                return;
            }
        }
        line.clear();
        line.put(from, src, srcFrom, to - from);
        boolean wasDirty = s != LongIntHashMap.MISSING && state[s] == DIRTY;
        if (s == LongIntHashMap.MISSING) {
            s = allocSlot();
            putLine(s, k, ioClass, DIRTY, line, !wt);
        } else if (durableState[s] == DIRTY) {
            // rule 4: never overwrite the durable copy of a dirty line in place
            int old = s;
            s = allocSlot();
            putLine(s, k, ioClass, DIRTY, line, !wt);
            supersede(old);
        } else {
            putLine(s, k, ioClass, DIRTY, line, !wt); // a durable CLEAN entry of the slot now mismatches
        }
        if (wt) {
            // dirty until the slow side has it (a commit meanwhile records it as dirty, never as a clean
            // line the slow side lacks)
            wtSlots.push(s);
            if (wasDirty && partial) {
                // the line held data the slow side lacks, outside this write: the slow side gets the whole line
                writeSlow(volume, backing, k, blockStart, line, ioClass);
            }
        } else if (destager != null && dirtyCount >= options.dirtyLowWatermark() * policy.capacity()) {
            work.signal();
        }
    }

    /**
     * A block the cache does not keep (declined by the policy, written around): the slow side gets
     * it, a line of it leaves the cache. A dirty line's bytes outside the write are merged first so
     * that none is lost; the line goes only once the slow side has the data.
     */
    private void writeUncached(int volume, Backing backing, long k, long blockStart, int from, int to,
            ByteBuffer src, int srcFrom, int ioClass, boolean wt) throws IOException {
        int s = map.get(k);
        if (s != LongIntHashMap.MISSING && state[s] == DIRTY && readLine(s)) {
            line.put(from, src, srcFrom, to - from);
            writeSlow(volume, backing, k, blockStart, line, ioClass);
            dropLine(k);
            return;
        }
        dropLine(k);
        if (wt) {
            return; // the request's slow write covers it
        }
        line2.clear();
        if (from != 0 || to != bs) {
            backing.read(blockStart, line2);
            line2.clear();
        }
        line2.put(from, src, srcFrom, to - from);
        writeSlow(volume, backing, k, blockStart, line2, ioClass);
    }

    /** Writes one whole block to the slow side, after any stale clean copy of it is made unreadable. */
    private void writeSlow(int volume, Backing backing, long k, long blockStart, ByteBuffer data, int ioClass)
            throws IOException {
        if (beforeSlowChange(k)) {
            fastFlush();
        }
        data.clear();
        backing.write(blockStart, data, ioClass, false);
        data.clear();
        markSlowWritten(volume);
    }

    /** Discards a range: cached lines go, the slow side frees it. */
    public void discard(int volume, long offset, long length) throws IOException {
        Backing backing = backing(volume);
        checkRange(backing, volume, offset, length);
        lock.lock();
        try {
            if (length > 0) {
                zeroRange(volume, backing, offset, length, true, false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Zeroes a range: cached lines go, the slow side zeroes it. */
    public void writeZeroes(int volume, long offset, long length, boolean fua) throws IOException {
        Backing backing = backing(volume);
        checkRange(backing, volume, offset, length);
        lock.lock();
        try {
            if (length > 0) {
                zeroRange(volume, backing, offset, length, false, fua);
            }
            if (fua) {
                commitLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    private void zeroRange(int volume, Backing backing, long offset, long length, boolean discard, boolean fua)
            throws IOException {
        long first = offset >>> shift;
        long last = (offset + length - 1) >>> shift;
        boolean flushFast = false;
        for (long vb = first; vb <= last; vb++) {
            long k = TouchExpander.key(volume, vb);
            long blockStart = vb << shift;
            int s = map.get(k);
            boolean partial = offset > blockStart || offset + length < blockStart + bs;
            if (s != LongIntHashMap.MISSING && partial && state[s] == DIRTY) {
                destageSlot(s); // the part outside the range is not on the slow side yet
            }
            policy.remove(k);
            dropLine(k);
            flushFast |= beforeSlowChange(k);
        }
        if (flushFast) {
            fastFlush();
        }
        if (discard) {
            backing.discard(offset, length);
        } else {
            backing.writeZeroes(offset, length, fua);
        }
        markSlowWritten(volume);
    }

    /**
     * Makes every acknowledged write to the volume durable: the slow side's flush, then a
     * commit of the cache (its dirty lines are durable on the fast device).
     */
    public void flush(int volume) throws IOException {
        backing(volume);
        lock.lock();
        try {
            commitLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets every line of a volume (it is being deleted), durably: when this returns no line of
     * the volume survives a crash, so that its id and blocks can be reused.
     */
    public void dropVolume(int volume) throws IOException {
        lock.lock();
        try {
            long lo = TouchExpander.key(volume, 0);
            long hi = TouchExpander.key(volume + 1, 0);
            for (int s = 0; s < geo.slots(); s++) {
                if (state[s] != EMPTY && key[s] >= lo && key[s] < hi && map.get(key[s]) == s) {
                    long k = key[s];
                    policy.remove(k);
                    map.remove(k);
                    releaseSlot(s, k);
                }
            }
            for (int i = 0; i < evictedCount; i++) {
                if (evicted[i] >= lo && evicted[i] < hi) {
                    evicted[i] = evicted[--evictedCount];
                    i--;
                }
            }
            if (volume >= 0 && volume < slowWritten.length && slowWritten[volume]) {
                slowWritten[volume] = false;
                slowWrittenList.removeValue(volume);
            }
            commitLocked(); // superseded entries of the volume go here (their block is no longer mapped)
            commitLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Destages up to {@code max} of the oldest dirty lines now and flushes the slow side; how many. */
    public int destage(int max) throws IOException {
        lock.lock();
        try {
            return destageBatch(max, false);
        } finally {
            lock.unlock();
        }
    }

    /** Destages every dirty line and commits (for a clean detach, or a test). */
    public void destageAll() throws IOException {
        lock.lock();
        try {
            while (dirtyCount > 0) {
                if (destageBatch(256, false) == 0) {
                    break;
                }
            }
            commitLocked();
        } finally {
            lock.unlock();
        }
    }

    // ------------------------------------------------------------------ internals

    private void touch(long k, int ioClass, boolean write, int requestBlocks) {
        clock++;
        touch.block = k;
        touch.ioClass = ioClass;
        touch.write = write;
        touch.flags = 0;
        touch.requestBlocks = requestBlocks;
        touch.index = clock;
        touch.nextUse = Touch.NEVER;
    }

    private void countBypass(int ioClass) {
        if (ioClass < 0) {
            return;
        }
        if (ioClass >= bypassByClass.length) {
            bypassByClass = Arrays.copyOf(bypassByClass, Math.max(ioClass + 1, bypassByClass.length * 2));
        }
        bypassByClass[ioClass]++;
    }

    private static int volumeOf(long k) {
        return (int) ((k >>> TouchExpander.BLOCK_BITS) - 1);
    }

    private static long blockOf(long k) {
        return k & ((1L << TouchExpander.BLOCK_BITS) - 1);
    }

    private Backing backing(int volume) throws IOException {
        if (volume < 0 || volume >= MAX_VOLUMES) {
            throw new IllegalArgumentException("volume id " + volume + " out of range [0, " + MAX_VOLUMES + ")");
        }
        Backing b = backings.apply(volume);
        if (b == null) {
            throw new IOException("no volume with id " + volume);
        }
        return b;
    }

    private static void checkRange(Backing backing, int volume, long offset, long length) {
        if (offset < 0 || length < 0 || (offset & 511) != 0 || (length & 511) != 0) {
            throw new IllegalArgumentException("request " + offset + "+" + length + " to volume " + volume
                    + " is not 512-byte aligned");
        }
        if (offset + length > backing.size()) {
            throw new IllegalArgumentException("request " + offset + "+" + length + " ends beyond volume " + volume
                    + " (" + backing.size() + " bytes)");
        }
    }

    private CacheMode modeOf(int ioClass) {
        return switch (writeModeOf(ioClass)) {
            case WRITE_BACK -> CacheMode.WRITE_BACK;
            case WRITE_THROUGH, WRITE_AROUND -> CacheMode.WRITE_THROUGH;
            case INHERIT -> options.mode();
        };
    }

    private WriteMode writeModeOf(int ioClass) {
        ClassPolicy p = table.forClass(ioClass);
        return p.writeMode();
    }

    private static void copyOut(ByteBuffer lineBuf, int from, int to, ByteBuffer dst) {
        int p = dst.position();
        dst.put(p, lineBuf, from, to - from);
        dst.position(p + to - from);
    }

    private void readSlow(Backing backing, long blockStart, int from, int to, ByteBuffer dst) throws IOException {
        line.clear();
        backing.read(blockStart, line);
        copyOut(line, from, to, dst);
    }

    /**
     * Reads slot {@code s} into {@link #line}; false when the line is gone (a clean line that fails
     * verification or cannot be read: the caller reads the slow side). A dirty line that cannot be
     * read or fails verification is an error (EIO): its data is nowhere else.
     */
    private boolean readLine(int s) throws IOException {
        line.clear();
        try {
            fast.read(geo.slotOffset(s), line);
        } catch (IOException e) {
            fastReadErrors++;
            if (state[s] == DIRTY) {
                throw new IOException("cache line of block " + blockOf(key[s]) + " of volume " + volumeOf(key[s])
                        + " cannot be read and is not on the slow device yet: " + e.getMessage(), e);
            }
            LOG.warn("cache read of block {} of volume {} failed, reading the slow side: {}", blockOf(key[s]),
                    volumeOf(key[s]), e.getMessage());
            dropLineAt(s);
            return false;
        }
        line.clear();
        if (verified[s]) {
            return true;
        }
        if (checksum(key[s], line) == crc[s]) {
            verified[s] = true;
            return true;
        }
        verifyFailures++;
        if (state[s] == DIRTY) {
            corruptDirty++;
            throw new IOException("cache line of block " + blockOf(key[s]) + " of volume " + volumeOf(key[s])
                    + " fails its checksum: its data, not yet on the slow device, is corrupt (EIO)");
        }
        // rule 2: a clean line whose slot was rewritten before a crash is simply not there any more
        dropLineAt(s);
        return false;
    }

    private void dropLineAt(int s) {
        long k = key[s];
        policy.remove(k);
        if (map.get(k) == s) {
            map.remove(k);
        }
        releaseSlot(s, k);
    }

    private int checksum(long k, ByteBuffer data) {
        crc32c.reset();
        keyBytes.putLong(0, k);
        crc32c.update(keyBytes.array(), 0, 8);
        int p = data.position();
        crc32c.update(data);
        data.position(p);
        return (int) crc32c.getValue();
    }

    /**
     * Writes a line's data to slot {@code s}, then its entry (not yet durable). On a device error
     * the entry is left as it was (a fresh slot goes back to the free list).
     */
    private void putLine(int s, long k, int ioClass, byte st, ByteBuffer data, boolean queue) throws IOException {
        data.clear();
        try {
            fast.write(geo.slotOffset(s), data, false);
        } catch (IOException e) {
            if (state[s] == EMPTY && map.get(k) != s) {
                free.push(s);
            } else {
                verified[s] = false; // the old content may be damaged: check it before use
            }
            throw e;
        }
        data.clear();
        if (state[s] == DIRTY) {
            dirtyCount--;
        }
        if (durableState[s] == CLEAN) {
            rewrittenIn[s] = fastEpoch; // the durable entry mismatches only once this write is flushed
        }
        key[s] = k;
        crc[s] = checksum(k, data);
        cls[s] = ioClass;
        codeOf(ioClass);
        stamp[s] = clock;
        state[s] = st;
        seq[s] = commitSeq;
        verified[s] = true;
        pageDirty[s / CacheGeometry.ENTRIES_PER_PAGE] = true;
        map.put(k, s);
        if (st == DIRTY) {
            dirtyCount++;
            if (queue) {
                enqueueDirty(s);
            }
        }
    }

    private void enqueueDirty(int s) {
        if (!queued[s]) {
            queued[s] = true;
            dirtyQueue.add(s);
        }
    }

    private void dropEntry(int s) {
        key[s] = NO_KEY;
        state[s] = EMPTY;
        verified[s] = false;
        pageDirty[s / CacheGeometry.ENTRIES_PER_PAGE] = true;
    }

    /**
     * A slot's line left the cache (the map no longer holds it). A slot whose durable entry is
     * empty is free at once; any other waits for the commit that writes it empty (rule 4, rule 6),
     * and a durable clean one is remembered so that it is poisoned before the slow side of its
     * block changes.
     */
    private void releaseSlot(int s, long k) {
        byte ds = durableState[s];
        if (state[s] == DIRTY) {
            dirtyCount--;
        }
        dropEntry(s);
        if (ds == EMPTY) {
            free.push(s);
        } else {
            retiredPrev.push(s);
            if (ds == CLEAN) {
                staleClean.put(k, s);
            }
        }
    }

    /** A dirty line was rewritten into a new slot: the old one keeps its durable entry one commit more. */
    private void supersede(int old) {
        if (state[old] == DIRTY) {
            dirtyCount--;
        }
        state[old] = durableState[old];
        retiredCur.push(old);
    }

    /** Removes a block's line, if any, leaving the policy alone. */
    private void dropLine(long k) {
        int s = map.remove(k);
        if (s != LongIntHashMap.MISSING) {
            releaseSlot(s, k);
        }
    }

    /**
     * Called before the slow side of block {@code k} changes by anything but a destage of its own
     * line: a durable clean entry of {@code k} that would still verify is made unreadable (its slot
     * poisoned). True when the fast device must be flushed before the slow write is issued.
     */
    private boolean beforeSlowChange(long k) throws IOException {
        boolean flush = false;
        if (staleClean.size() > 0) {
            int p = staleClean.remove(k);
            if (p != LongIntHashMap.MISSING) {
                fast.write(geo.slotOffset(p), poisonFor(k, p), false);
                poisoned++;
                flush = true;
            }
        }
        int s = map.get(k);
        if (s != LongIntHashMap.MISSING && durableState[s] == CLEAN && rewrittenIn[s] == fastEpoch) {
            flush = true; // rewritten in place, not yet flushed: the old data would still verify
        }
        return flush;
    }

    private ByteBuffer poisonFor(long k, int s) {
        ByteBuffer b = checksum(k, poisonZero.clear()) != durableCrc[s] ? poisonZero : poisonOnes;
        return b.clear();
    }

    private void fastFlush() throws IOException {
        fast.flush();
        fastEpoch++;
    }

    private int allocSlot() throws IOException {
        for (int attempt = 0; free.isEmpty() && attempt < 3; attempt++) {
            commitLocked();
        }
        if (free.isEmpty()) {
            throw new IOException("no free cache slot after commits (lines " + map.size() + ", capacity "
                    + policy.capacity() + ", slots " + geo.slots() + ", evictions pending " + evictedCount + ")");
        }
        return free.pop();
    }

    /** Processes the evictions the policy reported; one that fails stays queued and is retried first. */
    private void processEvictions() throws IOException {
        while (evictedCount > 0) {
            evictKey(evicted[evictedCount - 1]);
            evictedCount--;
        }
    }

    /** Rule 6: a dirty line is destaged before its slot can be reused; never a bypass. */
    private void evictKey(long k) throws IOException {
        int s = map.get(k);
        if (s == LongIntHashMap.MISSING || policy.contains(k)) {
            return; // gone already, or taken back by the policy while its eviction was pending
        }
        if (state[s] == DIRTY) {
            destageSlot(s);
            flushAllSlow();
            syncDestaged++;
        }
        map.remove(k);
        releaseSlot(s, k);
    }

    /** Writes a dirty line to the slow side (not yet flushed there) and marks it clean. */
    private void destageSlot(int s) throws IOException {
        long k = key[s];
        int volume = volumeOf(k);
        Backing b = backing(volume);
        if (!readLine(s)) {
            return;
        }
        if (beforeSlowChange(k)) {
            fastFlush();
        }
        line.clear();
        b.write(blockOf(k) << shift, line, cls[s], false);
        line.clear();
        markSlowWritten(volume);
        state[s] = CLEAN;
        pageDirty[s / CacheGeometry.ENTRIES_PER_PAGE] = true;
        dirtyCount--;
        destaged++;
    }

    /** Destages up to {@code max} of the oldest dirty lines, then flushes the slow side. */
    private int destageBatch(int max, boolean sync) throws IOException {
        int done = 0;
        while (done < max && !dirtyQueue.isEmpty()) {
            int s = dirtyQueue.poll();
            queued[s] = false;
            if (state[s] != DIRTY || map.get(key[s]) != s) {
                continue;
            }
            try {
                destageSlot(s);
            } catch (IOException e) {
                destageErrors++;
                enqueueDirty(s);
                throw e;
            }
            done++;
        }
        if (done > 0) {
            flushAllSlow();
            if (sync) {
                syncDestaged += done;
            }
        }
        return done;
    }

    private void markSlowWritten(int volume) {
        if (!slowWritten[volume]) {
            slowWritten[volume] = true;
            slowWrittenList.push(volume);
        }
    }

    /** Flushes every volume written since its last flush (a deleted one is skipped). */
    private void flushAllSlow() throws IOException {
        while (!slowWrittenList.isEmpty()) {
            int v = slowWrittenList.get(slowWrittenList.size() - 1);
            Backing b = backings.apply(v);
            if (b != null) {
                b.flush();
            }
            slowWritten[v] = false;
            slowWrittenList.pop();
        }
    }

    private int codeOf(int classId) {
        if (classId < 0) {
            return 0;
        }
        if (classId >= codeOfClass.length) {
            int old = codeOfClass.length;
            codeOfClass = Arrays.copyOf(codeOfClass, Math.max(classId + 1, old * 2));
            Arrays.fill(codeOfClass, old, codeOfClass.length, -1);
        }
        int c = codeOfClass[classId];
        if (c < 0) {
            String name = vocabulary.name(classId);
            c = codeNames.indexOf(name);
            if (c < 0) {
                List<String> more = new ArrayList<>(codeNames);
                more.add(name);
                if (!CacheHeader.fits(more)) {
                    int u = vocabulary.unclassified();
                    return u == classId ? 0 : codeOf(u);
                }
                codeNames.add(name);
                c = codeNames.size() - 1;
                headerChanged = true;
            }
            codeOfClass[classId] = c;
        }
        return c;
    }

    private void writeHeader() throws IOException {
        headerSeq++;
        CacheHeader h = new CacheHeader(headerSeq, uuid, geo, options.mode(), List.copyOf(codeNames));
        h.encode(page);
        fast.write(geo.headerOffset((int) (headerSeq & 1)), page, false);
    }

    /**
     * Rule 1 of docs/live-cache.md: the slow side's flush (clean entries describe durable slow
     * data), the data's flush, the header if a class name was added, the changed table pages (each
     * to the copy the last commit did not write), a flush. Nothing in memory claims durability
     * before that last flush returns, so a failed commit can simply be retried.
     */
    private void commitLocked() throws IOException {
        flushAllSlow();
        fastFlush();
        if (headerChanged) {
            writeHeader();
            fastFlush();
            headerChanged = false;
        }
        for (int i = 0; i < retiredCur.size(); i++) {
            int s = retiredCur.get(i);
            if (state[s] != EMPTY && !map.containsKey(key[s])) {
                dropEntry(s); // superseded, and its block has left the cache since: the slow side holds it
            }
        }
        for (int i = 0; i < retiredPrev.size(); i++) {
            int s = retiredPrev.get(i);
            if (state[s] != EMPTY && map.get(key[s]) != s) {
                dropEntry(s); // superseded one commit ago: its successor is durable
            }
        }
        for (int p = 0; p < geo.pages(); p++) {
            if (pageDirty[p]) {
                writePage(p);
            }
        }
        fastFlush();
        for (int p = 0; p < geo.pages(); p++) {
            if (pageDirty[p]) {
                pageDirty[p] = false;
                pageCopy[p] ^= 1;
                int first = p * CacheGeometry.ENTRIES_PER_PAGE;
                int end = Math.min(geo.slots(), first + CacheGeometry.ENTRIES_PER_PAGE);
                for (int s = first; s < end; s++) {
                    durableState[s] = state[s];
                    durableCrc[s] = crc[s];
                    rewrittenIn[s] = 0;
                }
            }
        }
        for (int i = 0; i < retiredPrev.size(); i++) {
            free.push(retiredPrev.get(i));
        }
        IntStack t = retiredPrev;
        t.clear();
        retiredPrev = retiredCur;
        retiredCur = t;
        staleClean.clear();
        commitSeq++;
        commits++;
    }

    private void writePage(int p) throws IOException {
        ByteBuffer b = page;
        b.clear();
        for (int i = 0; i < CacheGeometry.PAGE; i += 8) {
            b.putLong(i, 0);
        }
        b.putInt(0, PAGE_MAGIC);
        b.putInt(4, p);
        b.putLong(8, commitSeq);
        int first = p * CacheGeometry.ENTRIES_PER_PAGE;
        for (int i = 0; i < CacheGeometry.ENTRIES_PER_PAGE && first + i < geo.slots(); i++) {
            int s = first + i;
            byte st = state[s];
            if (st == EMPTY) {
                continue;
            }
            int at = CacheGeometry.PAGE_HEADER + i * CacheGeometry.ENTRY_BYTES;
            b.putLong(at, key[s]);
            b.putInt(at + 8, crc[s]);
            b.putInt(at + 12, stamp[s]);
            b.putShort(at + 16, (short) codeOf(cls[s]));
            b.put(at + 18, st);
            b.putLong(at + 24, seq[s]);
        }
        crc32c.reset();
        crc32c.update(b.slice(0, CacheGeometry.PAGE - 4));
        b.putInt(CacheGeometry.PAGE - 4, (int) crc32c.getValue());
        b.clear();
        fast.write(geo.pageOffset(p, pageCopy[p] ^ 1), b, false);
    }

    private void destageLoop() {
        long pauseUntil = 0;
        while (!closed) {
            lock.lock();
            try {
                while (!closed && (dirtyCount <= options.dirtyLowWatermark() * policy.capacity()
                        || System.nanoTime() < pauseUntil)) {
                    work.await(200, TimeUnit.MILLISECONDS);
                }
                if (closed) {
                    return;
                }
                destageBatch(DESTAGE_BATCH, false);
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                // the lines stay dirty (and durable in the cache); writers meet the error at the high watermark
                LOG.warn("background destage failed, retrying in 1 s: {}", e.getMessage());
                pauseUntil = System.nanoTime() + 1_000_000_000L;
            } finally {
                lock.unlock();
            }
        }
    }

    // ------------------------------------------------------------------ inspection

    /** Counters, per class and overall. */
    public LiveCacheStats stats() {
        lock.lock();
        try {
            int n = vocabulary.size();
            long[] occ = new long[n];
            long[] dirty = new long[n];
            long lines = 0;
            for (int s = 0; s < geo.slots(); s++) {
                if (state[s] != EMPTY && map.get(key[s]) == s) {
                    lines++;
                    if (cls[s] >= 0 && cls[s] < n) {
                        occ[cls[s]]++;
                        if (state[s] == DIRTY) {
                            dirty[cls[s]]++;
                        }
                    }
                }
            }
            ClassStats copy = new ClassStats();
            for (int c = 0; c < touchStats.classes(); c++) {
                copy.add(c, touchStats.touches(c), touchStats.hits(c), touchStats.readTouches(c), touchStats.readHits(c));
            }
            return new LiveCacheStats(copy, occ, dirty, Arrays.copyOf(bypassByClass, Math.max(n, bypassByClass.length)),
                    lines, dirtyCount, policy.capacity(), geo.slots(), bypassedSequential, verifyFailures,
                    corruptDirty, destaged, syncDestaged, destageErrors, fastReadErrors, poisoned, commits,
                    recoveredLines, recoveredDirty, droppedUnknown, recoveryMillis);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The lines of the cache, as {@code visitor(volume, block, ioClass, dirty)}, in slot order
     * (for {@code triage stat} and checks).
     */
    public void forEachLine(LineVisitor visitor) {
        lock.lock();
        try {
            for (int s = 0; s < geo.slots(); s++) {
                if (state[s] != EMPTY && map.get(key[s]) == s) {
                    visitor.line(volumeOf(key[s]), blockOf(key[s]), cls[s], state[s] == DIRTY);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Receives the lines of {@link #forEachLine}. */
    @FunctionalInterface
    public interface LineVisitor {
        void line(int volume, long block, int ioClass, boolean dirty);
    }

    /** The fast device the cache lives on. */
    public BlockDevice device() {
        return fast;
    }

    public CacheGeometry geometry() {
        return geo;
    }

    public UUID uuid() {
        return uuid;
    }

    public CachePolicy policy() {
        return policy;
    }

    public CacheMode mode() {
        return options.mode();
    }

    /**
     * Stops the destager and does nothing more, as if the process died here (for crash tests:
     * the devices are then crashed and the cache opened again).
     */
    void halt() {
        closed = true;
        if (destager != null) {
            lock.lock();
            try {
                work.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                destager.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the destager and commits. Dirty lines stay in the cache (they are durable). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (destager != null) {
            lock.lock();
            try {
                work.signalAll();
            } finally {
                lock.unlock();
            }
            try {
                destager.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            commitLocked();
        } finally {
            lock.unlock();
        }
    }

    /** A growable stack of ints. */
    static final class IntStack {
        private int[] a;
        private int n;

        IntStack(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void push(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int pop() {
            return a[--n];
        }

        int get(int i) {
            return a[i];
        }

        int size() {
            return n;
        }

        boolean isEmpty() {
            return n == 0;
        }

        void clear() {
            n = 0;
        }

        void removeValue(int v) {
            for (int i = 0; i < n; i++) {
                if (a[i] == v) {
                    a[i] = a[--n];
                    return;
                }
            }
        }
    }

    /** A ring of slot numbers in the order they became dirty (each slot at most once; stale ones are skipped). */
    static final class IntRing {
        private final int[] a;
        private int head;
        private int size;

        IntRing(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            a[(head + size) % a.length] = v;
            size++;
        }

        int poll() {
            int v = a[head];
            head = (head + 1) % a.length;
            size--;
            return v;
        }

        boolean isEmpty() {
            return size == 0;
        }
    }
}
