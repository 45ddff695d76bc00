package dev.triage.server.backend;

import dev.triage.cache.live.CachedPool;
import dev.triage.cache.live.CachedVolume;
import dev.triage.cache.live.LiveCache;
import dev.triage.cache.live.LiveCacheStats;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.classify.Classifier;
import dev.triage.hints.guest.GuestClassifier;
import dev.triage.placement.Pool;
import dev.triage.placement.Volume;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An export served from a volume of the live layer: requests go through the class-aware cache
 * to the thin volume of the placement pool.
 *
 * <p>Each request's class, in order: the class the client sent (the negotiated hint
 * extension), else a class the client set on the range ({@code NBD_CMD_X_TRIAGE_SET_CLASS}),
 * else what the guest's own file system says of the block ({@link GuestClassifier}: ext4 read
 * from the volume as it is written) fed through the policy file's rules, else the default class.
 *
 * <p>Block status: {@code base:allocation} from the volume's map, where a block the cache
 * holds dirty (not yet on the slow device) is always reported allocated;
 * {@code x-triage:class} from the map's class and zone of each block.
 */
public final class PoolVolumeBackend implements ExportBackend {
    private static final Logger LOG = LoggerFactory.getLogger(PoolVolumeBackend.class);
    private static final int HOLE_ZERO = 3;

    private final CachedPool cachedPool;
    private final String name;
    private final CachedVolume volume;
    private final Volume placed;
    private final Classifier classifier;
    private final ClassVocabulary vocabulary;
    private final GuestClassifier guest;
    private final BlockRequest request = new BlockRequest();
    /** Classes set on ranges by clients: start → {end, class}. */
    private final TreeMap<Long, long[]> setClasses = new TreeMap<>();

    /**
     * @param guestClassification read the guest's ext4 structures to classify untagged requests
     */
    public PoolVolumeBackend(CachedPool cachedPool, String name, boolean guestClassification) throws IOException {
        this.cachedPool = cachedPool;
        this.name = name;
        this.volume = cachedPool.volume(name);
        this.placed = cachedPool.pool().volume(name);
        if (volume == null || placed == null) {
            throw new IOException("no volume named '" + name + "' in the pool");
        }
        this.vocabulary = cachedPool.config().vocabulary();
        this.classifier = cachedPool.config().classifier().copy();
        GuestClassifier g = null;
        if (guestClassification) {
            // The classifier reads the volume through the cache: in write-back the newest data may be there only.
            int unclassified = vocabulary.unclassified();
            g = GuestClassifier.attach(placed.size(), (off, dst) -> volume.read(off, dst, unclassified), vocabulary);
            LOG.info("volume {}: {}", name, g.describe());
        }
        this.guest = g;
    }

    @Override
    public long size() {
        return volume.size();
    }

    @Override
    public int minBlock() {
        return 512;
    }

    @Override
    public int preferredBlock() {
        return 4096;
    }

    @Override
    public int maxBlock() {
        return 32 << 20;
    }

    @Override
    public boolean readOnly() {
        return false;
    }

    private int classOf(int hint, Op op, long offset, long length) {
        if (hint >= 0) {
            return hint;
        }
        synchronized (request) {
            Map.Entry<Long, long[]> set = setClasses.floorEntry(offset);
            if (set != null && offset < set.getValue()[0]) {
                return (int) set.getValue()[1];
            }
            BlockRequest r = request.clear();
            r.op = op;
            r.offset = offset;
            r.length = length;
            if (guest != null) {
                guest.classify(r);
            }
            return classifier.classify(r);
        }
    }

    /**
     * Where the request's first run of one class ends. A request without a hint is classified
     * block by block (a guest writes its superblock, descriptors and bitmaps in one request), and
     * consecutive blocks of one class make one run.
     */
    private long runEnd(int hint, int cls, Op op, long offset, long end) {
        if (hint >= 0) {
            return end;
        }
        long at = Math.min(end, (offset | 4095) + 1);
        while (at < end) {
            long next = Math.min(end, at + 4096);
            if (classOf(hint, op, at, next - at) != cls) {
                return at;
            }
            at = next;
        }
        return end;
    }

    @Override
    public void read(long offset, ByteBuffer dst, int ioClass) throws IOException {
        long end = offset + dst.remaining();
        int limit = dst.limit();
        for (long at = offset; at < end; ) {
            int cls = classOf(ioClass, Op.READ, at, Math.min(end, (at | 4095) + 1) - at);
            long runEnd = runEnd(ioClass, cls, Op.READ, at, end);
            dst.limit(dst.position() + (int) (runEnd - at));
            volume.read(at, dst, cls);
            at = runEnd;
        }
        dst.limit(limit);
    }

    @Override
    public void write(long offset, ByteBuffer src, boolean fua, int ioClass) throws IOException {
        if (guest != null) {
            // first, so that the write that reveals a file system (its superblock) is classified by it
            guest.onWrite(offset, src.duplicate());
        }
        long end = offset + src.remaining();
        int limit = src.limit();
        for (long at = offset; at < end; ) {
            int cls = classOf(ioClass, Op.WRITE, at, Math.min(end, (at | 4095) + 1) - at);
            long runEnd = runEnd(ioClass, cls, Op.WRITE, at, end);
            src.limit(src.position() + (int) (runEnd - at));
            volume.write(at, src, cls, fua && runEnd == end);
            at = runEnd;
        }
        src.limit(limit);
    }

    @Override
    public void flush() throws IOException {
        volume.flush();
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        volume.discard(offset, length);
        if (guest != null) {
            guest.onDiscard(offset, length);
        }
    }

    @Override
    public void writeZeroes(long offset, long length, boolean noHole, boolean fua, int ioClass) throws IOException {
        volume.writeZeroes(offset, length, fua);
        if (guest != null) {
            guest.onDiscard(offset, length);
        }
    }

    @Override
    public boolean canFastZero() {
        return true; // thin volumes zero by unmapping
    }

    @Override
    public void cache(long offset, long length, int ioClass) throws IOException {
        long end = Math.min(size(), offset + length);
        ByteBuffer scratch = ByteBuffer.allocateDirect((int) Math.min(1 << 20, Math.max(4096, end - offset)));
        for (long at = offset; at < end; at += scratch.capacity()) {
            scratch.clear().limit((int) Math.min(scratch.capacity(), end - at));
            read(at, scratch, ioClass);
        }
    }

    @Override
    public void classify(long offset, long length, int ioClass) {
        synchronized (request) {
            long end = offset + length;
            // cut the ranges that overlap [offset, end), then add the new one
            Map.Entry<Long, long[]> before = setClasses.lowerEntry(offset);
            if (before != null && before.getValue()[0] > offset) {
                long[] v = before.getValue();
                if (v[0] > end) {
                    setClasses.put(end, new long[] {v[0], v[1]});
                }
                v[0] = offset;
            }
            for (Long k : setClasses.subMap(offset, true, end, false).keySet().toArray(new Long[0])) {
                long[] v = setClasses.remove(k);
                if (v[0] > end) {
                    setClasses.put(end, v);
                }
            }
            if (ioClass >= 0) {
                setClasses.put(offset, new long[] {end, ioClass});
            }
        }
    }

    @Override
    public void blockStatus(long offset, long length, MetaContext context, ExtentSink sink) throws IOException {
        long end = Math.min(size(), offset + length);
        if (offset >= end) {
            return;
        }
        // Blocks the cache holds dirty are not mapped yet (write-back): never call them holes, and tell
        // their class (their zone is not decided until they are destaged).
        java.util.BitSet cached = new java.util.BitSet();
        Map<Long, Integer> dirtyClass = new java.util.HashMap<>();
        LiveCache cache = cachedPool.cache();
        long firstBlock = offset >>> 12;
        long lastBlock = (end - 1) >>> 12;
        if (cache != null && lastBlock - firstBlock < Integer.MAX_VALUE) {
            int id = volume.id();
            cache.forEachLine((vol, block, cls, dirty) -> {
                // a clean line is on the slow side already (or is the zeros of a hole): the map tells the truth
                if (dirty && vol == id && block >= firstBlock && block <= lastBlock) {
                    cached.set((int) (block - firstBlock));
                    dirtyClass.put(block, cls);
                }
            });
        }
        boolean[] stop = {false};
        Pool pool = cachedPool.pool();
        placed.extents(offset, end - offset, (at, len, allocated, classCode, zone) -> {
            if (stop[0]) {
                return;
            }
            if (allocated) {
                int flags = context == MetaContext.TRIAGE_CLASS
                        ? ClassStatus.encode(vocabulary.intern(pool.className(classCode)), zone) : 0;
                stop[0] = !sink.extent(len, flags);
                return;
            }
            // a hole, except where the cache holds dirty blocks: runs of one status
            long pos = at;
            long holeEnd = at + len;
            while (pos < holeEnd && !stop[0]) {
                long block = pos >>> 12;
                int b = (int) (block - firstBlock);
                int status;
                long runEnd;
                if (!cached.get(b)) {
                    // not held: up to the next held block at once (holes can be huge)
                    int next = cached.nextSetBit(b);
                    runEnd = next < 0 ? holeEnd : Math.min(holeEnd, (firstBlock + next) << 12);
                    status = context == MetaContext.TRIAGE_CLASS ? 0 : HOLE_ZERO;
                } else {
                    // held blocks (bounded by the cache's size): runs of one class
                    status = statusOfHoleBlock(context, cached, dirtyClass, firstBlock, block);
                    runEnd = Math.min(holeEnd, (block + 1) << 12);
                    while (runEnd < holeEnd && cached.get((int) ((runEnd >>> 12) - firstBlock))
                            && statusOfHoleBlock(context, cached, dirtyClass, firstBlock, runEnd >>> 12) == status) {
                        runEnd = Math.min(holeEnd, ((runEnd >>> 12) + 1) << 12);
                    }
                }
                stop[0] = !sink.extent(runEnd - pos, status);
                pos = runEnd;
            }
        });
    }

    private static int statusOfHoleBlock(MetaContext context, java.util.BitSet cached, Map<Long, Integer> dirtyClass,
            long firstBlock, long block) {
        boolean held = cached.get((int) (block - firstBlock));
        if (context == MetaContext.TRIAGE_CLASS) {
            return held ? ClassStatus.encode(dirtyClass.get(block), -1) : 0;
        }
        return held ? 0 : HOLE_ZERO;
    }

    @Override
    public void counters(CounterSink sink) {
        LiveCache cache = cachedPool.cache();
        if (cache == null) {
            return;
        }
        LiveCacheStats s = cache.stats();
        var t = s.touches();
        for (int c = 0; c < t.classes(); c++) {
            if (t.touches(c) > 0) {
                String cls = c < vocabulary.size() ? vocabulary.name(c) : "?";
                sink.counter("cache_hits", cls, t.hits(c));
                sink.counter("cache_misses", cls, t.touches(c) - t.hits(c));
            }
        }
        sink.counter("cache_dirty_lines", "", s.dirtyLines());
        sink.counter("cache_lines", "", s.lines());
    }

    @Override
    public String describe() {
        return "volume " + name + " of " + cachedPool.pool() + (guest != null ? "; guest: " + guest.describe() : "");
    }

    @Override
    public void close() {
        // the pool is shared by every export; it is closed by whoever opened it
    }
}
