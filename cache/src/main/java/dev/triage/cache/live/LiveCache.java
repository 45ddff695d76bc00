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
 * <p>The on-disk layout and the crash rules are in {@code docs/live-cache.md}. In short: data
 * lines live in slots; a slot table (two copies per page) records each line's key, class,
 * state and data checksum; a commit (at flush, FUA, or when slots run out) flushes the data,
 * writes the changed table pages and flushes again. Recovery reads the header and the table
 * only, keeps clean and dirty lines with their classes, and verifies a line's checksum on its
 * first read.
 *
 * <p>Thread-safe: one lock serialises requests (simple and safe; the destager takes it per
 * batch).
 */
public final class LiveCache implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveCache.class);
    static final byte EMPTY = 0;
    static final byte CLEAN = 1;
    static final byte DIRTY = 2;
    private static final long NO_KEY = -1L;

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

    // slot table, in memory
    private final long[] key;
    private final int[] crc;
    private final int[] stamp;
    private final int[] cls; // vocabulary id
    private final byte[] state;
    private final byte[] durableState;
    private final long[] seq;
    private final boolean[] durable;
    private final boolean[] verified;
    private final boolean[] pageDirty;
    private final byte[] pageCopy;
    private final LongIntHashMap map;
    private final IntStack free;
    private IntStack retiredCur = new IntStack(64);
    private IntStack retiredPrev = new IntStack(64);
    private final IntRing dirtyQueue;
    private long dirtyCount;
    private long commitSeq = 1;
    private int clock;

    // class codes stored on the device
    private final List<String> codeNames = new ArrayList<>();
    private int[] codeOfClass = new int[0];
    private boolean headerChanged;

    // evictions reported by the policy during one access
    private long[] evicted = new long[16];
    private int evictedCount;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Thread destager;
    private volatile boolean closed;
    private IOException destageFailure;

    private final Touch touch = new Touch();
    private final ByteBuffer line;
    private final ByteBuffer line2;
    private final ByteBuffer page;
    private final CRC32C crc32c = new CRC32C();
    private final SequentialDetector sequential;
    private final boolean[] slowWritten = new boolean[1 << 16];

    // statistics
    private final ClassStats touchStats = new ClassStats();
    private long bypassedSequential;
    private long verifyFailures;
    private long corruptDirty;
    private long destaged;
    private long syncDestaged;
    private long commits;
    private long recoveredLines;
    private long recoveredDirty;
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
        long reserve = Math.max(8, Math.min(slots / 8, Math.max(64, slots / 16)));
        long capacity = Math.max(0, slots - reserve);
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
        durable = new boolean[slots];
        verified = new boolean[slots];
        pageDirty = new boolean[geo.pages()];
        pageCopy = new byte[geo.pages()];
        map = new LongIntHashMap((int) Math.min(Integer.MAX_VALUE / 2, Math.max(16, capacity)));
        free = new IntStack(slots);
        dirtyQueue = new IntRing(slots);
        line = Buffers.allocateAligned(bs, Math.max(4096, fast.alignment()));
        line2 = Buffers.allocateAligned(bs, Math.max(4096, fast.alignment()));
        page = Buffers.allocateAligned(CacheGeometry.PAGE, Math.max(4096, fast.alignment())).order(ByteOrder.LITTLE_ENDIAN);
        sequential = new SequentialDetector(options.sequentialBypassBytes());
        if (options.mode() == CacheMode.WRITE_BACK && options.backgroundDestage()) {
            destager = Thread.ofPlatform().daemon().name("triage-destager").unstarted(this::destageLoop);
        } else {
            destager = null;
        }
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
        } finally {
            c.lock.unlock();
        }
        c.start();
        LOG.info("formatted cache on {}: {} slots of {} B, policy {} ({} blocks), {}", fast.describe(), geo.slots(),
                blockSize, options.policy(), c.policy.capacity(), options.mode());
        return c;
    }

    /** Opens a formatted cache, recovering its lines (clean and dirty, with their classes). */
    public static LiveCache open(BlockDevice fast, Options options, IntFunction<Backing> backings) throws IOException {
        long t0 = System.nanoTime();
        ByteBuffer b = Buffers.allocateAligned(CacheGeometry.PAGE, Math.max(4096, fast.alignment()));
        CacheHeader best = null;
        int bestCopy = 0;
        for (int copy = 0; copy < CacheGeometry.HEADER_COPIES; copy++) {
            b.clear();
            fast.read((long) copy * CacheGeometry.PAGE, b);
            CacheHeader h = CacheHeader.decode(b.clear());
            if (h != null && (best == null || h.seq() > best.seq())) {
                best = h;
                bestCopy = copy;
            }
        }
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
            c.recover(bestCopy);
        } finally {
            c.lock.unlock();
        }
        c.recoveryMillis = (System.nanoTime() - t0) / 1e6;
        c.start();
        LOG.info("opened cache on {}: {} lines recovered ({} dirty) in {} ms", fast.describe(), c.recoveredLines,
                c.recoveredDirty, String.format("%.1f", c.recoveryMillis));
        return c;
    }

    private void start() {
        if (destager != null) {
            destager.start();
        }
    }

    // ------------------------------------------------------------------ recovery

    private void recover(int headerCopy) throws IOException {
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
                // neither copy valid: the page was never written completely; its lines are lost (all clean
                // or unflushed, see docs/live-cache.md)
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
                seq[s] = page.getLong(at + 24);
                durable[s] = true;
            }
        }
        commitSeq = maxSeq + 1;
        for (int i = 0; i < codeNames.size(); i++) {
            codeOf(vocabulary.intern(codeNames.get(i)));
        }
        // resolve duplicates (a torn commit): the higher commit sequence wins
        List<Integer> live = new ArrayList<>();
        for (int s = 0; s < slots; s++) {
            if (state[s] == EMPTY) {
                continue;
            }
            int other = map.get(key[s]);
            if (other == LongIntHashMap.MISSING) {
                map.put(key[s], s);
                live.add(s);
            } else {
                int loser = seq[s] > seq[other] ? other : s;
                int winner = loser == s ? other : s;
                map.put(key[s], winner);
                if (winner == s) {
                    live.set(live.indexOf(other), s);
                }
                dropEntry(loser);
                retiredPrev.push(loser);
            }
        }
        for (int s = slots - 1; s >= 0; s--) {
            if (state[s] == EMPTY && !retiredPrev.contains(s)) {
                free.push(s);
            }
        }
        // rebuild the policy in access order; lines it declines are dropped (dirty ones destaged first)
        live.sort((a, b) -> Integer.compareUnsigned(stamp[a], stamp[b]));
        List<Integer> declined = new ArrayList<>();
        for (int s : live) {
            clock = Math.max(clock, stamp[s]);
            touch.set(key[s], cls[s], false);
            touch.flags = 0;
            touch.requestBlocks = 1;
            policy.access(touch);
            if (!policy.contains(key[s])) {
                declined.add(s);
            }
            if (state[s] == DIRTY) {
                dirtyCount++;
                dirtyQueue.add(s);
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

    private static final int PAGE_MAGIC = 0x544c5354; // "TSLT"

    // ------------------------------------------------------------------ requests

    /** Reads {@code dst.remaining()} bytes of a volume at {@code offset} through the cache. */
    public void read(int volume, long offset, ByteBuffer dst, int ioClass) throws IOException {
        checkRange(offset, dst.remaining());
        Backing backing = backing(volume);
        lock.lock();
        try {
            failIfDestageBroke();
            long length = dst.remaining();
            boolean bypass = sequential.sequential(volume, offset, length);
            long first = offset >>> shift;
            long last = (offset + length - 1) >>> shift;
            for (long vb = first; vb <= last; vb++) {
                long k = TouchExpander.key(volume, vb);
                long blockStart = vb << shift;
                int from = (int) Math.max(0, offset - blockStart);
                int to = (int) Math.min(bs, offset + length - blockStart);
                if (bypass && !map.containsKey(k)) {
                    bypassedSequential++;
                    readSlow(backing, blockStart, from, to, dst);
                    continue;
                }
                touch(k, ioClass, false, (int) (last - first + 1));
                boolean hit = policy.access(touch);
                touchStats.record(ioClass, false, hit);
                processEvictions();
                int s = map.get(k);
                if (hit && s != LongIntHashMap.MISSING && readLine(s)) {
                    stamp[s] = clock;
                    copyOut(line, from, to, dst);
                    continue;
                }
                // miss (or a line that failed verification): from the slow side
                line.clear();
                backing.read(blockStart, line);
                if (policy.contains(k)) {
                    s = map.get(k);
                    if (s == LongIntHashMap.MISSING) {
                        s = allocSlot();
                    }
                    writeLine(s, k, ioClass, CLEAN, line);
                }
                copyOut(line, from, to, dst);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes {@code src.remaining()} bytes of a volume at {@code offset} through the cache. */
    public void write(int volume, long offset, ByteBuffer src, int ioClass, boolean fua) throws IOException {
        checkRange(offset, src.remaining());
        Backing backing = backing(volume);
        lock.lock();
        try {
            failIfDestageBroke();
            long length = src.remaining();
            CacheMode mode = modeOf(ioClass);
            boolean around = writeModeOf(ioClass) == WriteMode.WRITE_AROUND
                    || (sequential.sequential(volume, offset, length) && mode == CacheMode.WRITE_THROUGH);
            long first = offset >>> shift;
            long last = (offset + length - 1) >>> shift;
            int srcPos = src.position();
            boolean flushFastFirst = false;
            boolean slowTouched = false;
            for (long vb = first; vb <= last; vb++) {
                long k = TouchExpander.key(volume, vb);
                long blockStart = vb << shift;
                int from = (int) Math.max(0, offset - blockStart);
                int to = (int) Math.min(bs, offset + length - blockStart);
                int srcFrom = (int) (blockStart + from - offset) + srcPos;
                if (around) {
                    // write-around (a class's mode, or a sequential stream in write-through): the slow side only
                    invalidate(k);
                    slowTouched = true;
                    bypassedSequential++;
                    continue;
                }
                touch(k, ioClass, true, (int) (last - first + 1));
                boolean hit = policy.access(touch);
                touchStats.record(ioClass, true, hit);
                processEvictions();
                int s = map.get(k);
                boolean partial = from != 0 || to != bs;
                if (partial && policy.contains(k)) {
                    // the rest of the line: from the cache, or from the slow side
                    if (s == LongIntHashMap.MISSING || !readLine(s)) {
                        s = map.get(k); // MISSING when the line failed verification (then it is no longer cached)
                        line.clear();
                        backing.read(blockStart, line);
                    }
                }
                if (!policy.contains(k)) {
                    // declined (or dropped): the slow side only
                    dropLine(k);
                    if (mode == CacheMode.WRITE_THROUGH) {
                        slowTouched = true;
                    } else {
                        writeSlowBlock(backing, blockStart, from, to, src, srcFrom, ioClass);
                        markSlowWritten(volume);
                    }
                    continue;
                }
                line.clear();
                line.put(from, src, srcFrom, to - from);
                boolean durableDirty = s != LongIntHashMap.MISSING && durable[s] && durableState[s] == DIRTY;
                if (mode == CacheMode.WRITE_THROUGH) {
                    if (durableDirty) {
                        int old = s;
                        s = allocSlot();
                        supersede(old); // rule 4: never overwrite the only durable copy in place
                    } else if (s == LongIntHashMap.MISSING) {
                        s = allocSlot();
                    } else if (durable[s]) {
                        flushFastFirst = true; // rule 5: the line reaches the fast device before the slow side
                    }
                    writeLine(s, k, ioClass, CLEAN, line);
                    slowTouched = true;
                } else {
                    if (s != LongIntHashMap.MISSING && durable[s]) {
                        int old = s;
                        s = allocSlot();
                        supersede(old); // rule 4
                    } else if (s == LongIntHashMap.MISSING) {
                        s = allocSlot();
                    }
                    writeLine(s, k, ioClass, DIRTY, line);
                    if (dirtyCount >= options.dirtyHighWatermark() * policy.capacity()) {
                        destageBatch(64, true);
                    } else if (destager != null && dirtyCount >= options.dirtyLowWatermark() * policy.capacity()) {
                        work.signal();
                    }
                }
            }
            if (flushFastFirst) {
                fast.flush();
            }
            if (slowTouched) {
                ByteBuffer whole = src.duplicate();
                whole.position(srcPos).limit(srcPos + (int) length);
                backing.write(offset, whole, ioClass, fua);
                markSlowWritten(volume);
            }
            if (fua) {
                flushSlow(volume, backing);
                commitLocked();
            }
            src.position(srcPos + (int) length);
        } finally {
            lock.unlock();
        }
    }

    /** Discards a range: cached lines go, the slow side frees it. */
    public void discard(int volume, long offset, long length) throws IOException {
        checkRange(offset, length);
        Backing backing = backing(volume);
        lock.lock();
        try {
            invalidateRange(volume, offset, length);
            backing.discard(offset, length);
            markSlowWritten(volume);
        } finally {
            lock.unlock();
        }
    }

    /** Zeroes a range: cached lines go (partial lines are written as zeros), the slow side zeroes it. */
    public void writeZeroes(int volume, long offset, long length, boolean fua) throws IOException {
        checkRange(offset, length);
        Backing backing = backing(volume);
        lock.lock();
        try {
            invalidateRange(volume, offset, length);
            backing.writeZeroes(offset, length, fua);
            markSlowWritten(volume);
            if (fua) {
                flushSlow(volume, backing);
                commitLocked();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes every acknowledged write to the volume durable: the slow side's flush, then a
     * commit of the cache (its dirty lines are durable on the fast device).
     */
    public void flush(int volume) throws IOException {
        Backing backing = backing(volume);
        lock.lock();
        try {
            failIfDestageBroke();
            flushSlow(volume, backing);
            commitLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Forgets every line of a volume (it was deleted), durably. */
    public void dropVolume(int volume) throws IOException {
        lock.lock();
        try {
            long lo = TouchExpander.key(volume, 0);
            long hi = TouchExpander.key(volume + 1, 0);
            for (int s = 0; s < geo.slots(); s++) {
                if (state[s] != EMPTY && key[s] >= lo && key[s] < hi && map.get(key[s]) == s) {
                    policy.remove(key[s]);
                    map.remove(key[s]);
                    if (state[s] == DIRTY) {
                        dirtyCount--;
                    }
                    dropEntry(s);
                    retiredPrev.push(s);
                }
            }
            commitLocked();
            commitLocked();
        } finally {
            lock.unlock();
        }
    }

    /** Destages every dirty line (for a clean detach, or a test). */
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

    private Backing backing(int volume) throws IOException {
        if (volume < 0 || volume >= (1 << 16)) {
            throw new IllegalArgumentException("volume id " + volume + " out of range");
        }
        Backing b = backings.apply(volume);
        if (b == null) {
            throw new IOException("no volume with id " + volume);
        }
        return b;
    }

    private void checkRange(long offset, long length) {
        if (offset < 0 || length < 0 || (offset & 511) != 0 || (length & 511) != 0) {
            throw new IllegalArgumentException("request " + offset + "+" + length + " is not 512-byte aligned");
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
        dst.put(lineBuf.slice(from, to - from));
    }

    private void readSlow(Backing backing, long blockStart, int from, int to, ByteBuffer dst) throws IOException {
        line.clear();
        backing.read(blockStart, line);
        copyOut(line, from, to, dst);
    }

    private void writeSlowBlock(Backing backing, long blockStart, int from, int to, ByteBuffer src, int srcFrom,
            int ioClass) throws IOException {
        if (from == 0 && to == bs) {
            backing.write(blockStart, src.slice(srcFrom, bs), ioClass, false);
        } else {
            line2.clear();
            backing.read(blockStart, line2);
            line2.clear();
            line2.put(from, src, srcFrom, to - from);
            backing.write(blockStart, line2.clear(), ioClass, false);
        }
    }

    /** Reads slot {@code s} into {@link #line}; false (and the line dropped) when verification fails. */
    private boolean readLine(int s) throws IOException {
        line.clear();
        fast.read(geo.slotOffset(s), line);
        line.clear();
        if (verified[s]) {
            return true;
        }
        if (checksum(line) == crc[s]) {
            verified[s] = true;
            return true;
        }
        verifyFailures++;
        if (state[s] == DIRTY) {
            corruptDirty++;
            throw new IOException("cache line of block " + (key[s] & ((1L << TouchExpander.BLOCK_BITS) - 1))
                    + " of volume " + ((key[s] >>> TouchExpander.BLOCK_BITS) - 1)
                    + " fails its checksum: its data, not yet on the slow device, is corrupt (EIO)");
        }
        // a clean line whose slot was reused before a crash: it is simply not there any more
        long k = key[s];
        policy.remove(k);
        map.remove(k);
        dropEntry(s);
        free.push(s);
        return false;
    }

    private int checksum(ByteBuffer data) {
        crc32c.reset();
        crc32c.update(data.duplicate().clear());
        return (int) crc32c.getValue();
    }

    private void writeLine(int s, long k, int ioClass, byte st, ByteBuffer data) throws IOException {
        data.clear();
        fast.write(geo.slotOffset(s), data, false);
        data.clear();
        if (state[s] == DIRTY) {
            dirtyCount--;
        }
        key[s] = k;
        crc[s] = checksum(data);
        cls[s] = ioClass;
        codeOf(ioClass);
        stamp[s] = clock;
        state[s] = st;
        seq[s] = commitSeq;
        durable[s] = false;
        verified[s] = true;
        pageDirty[s / CacheGeometry.ENTRIES_PER_PAGE] = true;
        map.put(k, s);
        if (st == DIRTY) {
            dirtyCount++;
            dirtyQueue.add(s);
        }
    }

    private void dropEntry(int s) {
        key[s] = NO_KEY;
        state[s] = EMPTY;
        durable[s] = false;
        verified[s] = false;
        pageDirty[s / CacheGeometry.ENTRIES_PER_PAGE] = true;
    }

    /** A line was rewritten into a new slot: the old one stays on the device until the new one is durable. */
    private void supersede(int old) {
        if (state[old] == DIRTY) {
            dirtyCount--;
        }
        // keep the durable entry as it is (not counted: the key now belongs to the new slot); it is
        // cleared one commit after the new copy is durable
        state[old] = durableState[old];
        retiredCur.push(old);
    }

    /** Removes a block from the cache and from the policy (a discard, as the simulator does, or write-around). */
    private void invalidate(long k) {
        policy.remove(k);
        dropLine(k);
    }

    /** Removes a block's line, if any, leaving the policy alone (it no longer holds the block). */
    private void dropLine(long k) {
        int s = map.get(k);
        if (s == LongIntHashMap.MISSING) {
            return;
        }
        map.remove(k);
        if (state[s] == DIRTY) {
            dirtyCount--;
        }
        boolean wasDurable = durable[s] && durableState[s] != EMPTY;
        dropEntry(s);
        if (wasDurable) {
            retiredPrev.push(s); // cleared at the next commit, reusable after it
        } else {
            free.push(s);
        }
    }

    private void invalidateRange(int volume, long offset, long length) {
        if (length == 0) {
            return;
        }
        long first = offset >>> shift;
        long last = (offset + length - 1) >>> shift;
        for (long vb = first; vb <= last; vb++) {
            invalidate(TouchExpander.key(volume, vb));
        }
    }

    private int allocSlot() throws IOException {
        for (int attempt = 0; free.isEmpty() && attempt < 3; attempt++) {
            commitLocked();
        }
        if (free.isEmpty()) {
            throw new IllegalStateException("no free cache slot after commits: map " + map.size() + ", capacity "
                    + policy.capacity() + ", slots " + geo.slots());
        }
        return free.pop();
    }

    private void processEvictions() throws IOException {
        while (evictedCount > 0) {
            long k = evicted[--evictedCount];
            evictKey(k);
        }
    }

    /** Rule 6: a dirty line is destaged before its slot can be reused; never a bypass. */
    private void evictKey(long k) throws IOException {
        int s = map.get(k);
        if (s == LongIntHashMap.MISSING) {
            return;
        }
        if (state[s] == DIRTY) {
            destageSlot(s);
            flushSlow((int) ((k >>> TouchExpander.BLOCK_BITS) - 1), null);
            syncDestaged++;
        }
        map.remove(k); // the policy has already let it go (its ghost history stays)
        boolean durableDirty = durable[s] && durableState[s] == DIRTY;
        dropEntry(s);
        if (durableDirty) {
            retiredPrev.push(s);
        } else {
            free.push(s);
        }
    }

    /** Writes a dirty line to the slow side (not yet flushed there) and marks it clean. */
    private void destageSlot(int s) throws IOException {
        int volume = (int) ((key[s] >>> TouchExpander.BLOCK_BITS) - 1);
        long vb = key[s] & ((1L << TouchExpander.BLOCK_BITS) - 1);
        Backing b = backing(volume);
        if (!readLine(s)) {
            return;
        }
        b.write(vb << shift, line, cls[s], false);
        markSlowWritten(volume);
        state[s] = CLEAN;
        durable[s] = false;
        pageDirty[s / CacheGeometry.ENTRIES_PER_PAGE] = true;
        dirtyCount--;
        destaged++;
    }

    /** Destages up to {@code max} of the oldest dirty lines, then flushes the slow side. */
    private int destageBatch(int max, boolean sync) throws IOException {
        int done = 0;
        while (done < max && !dirtyQueue.isEmpty()) {
            int s = dirtyQueue.poll();
            if (state[s] != DIRTY || map.get(key[s]) != s) {
                continue;
            }
            destageSlot(s);
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
        slowWritten[volume] = true;
    }

    private void flushSlow(int volume, Backing backing) throws IOException {
        if (slowWritten[volume]) {
            (backing != null ? backing : backing(volume)).flush();
            slowWritten[volume] = false;
        }
    }

    private void flushAllSlow() throws IOException {
        for (int v = 0; v < slowWritten.length; v++) {
            if (slowWritten[v]) {
                flushSlow(v, null);
            }
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
                    return codeOf(vocabulary.unclassified());
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

    /** Rule 1 of docs/live-cache.md. */
    private void commitLocked() throws IOException {
        fast.flush();
        if (headerChanged) {
            writeHeader();
            fast.flush();
            headerChanged = false;
        }
        for (int i = 0; i < retiredPrev.size(); i++) {
            int s = retiredPrev.get(i);
            if (state[s] != EMPTY && map.get(key[s]) != s) {
                dropEntry(s);
            } else if (state[s] == EMPTY) {
                pageDirty[s / CacheGeometry.ENTRIES_PER_PAGE] = true;
            }
        }
        for (int p = 0; p < geo.pages(); p++) {
            if (pageDirty[p]) {
                writePage(p);
            }
        }
        fast.flush();
        for (int p = 0; p < geo.pages(); p++) {
            if (pageDirty[p]) {
                pageDirty[p] = false;
                int first = p * CacheGeometry.ENTRIES_PER_PAGE;
                int end = Math.min(geo.slots(), first + CacheGeometry.ENTRIES_PER_PAGE);
                for (int s = first; s < end; s++) {
                    durableState[s] = state[s];
                    durable[s] = state[s] != EMPTY;
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
            // a superseded slot keeps its durable entry until it is cleared
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
        CRC32C c = new CRC32C();
        c.update(b.slice(0, CacheGeometry.PAGE - 4));
        b.putInt(CacheGeometry.PAGE - 4, (int) c.getValue());
        int copy = pageCopy[p] ^ 1;
        b.clear();
        fast.write(geo.pageOffset(p, copy), b, false);
        pageCopy[p] = (byte) copy;
    }

    private void failIfDestageBroke() throws IOException {
        if (destageFailure != null) {
            IOException e = destageFailure;
            destageFailure = null;
            throw new IOException("background destage failed: " + e.getMessage(), e);
        }
    }

    private void destageLoop() {
        while (!closed) {
            lock.lock();
            try {
                while (!closed && dirtyCount < options.dirtyLowWatermark() * policy.capacity()) {
                    work.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                if (closed) {
                    return;
                }
                destageBatch(64, false);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.error("destage failed: {}", e.getMessage());
                destageFailure = e;
                try {
                    work.await(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    return;
                }
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
            return new LiveCacheStats(copy, occ, dirty, lines, dirtyCount, policy.capacity(), geo.slots(),
                    bypassedSequential, verifyFailures, corruptDirty, destaged, syncDestaged, commits, recoveredLines,
                    recoveredDirty, recoveryMillis);
        } finally {
            lock.unlock();
        }
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

    /** Stops the destager and commits. Dirty lines stay in the cache (they are durable). */
    @Override
    public void close() throws IOException {
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

        boolean contains(int v) {
            for (int i = 0; i < n; i++) {
                if (a[i] == v) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A ring of slot numbers in the order they became dirty (stale entries are skipped when polled). */
    static final class IntRing {
        private int[] a;
        private int head;
        private int size;

        IntRing(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (size == a.length) {
                int[] b = new int[a.length * 2];
                for (int i = 0; i < size; i++) {
                    b[i] = a[(head + i) % a.length];
                }
                a = b;
                head = 0;
            }
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
