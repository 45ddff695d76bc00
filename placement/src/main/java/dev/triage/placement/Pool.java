package dev.triage.placement;

import dev.triage.device.BlockDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.ClassPolicy;
import dev.triage.hints.policy.PolicyTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A storage pool on one (slow) device: superblocks, a metadata area no volume request can
 * reach, and a data area split into named {@link Zone}s; thin {@link Volume}s whose blocks are
 * allocated in the zone that the policy file gives their class.
 *
 * <p>Crash consistency (docs/on-disk-layout.md): the maps are radix trees written
 * copy-on-write. A commit (on {@link #commit()}, a volume's flush or FUA write, and every
 * volume create, resize and delete) writes the changed map pages and the catalogue to free
 * metadata pages, flushes, writes the superblock slot of the new generation, and flushes
 * again. Data reaches the device before the map that points at it (a block is written before
 * it is mapped, and the first flush precedes the superblock); a block or page freed in a
 * transaction becomes reusable only once that transaction's superblock is durable. {@link
 * #open} reads the newest valid superblock and the tree it points to: the same path after a
 * clean or a dirty shutdown, bounded by the metadata size (one read per live map page), never
 * by history.
 */
public final class Pool implements AutoCloseable {
    /** The pool's block size in bytes: the unit of allocation and mapping (NBD's preferred block size). */
    public static final int BLOCK_SIZE = PoolFormat.BLOCK;

    private static final Logger LOG = LoggerFactory.getLogger(Pool.class);
    private static final int B = PoolFormat.BLOCK;
    private static final int BATCH_PAGES = 64;

    final BlockDevice dev;
    final BlockAllocator alloc;
    private final MetaAllocator meta;
    private Superblock sb;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Map<String, Volume> volumes = new LinkedHashMap<>();
    private int nextVolumeId;
    private final List<String> classNames = new ArrayList<>();
    private volatile int[] codeOfVocab = new int[0];
    private volatile int[] zoneOfVocab = new int[0];
    private final PolicyTable policies;
    private final ClassVocabulary vocabulary;
    private final LongList cataloguePages = new LongList();
    private final LongList pendingData = new LongList();
    private final LongList pendingMeta = new LongList();
    private volatile boolean catalogueDirty;
    private long nextGeneration;
    private final AtomicLong liveNodes = new AtomicLong();
    private final long maxNodes;
    private final ByteBuffer batch = PoolFormat.newBuffer(B * BATCH_PAGES);
    private long batchStart;
    private int batchPages;
    private volatile boolean closed;
    private volatile boolean discardFreed = true;
    private boolean discardWarned;
    private final java.util.Set<String> warnedZones = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private Pool(BlockDevice dev, Superblock sb, PolicyTable policies, BlockAllocator alloc, MetaAllocator meta) {
        this.dev = dev;
        this.sb = sb;
        this.policies = policies;
        this.vocabulary = policies != null ? policies.vocabulary() : new ClassVocabulary();
        this.alloc = alloc;
        this.meta = meta;
        this.maxNodes = Math.max(1, (sb.metaBlocks() - 8) / 2 - 2);
    }

    /**
     * Makes a new pool on {@code dev} (overwriting whatever pool was there) and returns it
     * open. {@code policies} gives each class its zone (null: every class in the default zone).
     */
    public static Pool create(BlockDevice dev, PoolOptions options, PolicyTable policies) throws IOException {
        long devBlocks = dev.size() / B;
        if (B % dev.alignment() != 0) {
            throw new PoolException(PoolException.Kind.INVALID, dev.describe() + ": alignment " + dev.alignment()
                    + " does not divide the pool block size " + B);
        }
        if (devBlocks < 16) {
            throw new PoolException(PoolException.Kind.INVALID, dev.describe() + ": " + dev.size()
                    + " bytes is too small for a pool (at least 64 KiB)");
        }
        if (devBlocks > (1L << 32)) {
            throw new PoolException(PoolException.Kind.INVALID, dev.describe() + ": pools are limited to 16 TiB");
        }
        long metaBlocks = options.metaBlocks() > 0 ? options.metaBlocks() : Math.max(64, devBlocks / 128);
        long dataStart = 2 + metaBlocks;
        long dataEnd = devBlocks - 2;
        if (dataEnd - dataStart < 4) {
            throw new PoolException(PoolException.Kind.INVALID, dev.describe() + ": metadata area of " + metaBlocks
                    + " blocks leaves no data area");
        }
        List<Zone> zones = new ArrayList<>();
        try {
            if (options.zones().isEmpty()) {
                zones.add(new Zone("default", dataStart, dataEnd));
            }
            for (ZoneSpec z : options.zones()) {
                zones.add(z.resolve(dataStart, dataEnd));
            }
        } catch (IllegalArgumentException e) {
            throw new PoolException(PoolException.Kind.INVALID, e.getMessage());
        }
        if (zones.size() > PoolFormat.MAX_ZONES) {
            throw new PoolException(PoolException.Kind.INVALID, "at most " + PoolFormat.MAX_ZONES + " zones");
        }
        int defaultZone = 0;
        if (options.defaultZone() != null) {
            defaultZone = -1;
            for (int i = 0; i < zones.size(); i++) {
                if (zones.get(i).name().equals(options.defaultZone())) {
                    defaultZone = i;
                }
            }
            if (defaultZone < 0) {
                throw new PoolException(PoolException.Kind.INVALID, "default zone " + options.defaultZone()
                        + " is not one of the zones");
            }
        }
        Superblock sb = new Superblock(UUID.randomUUID(), 0, devBlocks, 2, metaBlocks, dataStart, dataEnd, 0, 0,
                defaultZone, List.copyOf(zones));
        String bad = sb.geometryProblem();
        if (bad != null) {
            throw new PoolException(PoolException.Kind.INVALID, bad);
        }
        Pool pool = new Pool(dev, sb, policies, new BlockAllocator(dataStart, dataEnd, sb.zones()),
                new MetaAllocator(2, metaBlocks));
        pool.nextGeneration = 1;
        pool.nextVolumeId = 1;
        pool.classNames.add(ClassVocabulary.UNCLASSIFIED);
        // Invalidate every superblock copy of whatever was there first, so that a crash during
        // creation cannot bring back an older pool whose pages the new one starts overwriting.
        ByteBuffer zero = PoolFormat.newPage();
        for (long b : sb.copies()) {
            dev.write(b * B, zero.clear(), false);
        }
        dev.flush();
        pool.rw.writeLock().lock();
        try {
            pool.catalogueDirty = true;
            pool.commitLocked();
            pool.catalogueDirty = true;
            pool.commitLocked();
        } finally {
            pool.rw.writeLock().unlock();
        }
        LOG.info("created pool {} on {}: {} blocks, metadata area {} blocks, zones {}", sb.uuid(), dev.describe(),
                devBlocks, metaBlocks, zones);
        return pool;
    }

    /**
     * Opens the pool on {@code dev}: reads the newest valid superblock and verifies and loads
     * all the metadata it points to. After a crash this is the whole recovery; a superblock
     * copy torn by the crash, or accounting that disagrees with the maps, is rewritten here.
     *
     * @throws PoolException of kind CORRUPT when the metadata is damaged beyond that
     */
    public static Pool open(BlockDevice dev, PolicyTable policies) throws IOException {
        List<Problem> notes = new ArrayList<>();
        MetadataLoader.Loaded l = MetadataLoader.load(dev, p -> {
            if (p.severity() == Problem.Severity.ERROR) {
                throw new PoolException(PoolException.Kind.CORRUPT, dev.describe() + ": " + p
                        + " (run 'triage check' for a full report)");
            }
            notes.add(p);
        });
        for (Problem p : notes) {
            LOG.warn("{}: {}", dev.describe(), p);
        }
        Pool pool = new Pool(dev, l.sb, policies, l.alloc, l.meta);
        Catalogue c = l.catalogue;
        pool.nextGeneration = l.sb.generation() + 1;
        pool.nextVolumeId = c.nextVolumeId();
        pool.classNames.addAll(c.classes());
        if (pool.classNames.isEmpty()) {
            pool.classNames.add(ClassVocabulary.UNCLASSIFIED);
        }
        pool.cataloguePages.addAll(l.cataloguePages);
        int nz = l.sb.zones().size();
        for (int i = 0; i < c.volumes().size(); i++) {
            Catalogue.Entry e = c.volumes().get(i);
            Volume v = new Volume(pool, e.id(), e.name(), e.sizeBytes(), l.maps.get(i), nz);
            long[] cc = l.volumeClassCounts.get(i);
            // per (class, zone) counts come from a walk of the loaded map
            v.map.forEachMapped(0, Long.MAX_VALUE, (vb, phys, code) -> v.classZone[code * nz + l.alloc.zoneOf(phys)]++);
            assert Arrays.stream(cc).sum() == v.map.mappedBlocks();
            pool.liveNodes.addAndGet(v.map.nodeCount());
            pool.volumes.put(e.name(), v);
        }
        if (l.needsRewrite) {
            LOG.info("{}: rewriting superblocks and catalogue after an unclean shutdown", dev.describe());
            pool.rw.writeLock().lock();
            try {
                pool.catalogueDirty = true;
                pool.commitLocked();
                pool.catalogueDirty = true;
                pool.commitLocked();
            } finally {
                pool.rw.writeLock().unlock();
            }
        }
        LOG.info("opened pool {} on {} at generation {}: {} volumes, {} mapped blocks, {} metadata pages read",
                l.sb.uuid(), dev.describe(), l.sb.generation(), c.volumes().size(), l.mappedBlocks, l.pagesRead);
        return pool;
    }

    // ---- request plumbing ----

    void enter() throws PoolException {
        rw.readLock().lock();
        if (closed) {
            rw.readLock().unlock();
            throw new PoolException(PoolException.Kind.GONE, "pool on " + dev.describe() + " is closed");
        }
    }

    void exit() {
        rw.readLock().unlock();
    }

    void reserveNodes(int n) throws PoolException {
        if (n == 0) {
            return;
        }
        while (true) {
            long cur = liveNodes.get();
            if (cur + n > maxNodes - cataloguePageBudget()) {
                throw new PoolException(PoolException.Kind.NO_SPACE, "pool metadata area full (" + cur
                        + " map pages live of " + maxNodes + "); create the pool with a larger metadata area");
            }
            if (liveNodes.compareAndSet(cur, cur + n)) {
                return;
            }
        }
    }

    void releaseNodes(long n) {
        if (n != 0) {
            liveNodes.addAndGet(-n);
        }
    }

    private long cataloguePageBudget() {
        return cataloguePages.size() + 4;
    }

    /** A data block in zone {@code z} or, when it is full, in any other zone. */
    long allocate(int z, long hint) throws PoolException {
        long p = alloc.allocate(z, hint);
        if (p >= 0) {
            return p;
        }
        for (int o = 0; o < sb.zones().size(); o++) {
            if (o != z) {
                p = alloc.allocate(o, -1);
                if (p >= 0) {
                    return p;
                }
            }
        }
        throw new PoolException(PoolException.Kind.NO_SPACE, "pool on " + dev.describe() + " is full");
    }

    /** The pool's class code of a vocabulary class id (persisted by name in the catalogue). */
    int classCode(int classId) {
        int[] a = codeOfVocab;
        if (classId >= 0 && classId < a.length && a[classId] != 0) {
            return a[classId] - 1;
        }
        return resolveClass(classId);
    }

    private synchronized int resolveClass(int classId) {
        if (classId < 0 || classId >= vocabulary.size()) {
            return 0;
        }
        String name = vocabulary.name(classId);
        int code = classNames.indexOf(name);
        if (code < 0) {
            if (classNames.size() >= PoolFormat.MAX_CLASSES) {
                LOG.warn("pool class table full; class {} is accounted as unclassified", name);
                code = 0;
            } else {
                classNames.add(name);
                code = classNames.size() - 1;
                catalogueDirty = true;
            }
        }
        int[] a = codeOfVocab;
        if (classId >= a.length) {
            a = Arrays.copyOf(a, Math.max(classId + 1, vocabulary.size()));
        } else {
            a = a.clone();
        }
        a[classId] = code + 1;
        codeOfVocab = a;
        return code;
    }

    /** The zone index a vocabulary class id is placed in by the policy table. */
    int zoneFor(int classId) {
        int[] a = zoneOfVocab;
        if (classId >= 0 && classId < a.length && a[classId] != 0) {
            return a[classId] - 1;
        }
        return resolveZone(classId);
    }

    private synchronized int resolveZone(int classId) {
        int z = sb.defaultZone();
        if (policies != null && classId >= 0) {
            ClassPolicy p = policies.forClass(classId);
            if (p.zone() != null) {
                int found = zoneIndex(p.zone());
                if (found >= 0) {
                    z = found;
                } else if (warnedZones.add(p.zone())) {
                    LOG.warn("policy places class {} in zone {}, which pool on {} does not have; using zone {}",
                            p.className(), p.zone(), dev.describe(), sb.zones().get(z).name());
                }
            }
        }
        if (classId < 0) {
            return z;
        }
        int[] a = zoneOfVocab;
        a = classId >= a.length ? Arrays.copyOf(a, Math.max(classId + 1, vocabulary.size())) : a.clone();
        a[classId] = z + 1;
        zoneOfVocab = a;
        return z;
    }

    private int zoneIndex(String name) {
        for (int i = 0; i < sb.zones().size(); i++) {
            if (sb.zones().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    // ---- public API ----

    /** The class vocabulary whose ids {@link Volume#write(long, ByteBuffer, int, boolean)} takes. */
    public ClassVocabulary vocabulary() {
        return vocabulary;
    }

    /** The name of a pool class code (from {@link Volume#mapping} or {@link Volume#extents}). */
    public synchronized String className(int code) {
        return code >= 0 && code < classNames.size() ? classNames.get(code) : ClassVocabulary.UNCLASSIFIED;
    }

    public List<Zone> zones() {
        return sb.zones();
    }

    public UUID uuid() {
        return sb.uuid();
    }

    /** The generation of the last durable commit. */
    public long generation() {
        rw.readLock().lock();
        try {
            return sb.generation();
        } finally {
            rw.readLock().unlock();
        }
    }

    public BlockDevice device() {
        return dev;
    }

    /** Creates a volume of {@code sizeBytes} (a multiple of 4096); durable on return. */
    public Volume createVolume(String name, long sizeBytes) throws IOException {
        validateName(name);
        if (sizeBytes <= 0 || sizeBytes % B != 0) {
            throw new PoolException(PoolException.Kind.INVALID, "volume " + name + ": size " + sizeBytes
                    + " must be a positive multiple of " + B);
        }
        rw.writeLock().lock();
        try {
            checkOpen();
            if (volumes.containsKey(name)) {
                throw new PoolException(PoolException.Kind.NAME, "volume " + name + " exists already");
            }
            Volume v = new Volume(this, nextVolumeId++, name, sizeBytes,
                    new VolumeMap(VolumeMap.heightFor(sizeBytes / B)), sb.zones().size());
            volumes.put(name, v);
            catalogueDirty = true;
            commitLocked();
            return v;
        } finally {
            rw.writeLock().unlock();
        }
    }

    private static void validateName(String name) throws PoolException {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > PoolFormat.MAX_VOLUME_NAME_BYTES
                || name.chars().anyMatch(c -> c < 0x21 || c == '/' || c == 0x7f)) {
            throw new PoolException(PoolException.Kind.INVALID, "volume name '" + name + "' must be 1.."
                    + PoolFormat.MAX_VOLUME_NAME_BYTES + " bytes of printable characters without '/' or spaces");
        }
    }

    /** The volume of that name, or null. */
    public Volume volume(String name) {
        rw.readLock().lock();
        try {
            return volumes.get(name);
        } finally {
            rw.readLock().unlock();
        }
    }

    /** The volumes, in creation order. */
    public List<Volume> list() {
        rw.readLock().lock();
        try {
            return List.copyOf(volumes.values());
        } finally {
            rw.readLock().unlock();
        }
    }

    /**
     * Changes a volume's size; when it shrinks, the blocks beyond the new end are unmapped
     * (and read as zeros if it grows again). Durable on return.
     */
    public void resizeVolume(String name, long sizeBytes) throws IOException {
        if (sizeBytes <= 0 || sizeBytes % B != 0) {
            throw new PoolException(PoolException.Kind.INVALID, "volume " + name + ": size " + sizeBytes
                    + " must be a positive multiple of " + B);
        }
        rw.writeLock().lock();
        try {
            checkOpen();
            Volume v = volumes.get(name);
            if (v == null) {
                throw new PoolException(PoolException.Kind.NAME, "no volume " + name);
            }
            v.lock.lock();
            try {
                long blocks = sizeBytes / B;
                if (sizeBytes < v.sizeBytes) {
                    v.unmap(blocks, v.sizeBytes / B);
                } else {
                    v.map.growTo(blocks);
                }
                v.sizeBytes = sizeBytes;
            } finally {
                v.lock.unlock();
            }
            catalogueDirty = true;
            commitLocked();
        } finally {
            rw.writeLock().unlock();
        }
    }

    /**
     * Deletes a volume. Its blocks and map pages are freed once the deletion is durable (on
     * return), so no later volume can see its data before then; and a block reused later is
     * always fully overwritten before it is mapped.
     */
    public void deleteVolume(String name) throws IOException {
        rw.writeLock().lock();
        try {
            checkOpen();
            Volume v = volumes.remove(name);
            if (v == null) {
                throw new PoolException(PoolException.Kind.NAME, "no volume " + name);
            }
            v.lock.lock();
            try {
                v.deleted = true;
                v.map.forEachMapped(0, Long.MAX_VALUE, (vb, phys, code) -> pendingData.add(phys));
                v.map.forEachNode(n -> {
                    if (n.addr != 0) {
                        pendingMeta.add(n.addr);
                    }
                });
                pendingData.addAll(v.freedBlocks);
                pendingMeta.addAll(v.freedPages);
                v.freedBlocks.clear();
                v.freedPages.clear();
                liveNodes.addAndGet(-v.map.nodeCount());
            } finally {
                v.lock.unlock();
            }
            catalogueDirty = true;
            commitLocked();
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** Makes every completed write of every volume durable. */
    public void commit() throws IOException {
        rw.writeLock().lock();
        try {
            checkOpen();
            commitLocked();
        } finally {
            rw.writeLock().unlock();
        }
    }

    private void checkOpen() throws PoolException {
        if (closed) {
            throw new PoolException(PoolException.Kind.GONE, "pool on " + dev.describe() + " is closed");
        }
    }

    // ---- commit ----

    private void commitLocked() throws IOException {
        boolean changed = catalogueDirty || pendingData.size() > 0 || pendingMeta.size() > 0;
        for (Volume v : volumes.values()) {
            if (v.map.rootChanged || (v.map.root() != null && v.map.root().dirty) || v.freedBlocks.size() > 0
                    || v.freedPages.size() > 0) {
                changed = true;
            }
        }
        if (!changed) {
            dev.flush();
            return;
        }
        long gen = nextGeneration++;
        for (Volume v : volumes.values()) {
            pendingData.addAll(v.freedBlocks);
            pendingMeta.addAll(v.freedPages);
            v.freedBlocks.clear();
            v.freedPages.clear();
        }
        List<MapNode> written = new ArrayList<>();
        LongList newCatalogue = new LongList();
        boolean ok = false;
        try {
            batchPages = 0;
            for (Volume v : volumes.values()) {
                MapNode r = v.map.root();
                if (r != null && r.dirty) {
                    writeNode(r, v.id, gen, written);
                }
            }
            byte[] cat = catalogue().encode();
            int pages = Math.max(1, (cat.length + PoolFormat.CATALOGUE_PAYLOAD - 1) / PoolFormat.CATALOGUE_PAYLOAD);
            for (int i = 0; i < pages; i++) {
                newCatalogue.add(allocPage());
            }
            for (int i = 0; i < pages; i++) {
                ByteBuffer pg = pageSlot(newCatalogue.get(i));
                int off = i * PoolFormat.CATALOGUE_PAYLOAD;
                int len = Math.min(PoolFormat.CATALOGUE_PAYLOAD, cat.length - off);
                header(pg, PoolFormat.PAGE_CATALOGUE, 0, gen, 0, len, i);
                pg.putLong(PoolFormat.H_NEXT, i + 1 < pages ? newCatalogue.get(i + 1) : 0);
                pg.putInt(PoolFormat.H_LENGTH, len);
                pg.put(PoolFormat.HEADER, cat, off, len);
                PoolFormat.sealPage(pg, PoolFormat.H_CRC);
            }
            flushBatch();
            dev.flush();
            Superblock next = sb.withCommit(gen, newCatalogue.get(0), cat.length);
            ByteBuffer sbb = PoolFormat.newPage();
            next.encode(sbb);
            long[] where = next.copies();
            dev.write(where[next.slot()] * B, sbb.clear(), false);
            dev.write(where[next.slot() + 2] * B, sbb.clear(), false);
            dev.flush();
            sb = next;
            ok = true;
            LOG.debug("{}: committed generation {} (catalogue at page {})", dev.describe(), gen, newCatalogue.get(0));
        } finally {
            if (!ok) {
                // Nothing is released: the durable tree's pages, the pages just written (the
                // superblock may have reached the device) and the freed blocks stay reserved
                // until a later commit succeeds. The nodes are written again next time.
                for (MapNode n : written) {
                    n.dirty = true;
                }
                for (int i = 0; i < newCatalogue.size(); i++) {
                    pendingMeta.add(newCatalogue.get(i));
                }
                catalogueDirty = true;
                batchPages = 0;
                // The next attempt must write the same slot again (the other one holds the last
                // durable commit) and never reuse this attempt's generation: skip one.
                nextGeneration = gen + 2;
            }
        }
        for (int i = 0; i < cataloguePages.size(); i++) {
            pendingMeta.add(cataloguePages.get(i));
        }
        cataloguePages.clear();
        cataloguePages.addAll(newCatalogue);
        for (Volume v : volumes.values()) {
            v.map.rootChanged = false;
        }
        catalogueDirty = false;
        alloc.freeAll(pendingData);
        if (discardFreed) {
            discardFreed(pendingData);
        }
        pendingData.clear();
        for (int i = 0; i < pendingMeta.size(); i++) {
            meta.free(pendingMeta.get(i));
        }
        pendingMeta.clear();
    }

    /**
     * Tells the device that blocks freed by a now durable commit are unused (thin files and
     * SSDs get the space back). Best effort: an error is logged, never fails the commit.
     */
    private void discardFreed(LongList blocks) {
        if (blocks.size() == 0) {
            return;
        }
        long[] a = new long[blocks.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = blocks.get(i);
        }
        Arrays.sort(a);
        try {
            int i = 0;
            while (i < a.length) {
                int j = i + 1;
                while (j < a.length && a[j] == a[j - 1] + 1) {
                    j++;
                }
                dev.discard(a[i] * B, (long) (j - i) * B);
                i = j;
            }
        } catch (IOException | UnsupportedOperationException e) {
            if (!discardWarned) {
                discardWarned = true;
                LOG.warn("{}: discarding freed blocks failed ({}); the space stays allocated on the device",
                        dev.describe(), e.getMessage());
            }
        }
    }

    /**
     * Whether blocks freed by a durable commit are discarded on the device (default true).
     */
    public void discardFreedBlocks(boolean on) {
        discardFreed = on;
    }

    private long allocPage() throws PoolException {
        long a = meta.allocate();
        if (a < 0) {
            throw new PoolException(PoolException.Kind.NO_SPACE, "pool metadata area full during commit ("
                    + meta.used() + " of " + meta.capacity() + " pages)");
        }
        return a;
    }

    /** Writes a dirty subtree bottom-up to fresh pages. */
    private void writeNode(MapNode n, int volumeId, long gen, List<MapNode> written) throws IOException {
        if (!n.leaf()) {
            for (MapNode c : n.children) {
                if (c != null && c.dirty) {
                    writeNode(c, volumeId, gen, written);
                }
            }
        }
        long addr = allocPage();
        if (n.addr != 0) {
            pendingMeta.add(n.addr);
        }
        n.addr = addr;
        ByteBuffer pg = pageSlot(addr);
        header(pg, n.leaf() ? PoolFormat.PAGE_LEAF : PoolFormat.PAGE_INTERNAL, n.level, gen, volumeId, n.count, n.firstBlock);
        for (int i = 0; i < PoolFormat.FANOUT; i++) {
            long e;
            if (n.leaf()) {
                int p = n.phys[i];
                e = p == 0 ? 0 : PoolFormat.entry(Integer.toUnsignedLong(p), n.cls[i]);
            } else {
                MapNode c = n.children[i];
                e = c == null ? 0 : c.addr;
            }
            pg.putLong(PoolFormat.HEADER + 8 * i, e);
        }
        PoolFormat.sealPage(pg, PoolFormat.H_CRC);
        n.dirty = false;
        written.add(n);
    }

    private void header(ByteBuffer pg, int type, int level, long gen, int volume, int count, long first) {
        PoolFormat.clear(pg);
        pg.putInt(PoolFormat.H_MAGIC, PoolFormat.PAGE_MAGIC);
        pg.putShort(PoolFormat.H_TYPE, (short) type);
        pg.putShort(PoolFormat.H_LEVEL, (short) level);
        pg.putLong(PoolFormat.H_POOL, sb.poolId());
        pg.putLong(PoolFormat.H_GENERATION, gen);
        pg.putInt(PoolFormat.H_VOLUME, volume);
        pg.putInt(PoolFormat.H_COUNT, count);
        pg.putLong(PoolFormat.H_FIRST, first);
    }

    /** A page-sized slice of the batch buffer for the page at {@code addr}; writes the batch when not contiguous. */
    private ByteBuffer pageSlot(long addr) throws IOException {
        if (batchPages > 0 && (addr != batchStart + batchPages || batchPages == BATCH_PAGES)) {
            flushBatch();
        }
        if (batchPages == 0) {
            batchStart = addr;
        }
        ByteBuffer pg = batch.slice(batchPages * B, B).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        batchPages++;
        return pg;
    }

    private void flushBatch() throws IOException {
        if (batchPages > 0) {
            int n = batchPages;
            batchPages = 0;
            dev.write(batchStart * B, batch.slice(0, n * B), false);
        }
    }

    private Catalogue catalogue() {
        int nz = sb.zones().size();
        long[] zoneMapped = new long[nz];
        List<Catalogue.Entry> es = new ArrayList<>();
        for (Volume v : volumes.values()) {
            for (int i = 0; i < v.classZone.length; i++) {
                zoneMapped[i % nz] += v.classZone[i];
            }
            MapNode r = v.map.root();
            es.add(new Catalogue.Entry(v.id, v.name, v.sizeBytes, r == null ? 0 : r.addr, v.map.height(),
                    v.map.mappedBlocks(), v.map.nodeCount()));
        }
        List<String> classes;
        synchronized (this) {
            classes = List.copyOf(classNames);
        }
        return new Catalogue(nextVolumeId, classes, zoneMapped, es);
    }

    // ---- stats ----

    /** Space accounting per zone, volume and class. */
    public PoolStats stats() {
        rw.writeLock().lock();
        try {
            int nz = sb.zones().size();
            long[] zoneMapped = new long[nz];
            long[] classZone = new long[256 * nz];
            List<PoolStats.VolumeStats> vs = new ArrayList<>();
            long heap = alloc.heapBytes() + 8L * (meta.capacity() / 64 + 1);
            long[] pendingZone = new long[nz];
            for (int i = 0; i < pendingData.size(); i++) {
                pendingZone[alloc.zoneOf(pendingData.get(i))]++;
            }
            for (Volume v : volumes.values()) {
                Map<String, Long> byClass = new TreeMap<>();
                Map<String, Long> byZone = new LinkedHashMap<>();
                long[] vz = new long[nz];
                for (int i = 0; i < v.classZone.length; i++) {
                    long c = v.classZone[i];
                    if (c != 0) {
                        byClass.merge(className(i / nz), c, Long::sum);
                        vz[i % nz] += c;
                        classZone[i] += c;
                    }
                }
                for (int z = 0; z < nz; z++) {
                    zoneMapped[z] += vz[z];
                    if (vz[z] != 0) {
                        byZone.put(sb.zones().get(z).name(), vz[z]);
                    }
                }
                for (int i = 0; i < v.freedBlocks.size(); i++) {
                    pendingZone[alloc.zoneOf(v.freedBlocks.get(i))]++;
                }
                heap += v.map.heapBytes();
                vs.add(new PoolStats.VolumeStats(v.name, v.id, v.sizeBytes, v.map.mappedBlocks(), byClass, byZone));
            }
            List<PoolStats.ZoneStats> zs = new ArrayList<>();
            for (int z = 0; z < nz; z++) {
                Zone zone = sb.zones().get(z);
                long used = alloc.used(z);
                zs.add(new PoolStats.ZoneStats(zone.name(), zone.start(), zone.end(), zone.blocks(), zoneMapped[z],
                        pendingZone[z], zone.blocks() - used));
            }
            List<PoolStats.ClassStats> cs = new ArrayList<>();
            for (int c = 0; c < 256; c++) {
                long total = 0;
                Map<String, Long> byZone = new LinkedHashMap<>();
                for (int z = 0; z < nz; z++) {
                    long n = classZone[c * nz + z];
                    if (n != 0) {
                        total += n;
                        byZone.put(sb.zones().get(z).name(), n);
                    }
                }
                if (total > 0) {
                    String name = className(c);
                    int home = sb.defaultZone();
                    int vid = vocabulary.find(name);
                    if (vid >= 0) {
                        home = zoneFor(vid);
                    }
                    long outside = total - classZone[c * nz + home];
                    cs.add(new PoolStats.ClassStats(name, sb.zones().get(home).name(), total, byZone, outside));
                }
            }
            return new PoolStats(sb.generation(), B, zs, vs, cs, meta.used(), meta.capacity(), heap);
        } finally {
            rw.writeLock().unlock();
        }
    }

    /** Heap bytes held by the maps and the allocators (what {@code stats()} reports). */
    public long metadataHeapBytes() {
        return stats().metadataHeapBytes();
    }

    /** Commits and closes the pool (the device stays open: its owner closes it). */
    @Override
    public void close() throws IOException {
        rw.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            try {
                commitLocked();
            } finally {
                closed = true;
            }
        } finally {
            rw.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "pool " + sb.uuid() + " on " + dev.describe();
    }
}
