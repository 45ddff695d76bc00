package dev.triage.placement;

import dev.triage.device.BlockDevice;
import dev.triage.placement.Problem.Severity;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a pool's metadata from a device and verifies all of it: the four superblock copies,
 * the catalogue chain and every map page of every volume (checksum, header, position in the
 * tree, references), rebuilding the in-memory maps and the allocators' bitmaps as it goes.
 * The cost is one read per metadata page reachable from the newest superblock: recovery time
 * is bounded by the size of the live metadata, never by the history of writes.
 *
 * <p>Shared by {@link Pool#open} (which stops at the first {@link Severity#ERROR}) and by
 * {@link PoolChecker} (which collects everything).
 */
final class MetadataLoader {

    /** Receives problems; may throw to stop the load. */
    interface Sink {
        void report(Problem p) throws IOException;
    }

    /** Everything loaded. Fields are null/empty where loading could not get that far. */
    static final class Loaded {
        Superblock sb;
        final Superblock[] copies = new Superblock[4];
        Catalogue catalogue;
        final LongList cataloguePages = new LongList();
        final List<VolumeMap> maps = new ArrayList<>();
        final List<long[]> volumeClassCounts = new ArrayList<>();
        final List<long[]> volumeZoneCounts = new ArrayList<>();
        BlockAllocator alloc;
        MetaAllocator meta;
        long pagesRead;
        long mappedBlocks;
        /** True when only a stale superblock copy, a torn slot or accounting differs (commit fixes all). */
        boolean needsRewrite;
    }

    private final BlockDevice dev;
    private final Sink sink;
    private final ByteBuffer page = PoolFormat.newPage();
    private final Loaded out = new Loaded();

    private MetadataLoader(BlockDevice dev, Sink sink) {
        this.dev = dev;
        this.sink = sink;
    }

    static Loaded load(BlockDevice dev, Sink sink) throws IOException {
        return new MetadataLoader(dev, sink).run();
    }

    private void problem(Severity s, String where, String what) throws IOException {
        if (s != Severity.ERROR) {
            out.needsRewrite = true;
        }
        sink.report(new Problem(s, where, what));
    }

    private Loaded run() throws IOException {
        if (dev.size() < 16L * PoolFormat.BLOCK || PoolFormat.BLOCK % dev.alignment() != 0) {
            problem(Severity.ERROR, dev.describe(), "device of " + dev.size() + " bytes with alignment "
                    + dev.alignment() + " cannot hold a pool");
            return out;
        }
        long devBlocks = dev.size() / PoolFormat.BLOCK;
        long[] where = {0, 1, devBlocks - 2, devBlocks - 1};
        String[] why = new String[4];
        for (int i = 0; i < 4; i++) {
            String[] w = new String[1];
            try {
                page.clear();
                dev.read(where[i] * PoolFormat.BLOCK, page);
                out.copies[i] = Superblock.decode(page, w);
                why[i] = w[0];
            } catch (IOException e) {
                why[i] = "unreadable: " + e.getMessage();
            }
            if (out.copies[i] != null && out.copies[i].deviceBlocks() != devBlocks) {
                why[i] = "made for a device of " + out.copies[i].deviceBlocks() + " blocks, this one has " + devBlocks;
                out.copies[i] = null;
            }
            if (out.copies[i] != null && (out.copies[i].generation() & 1) != (i & 1)) {
                why[i] = "generation " + out.copies[i].generation() + " in the wrong slot";
                out.copies[i] = null;
            }
            if (out.copies[i] != null && (out.sb == null || out.copies[i].generation() > out.sb.generation())) {
                out.sb = out.copies[i];
            }
        }
        if (out.sb == null) {
            problem(Severity.ERROR, dev.describe(), "no valid pool superblock (slot 0: " + why[0] + "; slot 1: "
                    + why[1] + "; copy 0: " + why[2] + "; copy 1: " + why[3] + ")");
            return out;
        }
        Superblock sb = out.sb;
        checkCopies(where, why);

        out.meta = new MetaAllocator(sb.metaStart(), sb.metaBlocks());
        out.alloc = new BlockAllocator(sb.dataStart(), sb.dataEnd(), sb.zones());
        if (sb.catalogue() == 0) {
            problem(Severity.ERROR, "superblock generation " + sb.generation(), "no catalogue");
            return out;
        }
        byte[] cat = readCatalogue(sb);
        if (cat == null) {
            return out;
        }
        try {
            out.catalogue = Catalogue.decode(cat);
        } catch (IllegalArgumentException e) {
            problem(Severity.ERROR, "catalogue at page " + sb.catalogue(), e.getMessage());
            return out;
        }
        checkCatalogue(out.catalogue, sb);
        long[] zoneMapped = new long[sb.zones().size()];
        for (Catalogue.Entry v : out.catalogue.volumes()) {
            loadVolume(v, sb, zoneMapped);
        }
        long[] recorded = out.catalogue.zoneMapped();
        for (int z = 0; z < zoneMapped.length; z++) {
            long r = z < recorded.length ? recorded[z] : -1;
            if (r != zoneMapped[z]) {
                problem(Severity.REPAIRABLE, "zone " + sb.zones().get(z).name(), "catalogue says " + r
                        + " blocks used, the maps use " + zoneMapped[z] + " (free + used != total)");
            }
            if (out.alloc.used(z) > sb.zones().get(z).blocks()) {
                problem(Severity.ERROR, "zone " + sb.zones().get(z).name(), "more blocks used than the zone has");
            }
        }
        return out;
    }

    private void checkCopies(long[] where, String[] why) throws IOException {
        Superblock sb = out.sb;
        for (int slot = 0; slot < 2; slot++) {
            Superblock a = out.copies[slot];
            Superblock b = out.copies[slot + 2];
            boolean newest = (sb.generation() & 1) == slot;
            long expect = newest ? sb.generation() : sb.generation() - 1;
            for (int k = 0; k < 2; k++) {
                int i = slot + 2 * k;
                Superblock c = out.copies[i];
                String name = (k == 0 ? "superblock slot " : "superblock copy ") + slot + " (block " + where[i] + ")";
                if (c == null) {
                    if (newest || expect < 1) {
                        problem(Severity.REPAIRABLE, name, why[i]);
                    } else {
                        problem(Severity.NOTE, name, why[i] + " (torn by an unfinished commit)");
                    }
                } else if (c.generation() != expect) {
                    problem(newest ? Severity.REPAIRABLE : Severity.NOTE, name, "generation " + c.generation()
                            + ", expected " + expect);
                } else if (!c.uuid().equals(sb.uuid()) || !c.zones().equals(sb.zones())
                        || c.metaBlocks() != sb.metaBlocks() || c.dataStart() != sb.dataStart()) {
                    problem(Severity.ERROR, name, "disagrees with the newest superblock on the pool's identity or geometry");
                }
            }
            if (a != null && b != null && a.generation() == b.generation() && !a.equals(b)) {
                problem(Severity.REPAIRABLE, "superblock slot " + slot, "the copy at the end differs from the slot");
            }
        }
    }

    private boolean readPage(long addr, String where) throws IOException {
        try {
            page.clear();
            dev.read(addr * PoolFormat.BLOCK, page);
            out.pagesRead++;
            return true;
        } catch (IOException e) {
            problem(Severity.ERROR, where, "unreadable: " + e.getMessage());
            return false;
        }
    }

    /** Checks the common header; returns false (after reporting) when the page is not usable. */
    private boolean header(String where, int type, int level, int volume, long first) throws IOException {
        Superblock sb = out.sb;
        if (page.getInt(PoolFormat.H_MAGIC) != PoolFormat.PAGE_MAGIC) {
            problem(Severity.ERROR, where, "no page magic");
            return false;
        }
        if (!PoolFormat.crcOk(page, PoolFormat.H_CRC)) {
            problem(Severity.ERROR, where, "checksum mismatch");
            return false;
        }
        if (page.getLong(PoolFormat.H_POOL) != sb.poolId()) {
            problem(Severity.ERROR, where, "page of another pool");
            return false;
        }
        long gen = page.getLong(PoolFormat.H_GENERATION);
        if (gen > sb.generation() || gen < 1) {
            problem(Severity.ERROR, where, "page generation " + gen + " is not within 1.." + sb.generation());
            return false;
        }
        if (page.getShort(PoolFormat.H_TYPE) != type || page.getShort(PoolFormat.H_LEVEL) != level
                || page.getInt(PoolFormat.H_VOLUME) != volume || page.getLong(PoolFormat.H_FIRST) != first) {
            problem(Severity.ERROR, where, "page header (type " + page.getShort(PoolFormat.H_TYPE) + ", level "
                    + page.getShort(PoolFormat.H_LEVEL) + ", volume " + page.getInt(PoolFormat.H_VOLUME) + ", first block "
                    + page.getLong(PoolFormat.H_FIRST) + ") does not match its place (type " + type + ", level " + level
                    + ", volume " + volume + ", first block " + first + ")");
            return false;
        }
        return true;
    }

    private boolean claimPage(long addr, String where) throws IOException {
        if (!out.meta.contains(addr)) {
            problem(Severity.ERROR, where, "page address " + addr + " is outside the metadata area");
            return false;
        }
        if (!out.meta.markUsed(addr)) {
            problem(Severity.ERROR, where, "page " + addr + " is referenced twice");
            return false;
        }
        return true;
    }

    private byte[] readCatalogue(Superblock sb) throws IOException {
        int total = sb.catalogueBytes();
        if (total < 0 || total > sb.metaBlocks() * PoolFormat.CATALOGUE_PAYLOAD) {
            problem(Severity.ERROR, "superblock generation " + sb.generation(), "catalogue length " + total);
            return null;
        }
        byte[] bytes = new byte[total];
        int off = 0;
        long addr = sb.catalogue();
        int index = 0;
        while (true) {
            String where = "catalogue page " + index + " (block " + addr + ")";
            if (!claimPage(addr, where) || !readPage(addr, where) || !header(where, PoolFormat.PAGE_CATALOGUE, 0, 0, index)) {
                return null;
            }
            out.cataloguePages.add(addr);
            int len = page.getInt(PoolFormat.H_LENGTH);
            if (len < 0 || len > PoolFormat.CATALOGUE_PAYLOAD || off + len > total) {
                problem(Severity.ERROR, where, "payload length " + len + " does not fit the catalogue of " + total + " bytes");
                return null;
            }
            page.get(PoolFormat.HEADER, bytes, off, len);
            off += len;
            long next = page.getLong(PoolFormat.H_NEXT);
            if (off == total) {
                if (next != 0) {
                    problem(Severity.ERROR, where, "chain continues past the catalogue's length");
                    return null;
                }
                return bytes;
            }
            if (next == 0) {
                problem(Severity.ERROR, where, "chain ends after " + off + " of " + total + " bytes");
                return null;
            }
            addr = next;
            index++;
        }
    }

    private void checkCatalogue(Catalogue c, Superblock sb) throws IOException {
        Set<String> names = new HashSet<>();
        Set<Integer> ids = new HashSet<>();
        for (Catalogue.Entry v : c.volumes()) {
            String where = "volume " + v.name() + " (id " + v.id() + ")";
            if (!names.add(v.name())) {
                problem(Severity.ERROR, where, "name appears twice in the catalogue");
            }
            if (!ids.add(v.id()) || v.id() < 1 || v.id() >= c.nextVolumeId()) {
                problem(Severity.ERROR, where, "id is duplicate or not below the next id " + c.nextVolumeId());
            }
            if (v.sizeBytes() < 0 || v.sizeBytes() % PoolFormat.BLOCK != 0) {
                problem(Severity.ERROR, where, "size " + v.sizeBytes() + " is not a multiple of the block size");
            }
            if (v.height() < VolumeMap.heightFor(v.sizeBytes() / PoolFormat.BLOCK) || v.height() > 7) {
                problem(Severity.ERROR, where, "map height " + v.height() + " cannot address " + v.sizeBytes() + " bytes");
            }
        }
        if (c.zoneMapped().length != sb.zones().size()) {
            problem(Severity.REPAIRABLE, "catalogue", "accounts " + c.zoneMapped().length + " zones, the pool has "
                    + sb.zones().size());
        }
    }

    /** A map page to load: its address and its place in the tree. */
    private record Ref(long addr, int level, long first, MapNode parent, int index) {
    }

    /** A loaded internal node whose entry count is verified once its children are loaded. */
    private record Counted(MapNode node, int recorded, String where) {
    }

    private static final int READ_BATCH = 64;
    private final ByteBuffer batch = PoolFormat.newBuffer(READ_BATCH * PoolFormat.BLOCK);

    /**
     * Loads a volume's tree level by level, reading each level's pages in address order and
     * consecutive pages with one read (a commit writes its pages next-fit, so most are).
     */
    private void loadVolume(Catalogue.Entry v, Superblock sb, long[] zoneMapped) throws IOException {
        int height = Math.max(1, Math.min(7, v.height()));
        VolumeMap map = new VolumeMap(height);
        long[] classCounts = new long[256];
        long[] zoneCounts = new long[sb.zones().size()];
        long[] counters = new long[2];
        MapNode[] root = new MapNode[1];
        List<Ref> level = new ArrayList<>();
        List<Counted> internal = new ArrayList<>();
        if (v.root() != 0) {
            level.add(new Ref(v.root(), height - 1, 0, null, 0));
        }
        while (!level.isEmpty()) {
            level.sort((a, b) -> Long.compare(a.addr(), b.addr()));
            List<Ref> next = new ArrayList<>();
            int i = 0;
            while (i < level.size()) {
                // claim a run of consecutive, valid, not yet seen pages
                List<Ref> run = new ArrayList<>();
                while (i < level.size()) {
                    Ref r = level.get(i);
                    if (!run.isEmpty() && (r.addr() != run.get(run.size() - 1).addr() + 1 || run.size() == READ_BATCH)) {
                        break;
                    }
                    i++;
                    if (claimPage(r.addr(), where(v, r))) {
                        run.add(r);
                    } else if (run.isEmpty()) {
                        continue;
                    } else {
                        break;
                    }
                }
                if (run.isEmpty()) {
                    continue;
                }
                boolean ok = readRun(run);
                for (int k = 0; k < run.size(); k++) {
                    Ref r = run.get(k);
                    if (!ok && !readPage(r.addr(), where(v, r))) {
                        continue;
                    }
                    if (ok) {
                        page.clear().put(0, batch, k * PoolFormat.BLOCK, PoolFormat.BLOCK);
                        out.pagesRead++;
                    }
                    MapNode n = parseNode(v, r, sb, classCounts, zoneCounts, counters, next, internal);
                    if (n == null) {
                        continue;
                    }
                    if (r.parent() == null) {
                        root[0] = n;
                    } else {
                        r.parent().children[r.index()] = n;
                        r.parent().count++;
                    }
                }
            }
            level = next;
        }
        for (Counted c : internal) {
            if (c.recorded() != c.node().count) {
                problem(Severity.ERROR, c.where(), "header counts " + c.recorded() + " entries, " + c.node().count
                        + " of them load");
            }
            if (c.node().count == 0) {
                problem(Severity.NOTE, c.where(), "empty map page");
            }
        }
        map.load(root[0], counters[0], counters[1]);
        out.maps.add(map);
        out.volumeClassCounts.add(classCounts);
        out.volumeZoneCounts.add(zoneCounts);
        out.mappedBlocks += counters[1];
        for (int z = 0; z < zoneMapped.length; z++) {
            zoneMapped[z] += zoneCounts[z];
        }
        String where = "volume " + v.name();
        if (counters[1] != v.mappedBlocks() || counters[0] != v.nodes()) {
            problem(Severity.REPAIRABLE, where, "catalogue says " + v.mappedBlocks() + " mapped blocks in " + v.nodes()
                    + " pages, the map has " + counters[1] + " in " + counters[0]);
        }
    }

    private static String where(Catalogue.Entry v, Ref r) {
        return "volume " + v.name() + " map page level " + r.level() + " from block " + r.first() + " (page "
                + r.addr() + ")";
    }

    /** Reads a run of consecutive pages with one read; false when that read fails (then page by page). */
    private boolean readRun(List<Ref> run) {
        try {
            dev.read(run.get(0).addr() * PoolFormat.BLOCK, batch.clear().limit(run.size() * PoolFormat.BLOCK));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Verifies and decodes the map page in {@code page}; queues an internal node's children. */
    private MapNode parseNode(Catalogue.Entry v, Ref r, Superblock sb, long[] classCounts, long[] zoneCounts,
            long[] counters, List<Ref> next, List<Counted> internal) throws IOException {
        long addr = r.addr();
        int level = r.level();
        long first = r.first();
        String where = where(v, r);
        if (!header(where, level == 0 ? PoolFormat.PAGE_LEAF : PoolFormat.PAGE_INTERNAL, level, v.id(), first)) {
            return null;
        }
        MapNode n = new MapNode(level, first);
        n.addr = addr;
        int recordedCount = page.getInt(PoolFormat.H_COUNT);
        long volBlocks = v.sizeBytes() / PoolFormat.BLOCK;
        int nClasses = out.catalogue.classes().size();
        counters[0]++;
        if (level == 0) {
            for (int i = 0; i < PoolFormat.FANOUT; i++) {
                long e = page.getLong(PoolFormat.HEADER + 8 * i);
                if (e == 0) {
                    continue;
                }
                long vb = first + i;
                long phys = PoolFormat.phys(e);
                int code = PoolFormat.classCode(e);
                String at = "volume " + v.name() + " block " + vb + " (page " + addr + ")";
                if ((e >>> 48) != 0 || phys == 0) {
                    problem(Severity.ERROR, at, "malformed map entry 0x" + Long.toHexString(e));
                    continue;
                }
                if (vb >= volBlocks) {
                    problem(Severity.ERROR, at, "mapped beyond the volume's end (" + volBlocks + " blocks)");
                    continue;
                }
                int z = out.alloc.zoneOf(phys);
                if (z < 0) {
                    problem(Severity.ERROR, at, "physical block " + phys + " is outside every zone"
                            + (out.meta.contains(phys) || phys < 2 || phys >= sb.deviceBlocks() - 2
                                    ? " (in the pool's own metadata)" : ""));
                    continue;
                }
                if (code >= nClasses) {
                    problem(Severity.ERROR, at, "class code " + code + " not in the catalogue's " + nClasses + " classes");
                    continue;
                }
                if (!out.alloc.markUsed(phys)) {
                    problem(Severity.ERROR, at, "physical block " + phys + " is mapped twice");
                    continue;
                }
                n.phys[i] = (int) phys;
                n.cls[i] = (byte) code;
                n.count++;
                counters[1]++;
                classCounts[code]++;
                zoneCounts[z]++;
            }
            if (recordedCount != n.count) {
                problem(Severity.ERROR, where, "header counts " + recordedCount + " entries, the page holds " + n.count);
            }
            if (n.count == 0) {
                problem(Severity.NOTE, where, "empty map page");
            }
        } else {
            long span = VolumeMap.span(level - 1);
            for (int i = 0; i < PoolFormat.FANOUT; i++) {
                long c = page.getLong(PoolFormat.HEADER + 8 * i);
                if (c == 0) {
                    continue;
                }
                if (first + i * span >= volBlocks) {
                    problem(Severity.ERROR, where, "child " + i + " lies beyond the volume's end");
                    continue;
                }
                next.add(new Ref(c, level - 1, first + i * span, n, i));
            }
            internal.add(new Counted(n, recordedCount, where));
        }
        return n;
    }
}
