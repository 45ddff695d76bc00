package dev.triage.placement;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A thin volume of a {@link Pool}: a virtual disk of {@link #size()} bytes whose blocks are
 * mapped to physical blocks of the pool on first write, in the zone of the written class.
 *
 * <p>Guarantees: a request is bounds-checked against the volume; a block never written (or
 * discarded, or zeroed) reads as zeros without touching the device; a physical block is fully
 * written with this volume's data before it is mapped, so no volume ever reads another's
 * old data; once {@link #flush()} (or a FUA write) returns, every write before it reads back
 * exactly after any crash. Overwrites of a mapped block go in place (as on a plain disk: an
 * unflushed overwrite may be lost or torn) unless the block's class now belongs in another
 * zone, in which case the block moves there (copy-on-write).
 *
 * <p>Thread-safe: requests to one volume are serialized by the volume's lock; requests to
 * different volumes run in parallel; commits (flush, FUA) briefly stop all volumes.
 */
public final class Volume {
    private static final int B = PoolFormat.BLOCK;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(B).asReadOnlyBuffer();

    private final Pool pool;
    final int id;
    final String name;
    long sizeBytes;
    final VolumeMap map;
    /** Mapped blocks per (class code, zone): index {@code code * zones + zone}. */
    final long[] classZone;
    private final int zones;
    /** Data blocks unmapped since the last commit (reusable once that commit is durable). */
    final LongList freedBlocks = new LongList();
    /** Metadata pages of removed map nodes since the last commit. */
    final LongList freedPages = new LongList();
    final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer scratch = PoolFormat.newBuffer(B);
    private final LongList scratchList = new LongList();
    volatile boolean deleted;

    Volume(Pool pool, int id, String name, long sizeBytes, VolumeMap map, int zones) {
        this.pool = pool;
        this.id = id;
        this.name = name;
        this.sizeBytes = sizeBytes;
        this.map = map;
        this.zones = zones;
        this.classZone = new long[256 * zones];
    }

    public String name() {
        return name;
    }

    /** The volume's id in the pool (unique for the pool's life; never reused). */
    public int id() {
        return id;
    }

    /** Virtual size in bytes. */
    public long size() {
        lock.lock();
        try {
            return sizeBytes;
        } finally {
            lock.unlock();
        }
    }

    public Pool pool() {
        return pool;
    }

    private void checkRange(long offset, long length) throws PoolException {
        if (deleted) {
            throw new PoolException(PoolException.Kind.GONE, "volume " + name + " was deleted");
        }
        if (offset < 0 || length < 0 || offset > sizeBytes - length) {
            throw new PoolException(PoolException.Kind.INVALID, "volume " + name + ": request [" + offset + ", "
                    + (offset + length) + ") is beyond its size " + sizeBytes);
        }
    }

    /** Reads {@code dst.remaining()} bytes at {@code offset}; unmapped blocks read as zeros. */
    public void read(long offset, ByteBuffer dst) throws IOException {
        pool.enter();
        lock.lock();
        try {
            checkRange(offset, dst.remaining());
            long pos = offset;
            long runPhys = -1;
            int runBlocks = 0;
            int runIn = 0;
            int runDst = 0;
            int runBytes = 0;
            while (dst.hasRemaining()) {
                long vb = pos >>> PoolFormat.BLOCK_SHIFT;
                int in = (int) (pos & (B - 1));
                int n = Math.min(B - in, dst.remaining());
                long e = map.get(vb);
                if (runBlocks > 0 && (e == 0 || PoolFormat.phys(e) != runPhys + runBlocks || runBlocks == RUN_BLOCKS)) {
                    readRun(runPhys, runBlocks, runIn, dst, runDst, runBytes);
                    runBlocks = 0;
                }
                if (e == 0) {
                    dst.put(dst.position(), ZEROS, 0, n);
                } else {
                    if (runBlocks == 0) {
                        runPhys = PoolFormat.phys(e);
                        runIn = in;
                        runDst = dst.position();
                        runBytes = 0;
                    }
                    runBlocks++;
                    runBytes += n;
                }
                dst.position(dst.position() + n);
                pos += n;
            }
            if (runBlocks > 0) {
                readRun(runPhys, runBlocks, runIn, dst, runDst, runBytes);
            }
        } finally {
            lock.unlock();
            pool.exit();
        }
    }

    private void readRun(long phys, int blocks, int in, ByteBuffer dst, int dstPos, int bytes) throws IOException {
        ByteBuffer st = staging.clear().limit(blocks * B);
        pool.dev.read(phys * B, st);
        dst.put(dstPos, staging, in, bytes);
    }

    /** Writes unclassified data; see {@link #write(long, ByteBuffer, int, boolean)}. */
    public void write(long offset, ByteBuffer src, boolean fua) throws IOException {
        write(offset, src, -1, fua);
    }

    /**
     * Writes {@code src.remaining()} bytes at {@code offset} as data of class {@code classId}
     * (an id of the pool's {@link dev.triage.hints.ClassVocabulary}; negative for
     * unclassified). With {@code fua} the write (and everything before it) is durable on
     * return. On a device error the exception propagates; blocks of the request written
     * before the failing device write are mapped, the others keep their old mapping (a block
     * overwritten in place reads as the device left it).
     */
    public void write(long offset, ByteBuffer src, int classId, boolean fua) throws IOException {
        pool.enter();
        lock.lock();
        try {
            checkRange(offset, src.remaining());
            int code = pool.classCode(classId);
            int zone = pool.zoneFor(classId);
            long pos = offset;
            long hint = -1;
            runBlocks = 0;
            try {
                while (src.hasRemaining()) {
                    long vb = pos >>> PoolFormat.BLOCK_SHIFT;
                    int in = (int) (pos & (B - 1));
                    int n = Math.min(B - in, src.remaining());
                    hint = stageBlock(vb, in, n, src, code, zone, hint);
                    pos += n;
                }
                writeRun();
            } catch (IOException | RuntimeException ex) {
                abandonRun();
                throw ex;
            }
        } finally {
            lock.unlock();
            pool.exit();
        }
        if (fua) {
            pool.commit();
        }
    }

    // The run being staged: consecutive physical blocks, written with one device write, then mapped.
    private static final int RUN_BLOCKS = 32;
    private static final byte IN_PLACE = 0;
    private static final byte NEW = 1;
    private static final byte MOVE = 2;
    private final ByteBuffer staging = PoolFormat.newBuffer(RUN_BLOCKS * B);
    private final long[] runVb = new long[RUN_BLOCKS];
    private final long[] runOld = new long[RUN_BLOCKS];
    private final byte[] runKind = new byte[RUN_BLOCKS];
    private final int[] runCode = new int[RUN_BLOCKS];
    private long runStart;
    private int runBlocks;
    private int runReserved;

    /** Stages one block's part of a write; returns the physical block + 1 (allocation hint). */
    private long stageBlock(long vb, int in, int n, ByteBuffer src, int code, int zone, long hint) throws IOException {
        long e = map.get(vb);
        long target;
        byte kind;
        int need = 0;
        if (e != 0) {
            long p = PoolFormat.phys(e);
            target = p;
            kind = IN_PLACE;
            if (pool.alloc.zoneOf(p) != zone) {
                long q = pool.alloc.allocate(zone, hint);
                if (q >= 0) {
                    target = q;
                    kind = MOVE;
                }
            }
        } else {
            // a block staged just before in the same leaf has reserved (and will create) its path
            boolean pathStaged = runBlocks > 0 && runVb[runBlocks - 1] / PoolFormat.FANOUT == vb / PoolFormat.FANOUT;
            need = pathStaged ? 0 : map.nodesNeeded(vb);
            pool.reserveNodes(need);
            try {
                target = pool.allocate(zone, hint);
            } catch (PoolException ex) {
                pool.releaseNodes(need);
                writeRun(); // what was staged before the pool filled up is written and mapped
                throw ex;
            }
            kind = NEW;
        }
        if (runBlocks > 0 && (target != runStart + runBlocks || runBlocks == RUN_BLOCKS)) {
            try {
                writeRun();
            } catch (IOException | RuntimeException ex) {
                if (kind != IN_PLACE) {
                    pool.alloc.free(target);
                }
                pool.releaseNodes(need);
                throw ex;
            }
        }
        if (runBlocks == 0) {
            runStart = target;
        }
        int k = runBlocks++;
        runVb[k] = vb;
        runOld[k] = e;
        runKind[k] = kind;
        runCode[k] = code;
        runReserved += need;
        int slot = k * B;
        if (n < B) {
            if (e != 0) {
                pool.dev.read(PoolFormat.phys(e) * B, staging.clear().position(slot).limit(slot + B));
            } else {
                for (int i = 0; i < B; i += 8) {
                    staging.putLong(slot + i, 0);
                }
            }
        }
        staging.clear().put(slot + in, src, src.position(), n);
        src.position(src.position() + n);
        return target + 1;
    }

    /** Writes the staged run to the device, then maps its blocks. */
    private void writeRun() throws IOException {
        if (runBlocks == 0) {
            return;
        }
        pool.dev.write(runStart * B, staging.clear().limit(runBlocks * B), false);
        long nodesBefore = map.nodeCount();
        for (int k = 0; k < runBlocks; k++) {
            long q = runStart + k;
            long e = runOld[k];
            int code = runCode[k];
            switch (runKind[k]) {
                case NEW -> {
                    map.set(runVb[k], q, code);
                    classZone[code * zones + pool.alloc.zoneOf(q)]++;
                }
                case MOVE -> {
                    map.set(runVb[k], q, code);
                    freedBlocks.add(PoolFormat.phys(e));
                    classZone[PoolFormat.classCode(e) * zones + pool.alloc.zoneOf(PoolFormat.phys(e))]--;
                    classZone[code * zones + pool.alloc.zoneOf(q)]++;
                }
                default -> {
                    int oldCode = PoolFormat.classCode(e);
                    if (oldCode != code) {
                        int z = pool.alloc.zoneOf(q);
                        map.setClass(runVb[k], code);
                        classZone[oldCode * zones + z]--;
                        classZone[code * zones + z]++;
                    }
                }
            }
        }
        pool.releaseNodes(runReserved - (map.nodeCount() - nodesBefore));
        runReserved = 0;
        runBlocks = 0;
    }

    /** After a failed device write: frees the run's fresh blocks (never mapped) and reservations. */
    private void abandonRun() {
        for (int k = 0; k < runBlocks; k++) {
            if (runKind[k] != IN_PLACE) {
                pool.alloc.free(runStart + k);
            }
        }
        pool.releaseNodes(runReserved);
        runReserved = 0;
        runBlocks = 0;
    }

    /**
     * Discards whole blocks in the range (they read as zeros and their space is freed once the
     * next commit is durable); parts of blocks at either end are left as they are.
     */
    public void discard(long offset, long length) throws IOException {
        pool.enter();
        lock.lock();
        try {
            checkRange(offset, length);
            long first = (offset + B - 1) >>> PoolFormat.BLOCK_SHIFT;
            long end = (offset + length) >>> PoolFormat.BLOCK_SHIFT;
            unmap(first, end);
        } finally {
            lock.unlock();
            pool.exit();
        }
    }

    /** Makes the range read as zeros: whole blocks are unmapped, partial ones zeroed in place. */
    public void writeZeroes(long offset, long length, boolean fua) throws IOException {
        pool.enter();
        lock.lock();
        try {
            checkRange(offset, length);
            long end = offset + length;
            long firstFull = (offset + B - 1) >>> PoolFormat.BLOCK_SHIFT;
            long endFull = end >>> PoolFormat.BLOCK_SHIFT;
            if (firstFull > endFull) {
                zeroPart(offset, end);
            } else {
                zeroPart(offset, Math.min(end, firstFull << PoolFormat.BLOCK_SHIFT));
                unmap(firstFull, endFull);
                zeroPart(Math.max(offset, endFull << PoolFormat.BLOCK_SHIFT), end);
            }
        } finally {
            lock.unlock();
            pool.exit();
        }
        if (fua) {
            pool.commit();
        }
    }

    private void zeroPart(long from, long to) throws IOException {
        if (from >= to) {
            return;
        }
        long vb = from >>> PoolFormat.BLOCK_SHIFT;
        long e = map.get(vb);
        if (e == 0) {
            return;
        }
        long p = PoolFormat.phys(e);
        scratch.clear();
        pool.dev.read(p * B, scratch);
        int in = (int) (from & (B - 1));
        for (int i = 0; i < to - from; i++) {
            scratch.put(in + i, (byte) 0);
        }
        scratch.clear();
        pool.dev.write(p * B, scratch, false);
    }

    /** Unmaps every mapped block in [first, end). Caller holds the lock. */
    void unmap(long first, long end) {
        if (first >= end) {
            return;
        }
        LongList vbs = scratchList;
        vbs.clear();
        map.forEachMapped(first, end, (vb, phys, code) -> vbs.add(vb));
        long nodesBefore = map.nodeCount();
        for (int i = 0; i < vbs.size(); i++) {
            long e = map.remove(vbs.get(i), freedPages);
            long p = PoolFormat.phys(e);
            freedBlocks.add(p);
            classZone[PoolFormat.classCode(e) * zones + pool.alloc.zoneOf(p)]--;
        }
        pool.releaseNodes(nodesBefore - map.nodeCount());
        vbs.clear();
    }

    /** Makes every write before it durable (commits the pool). */
    public void flush() throws IOException {
        pool.commit();
    }

    /**
     * The map entry of virtual block {@code vb}: 0 when unmapped, else physical block and
     * class code as {@link #physOf} and {@link #classOf} decode them.
     */
    public long mapping(long vb) {
        lock.lock();
        try {
            return vb < 0 || vb >= (sizeBytes >>> PoolFormat.BLOCK_SHIFT) ? 0 : map.get(vb);
        } finally {
            lock.unlock();
        }
    }

    public static long physOf(long mapping) {
        return PoolFormat.phys(mapping);
    }

    public static int classOf(long mapping) {
        return PoolFormat.classCode(mapping);
    }

    /**
     * Reports the range as extents of equal status (allocated or not, class, zone), for NBD
     * block status. Class codes and zone indexes name through {@link Pool#className} and
     * {@link Pool#zones}; an unallocated extent has class -1 and zone -1 and reads as zeros.
     */
    public void extents(long offset, long length, ExtentSink sink) throws IOException {
        pool.enter();
        lock.lock();
        try {
            checkRange(offset, length);
            long end = offset + length;
            long runStart = offset;
            int runCls = -2;
            int runZone = -2;
            long pos = offset;
            while (pos < end) {
                long vb = pos >>> PoolFormat.BLOCK_SHIFT;
                long e = map.get(vb);
                long nextVb = e == 0 ? Math.max(vb + 1, map.holeEnd(vb)) : vb + 1;
                long next = nextVb > (end >>> PoolFormat.BLOCK_SHIFT) ? end : Math.min(end, nextVb << PoolFormat.BLOCK_SHIFT);
                int c = e == 0 ? -1 : PoolFormat.classCode(e);
                int z = e == 0 ? -1 : pool.alloc.zoneOf(PoolFormat.phys(e));
                if (c != runCls || z != runZone) {
                    if (runCls != -2) {
                        sink.extent(runStart, pos - runStart, runCls >= 0, runCls, runZone);
                    }
                    runStart = pos;
                    runCls = c;
                    runZone = z;
                }
                pos = next;
            }
            if (runCls != -2) {
                sink.extent(runStart, end - runStart, runCls >= 0, runCls, runZone);
            }
        } finally {
            lock.unlock();
            pool.exit();
        }
    }

    /** Receives extents from {@link #extents}. */
    @FunctionalInterface
    public interface ExtentSink {
        void extent(long offset, long length, boolean allocated, int classCode, int zone);
    }

    /** Mapped blocks. */
    public long mappedBlocks() {
        lock.lock();
        try {
            return map.mappedBlocks();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "volume " + name + " (" + sizeBytes + " bytes)";
    }
}
