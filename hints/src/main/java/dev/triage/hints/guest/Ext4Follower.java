package dev.triage.hints.guest;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.ext4.Ext4FormatException;
import dev.triage.hints.ext4.Superblock;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the ext4 file system of one byte range of a volume (the whole volume or one
 * partition) as the guest writes it, and answers the DSS class of a block: the engine of
 * {@link GuestClassifier}, whose documentation says what it follows and how it is bounded.
 * Offsets here are relative to the range's start. Not thread-safe: its owner synchronizes.
 */
final class Ext4Follower {
    private static final Logger LOG = LoggerFactory.getLogger(Ext4Follower.class);

    // Static kinds (the statics map; owner = group + 1 or descriptor block + 1).
    private static final int S_SB = 1;
    private static final int S_GDT = 2;
    private static final int S_BBM = 3;
    private static final int S_IBM = 4;
    private static final int S_ITAB = 5;
    // Owned kinds (the owners map; owner = inode number).
    private static final int K_DATA = 10;
    private static final int K_DIR = 11;
    private static final int K_JOURNAL = 12;
    private static final int K_XATTR = 13;
    private static final int K_RESIZE = 14;
    /** An extent-tree node of depth d is K_NODE + d. */
    private static final int K_NODE = 16;
    /** An indirect block of level l (1..3) is K_IND + l. */
    private static final int K_IND = 24;

    private static final int EXTENT_MAGIC = 0xF30A;
    private static final int MAX_DEPTH = 5;
    private static final long FLAG_EXTENTS = 0x80000;
    private static final long FLAG_INLINE = 0x10000000;
    private static final int GROUP_INODE_UNINIT = 0x1;
    private static final long RESIZE_INODE = 7;
    private static final int MAX_SCAN_CHUNK = 1 << 20;

    private final long volumeSize;
    private final VolumeReader reader;
    private final GuestClassifier.Limits limits;
    private final int[] kindClass = new int[32];
    private final int[] fileClass = new int[11];
    private final int noneId;

    // What was detected (sb == null: no ext4).
    private Superblock sb;
    private String notExt4 = "not examined yet";
    private int bs;
    private int bsShift;
    private long blocks;
    private int groups;
    private long[] bbm;
    private long[] ibm;
    private long[] itab;
    private int[] gflags;
    private long[] unused;
    private long itabBlocks;
    private long descPerBlock;
    private BlockIntervals statics;
    private BlockIntervals owners;
    private InodeStates inodes;

    // Scratch, reused.
    private final ByteBuffer sbBuf = ByteBuffer.allocate(Superblock.SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer blockBuf;
    private ByteBuffer scanBuf;
    private final ByteBuffer[] levelBuf = new ByteBuffer[MAX_DEPTH + 1];
    private long readBudget;

    // Counters for describe().
    private long writes;
    private long detections;
    private int fullScans;
    /** Inode-table blocks the current write may still read for moved tables; -1 while building. */
    private long scanBudget = -1;
    private long losses;
    private long inodesParsed;
    private long nodesParsed;
    private long blocksRead;
    private long problems;
    private long internalErrors;
    private String lastProblem = "";

    private Ext4Follower(long volumeSize, VolumeReader reader, ClassVocabulary vocab, GuestClassifier.Limits limits) {
        this.volumeSize = volumeSize;
        this.reader = reader;
        this.limits = limits;
        Arrays.fill(kindClass, -1);
        kindClass[S_SB] = vocab.intern("superblock");
        kindClass[S_GDT] = vocab.intern("group_desc");
        kindClass[S_BBM] = vocab.intern("block_bitmap");
        kindClass[S_IBM] = vocab.intern("inode_bitmap");
        kindClass[S_ITAB] = vocab.intern("inode");
        kindClass[K_DIR] = vocab.intern("directory");
        kindClass[K_JOURNAL] = vocab.intern("journal");
        int extent = vocab.intern("extent");
        kindClass[K_XATTR] = extent;
        kindClass[K_RESIZE] = kindClass[S_GDT];
        for (int k = K_NODE; k <= K_NODE + MAX_DEPTH; k++) {
            kindClass[k] = extent;
        }
        for (int k = K_IND + 1; k <= K_IND + 3; k++) {
            kindClass[k] = extent;
        }
        long limit = 4L << 10;
        for (int i = 0; i < fileClass.length; i++, limit <<= 2) {
            fileClass[i] = vocab.intern(ClassVocabulary.fileSizeClass(i == fileClass.length - 1 ? Long.MAX_VALUE : limit));
        }
        noneId = vocab.intern(ClassVocabulary.NONE);
    }

    /**
     * A follower of {@code [0, size)} of what {@code reader} reads: reads the superblock and, if
     * it is ext4, the layout and (when {@code scan}) the in-use inode tables. Never throws for
     * content or read errors.
     */
    static Ext4Follower attach(long size, VolumeReader reader, ClassVocabulary vocab, GuestClassifier.Limits limits,
            boolean scan) {
        Ext4Follower g = new Ext4Follower(size, reader, vocab, limits);
        if (!scan) {
            g.fullScans = limits.maxFullScans();
        }
        try {
            if (size >= Superblock.OFFSET + Superblock.SIZE) {
                g.sbBuf.clear();
                reader.read(Superblock.OFFSET, g.sbBuf);
                g.detect();
            } else {
                g.notExt4 = "smaller than a superblock";
            }
        } catch (IOException | RuntimeException e) {
            g.problem("attach", e);
        }
        return g;
    }

    // ------------------------------------------------------------------ the hot path

    /**
     * Sets {@code r.tag} and, for file data, {@code r.fileSize} for a request starting at
     * {@code offset} of this range, when known. Allocates nothing.
     */
    void classify(BlockRequest r, long offset) {
        if (sb == null) {
            return;
        }
        if (r.op == Op.FLUSH || r.length <= 0) {
            r.tag = noneId;
            return;
        }
        if (offset < 0) {
            return;
        }
        long block = offset >>> bsShift;
        long p = statics.lookup(block);
        if (p != 0) {
            r.tag = kindClass[BlockIntervals.kindOf(p)];
            return;
        }
        p = owners.lookup(block);
        if (p == 0) {
            return;
        }
        int s = inodes.find(BlockIntervals.ownerOf(p));
        if (s < 0 || inodes.gen[s] != BlockIntervals.genOf(p) || inodes.type[s] == InodeStates.FREE) {
            return;
        }
        int kind = BlockIntervals.kindOf(p);
        if (kind == K_DATA) {
            long size = inodes.size[s];
            if (size >= 0) {
                r.fileSize = size;
                r.tag = fileClass[sizeBucket(size)];
            }
            return;
        }
        r.tag = kindClass[kind];
    }

    static int sizeBucket(long size) {
        if (size <= 4096) {
            return 0;
        }
        // 4 KiB * 4^i: bucket i holds (4^(i-1) * 4 KiB, 4^i * 4 KiB].
        int bits = 64 - Long.numberOfLeadingZeros((size - 1) >>> 12); // ceil(log2(size / 4 KiB))
        return Math.min((bits + 1) >>> 1, 10);
    }

    // ------------------------------------------------------------------ writes

    /**
     * Observes a write of {@code data} (position to limit) at byte {@code offset}. The buffer is
     * read with absolute gets and never kept.
     */
    void onWrite(long offset, ByteBuffer data) {
        writes++;
        if (data == null || offset < 0 || !data.hasRemaining()) {
            return;
        }
        try {
            int len = data.remaining();
            long end = offset + len;
            if (offset < Superblock.OFFSET + Superblock.SIZE && end > Superblock.OFFSET
                    && volumeSize >= Superblock.OFFSET + Superblock.SIZE) {
                sbBuf.clear();
                reader.read(Superblock.OFFSET, sbBuf);
                overlay(sbBuf, Superblock.OFFSET, offset, data);
                detect();
            }
            if (sb == null) {
                return;
            }
            readBudget = limits.writeReadBudget();
            scanBudget = limits.writeScanBudget();
            long first = offset >>> bsShift;
            long last = Math.min((end - 1) >>> bsShift, blocks - 1);
            for (long b = first; b <= last; b++) {
                long sp = statics.lookup(b);
                int sk = BlockIntervals.kindOf(sp);
                if (sk == S_ITAB) {
                    ByteBuffer blk = blockView(b, offset, data);
                    int g = BlockIntervals.ownerOf(sp) - 1;
                    inodeBlock(g, b, blk, base(b, offset, data, blk));
                    continue;
                }
                if (sk == S_GDT && BlockIntervals.ownerOf(sp) > 0) {
                    ByteBuffer blk = blockView(b, offset, data);
                    descriptorBlock(BlockIntervals.ownerOf(sp) - 1, blk, base(b, offset, data, blk));
                    continue;
                }
                if (sk != 0) {
                    continue;
                }
                long op = owners.lookup(b);
                int ok = BlockIntervals.kindOf(op);
                if ((ok >= K_NODE && ok <= K_NODE + MAX_DEPTH) || (ok > K_IND && ok <= K_IND + 3)) {
                    int ino = BlockIntervals.ownerOf(op);
                    int s = inodes.find(ino);
                    if (s < 0 || inodes.gen[s] != BlockIntervals.genOf(op) || inodes.type[s] == InodeStates.FREE) {
                        continue;
                    }
                    ByteBuffer blk = blockView(b, offset, data);
                    int at = base(b, offset, data, blk);
                    if (ok >= K_NODE && ok <= K_NODE + MAX_DEPTH) {
                        node(Integer.toUnsignedLong(ino), s, blk, at, bs, ok - K_NODE, dataKind(ino, s));
                    } else {
                        indirectBlock(Integer.toUnsignedLong(ino), s, blk, at, ok - K_IND, dataKind(ino, s));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            problem("write at " + offset, e);
        } finally {
            scanBudget = -1;
        }
    }

    /**
     * Observes a trim or a write of zeroes of {@code [offset, offset + length)}: whole blocks
     * in it lose their owner; zeroed inode-table blocks free their inodes.
     */
    void onDiscard(long offset, long length) {
        if (sb == null || offset < 0 || length <= 0) {
            return;
        }
        try {
            long first = (offset + bs - 1) >>> bsShift;
            long end = Math.min((offset + length) >>> bsShift, blocks);
            if (first >= end) {
                return;
            }
            owners.remove(first, end);
            int perBlock = bs / sb.inodeSize();
            // Inode tables inside the range: free their inodes (bounded by the tables' size).
            for (int g = 0; g < groups; g++) {
                long t = itab[g];
                if (t < 0 || t + itabBlocks <= first || t >= end) {
                    continue;
                }
                long from = Math.max(t, first);
                long to = Math.min(t + itabBlocks, end);
                for (long b = from; b < to; b++) {
                    long firstIdx = (b - t) * perBlock;
                    for (int k = 0; k < perBlock && firstIdx + k < sb.inodesPerGroup(); k++) {
                        free(inodeNumber(g, firstIdx + k));
                    }
                }
            }
        } catch (RuntimeException e) {
            problem("discard at " + offset, e);
        }
    }

    // ------------------------------------------------------------------ detection and layout

    /** Parses sbBuf (the primary superblock) and (re)builds the layout if it changed. */
    private void detect() throws IOException {
        sbBuf.position(0).limit(Superblock.SIZE);
        Superblock found;
        try {
            found = Superblock.parse(sbBuf, volumeSize, "volume superblock");
        } catch (Ext4FormatException e) {
            if (sb != null && ++losses <= 10) { // a guest may do this at will: keep the log short
                LOG.info("volume: the ext4 superblock is gone ({}): requests are no longer classified", e.getMessage());
            }
            drop(e.getMessage());
            return;
        }
        if (found.groupCount() > limits.maxGroups()) {
            drop("ext4 with " + found.groupCount() + " block groups, more than the " + limits.maxGroups() + " followed");
            return;
        }
        if (sb != null && sameGeometry(sb, found)) {
            return;
        }
        build(found);
        detections++;
        LOG.debug("volume: {}", found);
        // The guest may have written inode tables before the superblock (mke2fs writes the
        // primary superblock last): read what is there, a bounded number of times.
        if (fullScans < limits.maxFullScans()) {
            fullScans++;
            scanInodeTables();
        }
    }

    private void drop(String why) {
        sb = null;
        notExt4 = why;
        statics = owners = null;
        inodes = null;
        bbm = ibm = itab = unused = null;
        gflags = null;
    }

    private static boolean sameGeometry(Superblock a, Superblock b) {
        return a.blockSize() == b.blockSize() && a.blocksCount() == b.blocksCount()
                && a.blocksPerGroup() == b.blocksPerGroup() && a.inodesPerGroup() == b.inodesPerGroup()
                && a.inodesCount() == b.inodesCount() && a.inodeSize() == b.inodeSize()
                && a.firstIno() == b.firstIno() && a.descSize() == b.descSize()
                && a.reservedGdtBlocks() == b.reservedGdtBlocks() && a.journalInum() == b.journalInum()
                && a.firstMetaBg() == b.firstMetaBg() && Arrays.equals(a.backupBgs(), b.backupBgs())
                && a.featureIncompat() == b.featureIncompat() && a.featureRoCompat() == b.featureRoCompat()
                && a.featureCompat() == b.featureCompat();
    }

    private void build(Superblock s) throws IOException {
        drop("rebuilding");
        bs = s.blockSize();
        bsShift = Integer.numberOfTrailingZeros(bs);
        blocks = s.blocksCount();
        groups = (int) s.groupCount();
        itabBlocks = (s.inodesPerGroup() * s.inodeSize() + bs - 1) / bs;
        descPerBlock = bs / s.descSize();
        bbm = new long[groups];
        ibm = new long[groups];
        itab = new long[groups];
        gflags = new int[groups];
        unused = new long[groups];
        Arrays.fill(bbm, -1);
        Arrays.fill(ibm, -1);
        Arrays.fill(itab, -1);
        statics = new BlockIntervals(blocks, Math.max(limits.maxIntervals(), 8L * groups + 64), null);
        inodes = new InodeStates(limits.maxInodes());
        InodeStates st = inodes;
        owners = new BlockIntervals(blocks, limits.maxIntervals(), (kind, owner, gen) -> {
            int slot = st.find(owner);
            return slot < 0 || st.gen[slot] != gen || st.type[slot] == InodeStates.FREE;
        });
        if (blockBuf == null || blockBuf.capacity() != bs) {
            blockBuf = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
            Arrays.fill(levelBuf, null);
        }
        sb = s;
        notExt4 = null;
        // Superblocks and descriptor tables.
        boolean metaBg = s.hasIncompat(Superblock.INCOMPAT_META_BG);
        long allGdt = s.gdtBlocks();
        long classic = metaBg ? Math.min(s.firstMetaBg(), allGdt) : allGdt;
        if (s.firstDataBlock() == 1) {
            statics.put(0, 1, S_SB, 0, 0);
        }
        for (int g = 0; g < groups; g++) {
            long start = s.groupStart(g);
            if (s.hasSuperblock(g)) {
                statics.put(start, start + 1, S_SB, 0, 0);
                statics.put(start + 1, start + 1 + classic + s.reservedGdtBlocks(), S_GDT, 0, 0);
            }
            if (metaBg && g / descPerBlock >= s.firstMetaBg()) {
                long r = g % descPerBlock;
                if (r == 0 || r == 1 || r == descPerBlock - 1) {
                    long at = start + (s.hasSuperblock(g) ? 1 : 0);
                    statics.put(at, at + 1, S_GDT, r == 0 ? (int) (g / descPerBlock) + 1 : 0, 0);
                }
            }
        }
        // The primary classic descriptor blocks carry their index, so writes to them are parsed.
        long primary = s.firstDataBlock() + 1;
        for (long d = 0; d < classic; d++) {
            statics.put(primary + d, primary + d + 1, S_GDT, (int) d + 1, 0);
        }
        // Read every descriptor block once.
        ByteBuffer buf = blockBuf;
        for (long d = 0; d < allGdt; d++) {
            long at = descriptorLocation(d);
            if (at < 0 || at >= blocks) {
                continue;
            }
            buf.clear();
            reader.read(at * bs, buf);
            blocksRead++;
            descriptorBlock(d, buf, 0);
        }
    }

    private long descriptorLocation(long d) {
        if (!sb.hasIncompat(Superblock.INCOMPAT_META_BG) || d < sb.firstMetaBg()) {
            return sb.firstDataBlock() + 1 + d;
        }
        long g = d * descPerBlock;
        return g >= groups ? -1 : sb.groupStart(g) + (sb.hasSuperblock(g) ? 1 : 0);
    }

    /** Parses descriptor block {@code d} at {@code buf[at, at + bs)}, moving what moved. */
    private void descriptorBlock(long d, ByteBuffer buf, int at) throws IOException {
        boolean is64 = sb.hasIncompat(Superblock.INCOMPAT_64BIT);
        int ds = sb.descSize();
        long g0 = d * descPerBlock;
        for (long k = 0; k < descPerBlock && g0 + k < groups; k++) {
            int g = (int) (g0 + k);
            int p = at + (int) k * ds;
            long bb = Le.u32(buf, p);
            long ib = Le.u32(buf, p + 4);
            long it = Le.u32(buf, p + 8);
            int flags = Le.u16(buf, p + 0x12);
            long un = Le.u16(buf, p + 0x1C);
            if (is64) {
                bb |= Le.u32(buf, p + 0x20) << 32;
                ib |= Le.u32(buf, p + 0x24) << 32;
                it |= Le.u32(buf, p + 0x28) << 32;
                un |= (long) Le.u16(buf, p + 0x32) << 16;
            }
            gflags[g] = flags;
            unused[g] = un;
            bb = valid(bb, 1);
            ib = valid(ib, 1);
            it = valid(it, itabBlocks);
            if (bb != bbm[g]) {
                move(bbm[g], 1, bb, S_BBM, g);
                bbm[g] = bb;
            }
            if (ib != ibm[g]) {
                move(ibm[g], 1, ib, S_IBM, g);
                ibm[g] = ib;
            }
            if (it != itab[g]) {
                move(itab[g], itabBlocks, it, S_ITAB, g);
                itab[g] = it;
                if (it >= 0 && scanBudget > 0) {
                    scanBudget -= scanGroup(g, scanBudget);
                }
            }
        }
    }

    /**
     * The block if {@code [block, block + count)} is inside the file system and does not start
     * on a superblock or descriptor block (0 is what an unwritten descriptor says), else -1.
     */
    private long valid(long block, long count) {
        if (block <= sb.firstDataBlock() || block > blocks - count) {
            return -1;
        }
        int k = BlockIntervals.kindOf(statics.lookup(block));
        return k == S_SB || k == S_GDT ? -1 : block;
    }

    /** Moves group {@code g}'s structure of {@code kind} from one location to another (-1: none). */
    private void move(long from, long count, long to, int kind, int g) {
        if (from >= 0) {
            statics.removeMatching(from, from + count, BlockIntervals.pack(kind, g + 1, 0));
        }
        if (to >= 0) {
            statics.put(to, to + count, kind, g + 1, 0);
            owners.remove(to, to + count);
        }
    }

    /** Reads the in-use part of every inode table once (a volume that already holds ext4). */
    private void scanInodeTables() throws IOException {
        long budget = blocks;
        readBudget = blocks + 1024;
        for (int g = 0; g < groups && budget > 0; g++) {
            budget -= scanGroup(g, budget);
        }
        if (budget <= 0) {
            problem("inode tables add up to more blocks than the file system has: the scan stopped");
        }
    }

    /** Parses the in-use part of group {@code g}'s inode table, at most {@code maxBlocks} blocks; returns the blocks read. */
    private long scanGroup(int g, long maxBlocks) throws IOException {
        if (itab[g] < 0) {
            return 0;
        }
        long ipg = sb.inodesPerGroup();
        long used = ipg;
        if (sb.hasGroupChecksums()) {
            if ((gflags[g] & GROUP_INODE_UNINIT) != 0 || unused[g] > ipg) {
                return 0;
            }
            used = ipg - unused[g];
        }
        long tableBlocks = Math.min((used * sb.inodeSize() + bs - 1) / bs, maxBlocks);
        int chunkBlocks = Math.max(1, MAX_SCAN_CHUNK / bs);
        if (scanBuf == null || scanBuf.capacity() != chunkBlocks * bs) {
            scanBuf = ByteBuffer.allocate(chunkBlocks * bs).order(ByteOrder.LITTLE_ENDIAN);
        }
        for (long b = 0; b < tableBlocks; b += chunkBlocks) {
            int n = (int) Math.min(chunkBlocks, tableBlocks - b);
            scanBuf.clear().limit(n * bs);
            reader.read((itab[g] + b) * bs, scanBuf);
            blocksRead += n;
            for (int k = 0; k < n; k++) {
                inodeBlock(g, itab[g] + b + k, scanBuf, k * bs);
            }
        }
        return tableBlocks;
    }

    // ------------------------------------------------------------------ inodes

    private long inodeNumber(int g, long index) {
        return (long) g * sb.inodesPerGroup() + index + 1;
    }

    /** Parses the inodes of inode-table block {@code block} of group {@code g}, at {@code buf[at, at + bs)}. */
    private void inodeBlock(int g, long block, ByteBuffer buf, int at) throws IOException {
        if (g < 0 || g >= groups || itab[g] < 0) {
            return;
        }
        int isz = sb.inodeSize();
        int perBlock = bs / isz;
        long firstIdx = (block - itab[g]) * perBlock;
        for (int k = 0; k < perBlock; k++) {
            long idx = firstIdx + k;
            if (idx >= sb.inodesPerGroup()) {
                break;
            }
            long ino = inodeNumber(g, idx);
            if (ino > sb.inodesCount()) {
                break;
            }
            inode(ino, buf, at + k * isz);
        }
    }

    private void free(long ino) {
        int s = inodes.find((int) ino);
        if (s >= 0 && inodes.type[s] != InodeStates.FREE) {
            inodes.type[s] = InodeStates.FREE;
            inodes.size[s] = -1;
            inodes.bump(s);
        }
    }

    private void inode(long ino, ByteBuffer t, int at) throws IOException {
        inodesParsed++;
        int mode = Le.u16(t, at);
        int links = Le.u16(t, at + 0x1A);
        if (mode == 0 || (links == 0 && ino >= sb.firstIno())) {
            free(ino);
            return;
        }
        boolean resize = ino == RESIZE_INODE;
        if (ino < sb.firstIno() && ino != 2 && ino != sb.journalInum() && !resize) {
            return; // reserved inodes (bad blocks, quota ...) own nothing classified here
        }
        int fmt = mode & 0xF000;
        byte type = switch (fmt) {
            case 0x8000 -> dev.triage.hints.ext4.InodeTable.REGULAR;
            case 0x4000 -> dev.triage.hints.ext4.InodeTable.DIRECTORY;
            case 0xA000 -> dev.triage.hints.ext4.InodeTable.SYMLINK;
            default -> dev.triage.hints.ext4.InodeTable.OTHER;
        };
        long size = Le.u32(t, at + 4) | Le.u32(t, at + 0x6C) << 32;
        long flags = Le.u32(t, at + 0x20);
        long acl = Le.u32(t, at + 0x68) | (long) Le.u16(t, at + 0x76) << 32;
        int hash = (int) (flags & (FLAG_EXTENTS | FLAG_INLINE)) * 31 + type;
        for (int i = 0; i < 60; i += 4) {
            hash = hash * 31 + (int) Le.u32(t, at + 0x28 + i);
        }
        hash = hash * 31 + (int) acl;
        int s = inodes.findOrAdd((int) ino);
        if (s < 0) {
            problem("more than " + limits.maxInodes() + " inodes: inode " + ino + " is not followed");
            return;
        }
        inodes.size[s] = size < 0 ? -1 : size;
        if (inodes.type[s] == type && inodes.mapHash[s] == hash) {
            return; // only the size (or times) changed: the mapping stands
        }
        boolean extents = (flags & FLAG_EXTENTS) != 0;
        boolean inline = (flags & FLAG_INLINE) != 0;
        int iblock = at + 0x28;
        // Whether everything the inode maps is in the inode itself: then the old mapping is
        // replaced wholesale; otherwise what was learned from the tree below stays valid.
        boolean complete = inline || !extents && (Le.u32(t, iblock + 48) | Le.u32(t, iblock + 52)
                | Le.u32(t, iblock + 56)) == 0 || extents && Le.u16(t, iblock + 6) == 0;
        if (inodes.type[s] != type || complete) {
            inodes.bump(s);
        }
        inodes.type[s] = type;
        inodes.mapHash[s] = hash;
        int gen = inodes.gen[s];
        if (resize) {
            long dind = Le.u32(t, iblock + 4 * 13);
            if (dind != 0 && validBlock(dind)) {
                owners.put(dind, dind + 1, K_RESIZE, (int) ino, gen);
            }
            return;
        }
        if (acl != 0 && validBlock(acl)) {
            owners.put(acl, acl + 1, K_XATTR, (int) ino, gen);
        }
        if (type == dev.triage.hints.ext4.InodeTable.OTHER || inline) {
            return;
        }
        int kind = dataKind((int) ino, s);
        if (extents) {
            node(ino, s, t, iblock, 60, -1, kind);
        } else if (type == dev.triage.hints.ext4.InodeTable.SYMLINK && size < 60) {
            return; // a fast symlink: the target is in i_block
        } else {
            long runStart = -1;
            long runEnd = -1;
            for (int i = 0; i < 12; i++) {
                long blk = Le.u32(t, iblock + 4 * i);
                if (blk == 0 || !validBlock(blk)) {
                    continue;
                }
                if (blk != runEnd) {
                    if (runStart >= 0) {
                        owners.put(runStart, runEnd, kind, (int) ino, gen);
                    }
                    runStart = blk;
                }
                runEnd = blk + 1;
            }
            if (runStart >= 0) {
                owners.put(runStart, runEnd, kind, (int) ino, gen);
            }
            for (int level = 1; level <= 3; level++) {
                long blk = Le.u32(t, iblock + 4 * (11 + level));
                child(ino, s, blk, K_IND + level, kind);
            }
        }
    }

    private int dataKind(int ino, int s) {
        if (Integer.toUnsignedLong(ino) == sb.journalInum()) {
            return K_JOURNAL;
        }
        return inodes.type[s] == dev.triage.hints.ext4.InodeTable.DIRECTORY ? K_DIR : K_DATA;
    }

    private boolean validBlock(long b) {
        return b >= sb.firstDataBlock() && b < blocks;
    }

    /** Claims a tree or indirect block for the inode and, within the read budget, parses it now. */
    private void child(long ino, int s, long blk, int kind, int dataKind) throws IOException {
        if (blk == 0 || !validBlock(blk) || statics.lookup(blk) != 0) {
            return;
        }
        owners.put(blk, blk + 1, kind, (int) ino, inodes.gen[s]);
        if (readBudget <= 0) {
            return;
        }
        readBudget--;
        int level = kind >= K_IND ? kind - K_IND : kind - K_NODE;
        ByteBuffer buf = levelBuf[level];
        if (buf == null) {
            buf = levelBuf[level] = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
        }
        buf.clear();
        reader.read(blk * bs, buf);
        blocksRead++;
        if (kind >= K_IND) {
            indirectBlock(ino, s, buf, 0, level, dataKind);
        } else {
            node(ino, s, buf, 0, bs, level, dataKind);
        }
    }

    /** One extent-tree node at {@code b[at, at + len)}; {@code expectDepth} -1 for the root in the inode. */
    private void node(long ino, int s, ByteBuffer b, int at, int len, int expectDepth, int dataKind)
            throws IOException {
        nodesParsed++;
        int magic = Le.u16(b, at);
        int entries = Le.u16(b, at + 2);
        int max = Le.u16(b, at + 4);
        int depth = Le.u16(b, at + 6);
        if (magic != EXTENT_MAGIC || entries > max || max > (len - 12) / 12 || depth > MAX_DEPTH
                || (expectDepth >= 0 && depth != expectDepth)) {
            return; // not a node we can trust (being rewritten, or hostile): nothing claimed
        }
        int gen = inodes.gen[s];
        for (int e = 0; e < entries; e++) {
            int p = at + 12 + e * 12;
            if (depth == 0) {
                int raw = Le.u16(b, p + 4);
                long n = raw > 32768 ? raw - 32768 : raw;
                long start = (long) Le.u16(b, p + 6) << 32 | Le.u32(b, p + 8);
                if (n > 0 && validBlock(start) && start + n <= blocks) {
                    owners.put(start, start + n, dataKind, (int) ino, gen);
                }
            } else {
                long childBlock = (long) Le.u16(b, p + 8) << 32 | Le.u32(b, p + 4);
                child(ino, s, childBlock, K_NODE + depth - 1, dataKind);
            }
        }
    }

    /** An indirect block of {@code level} (1: data pointers) at {@code b[at, at + bs)}. */
    private void indirectBlock(long ino, int s, ByteBuffer b, int at, int level, int dataKind) throws IOException {
        nodesParsed++;
        int n = bs / 4;
        int gen = inodes.gen[s];
        long runStart = -1;
        long runEnd = -1;
        for (int i = 0; i < n; i++) {
            long blk = Le.u32(b, at + 4 * i);
            if (blk == 0 || !validBlock(blk)) {
                continue;
            }
            if (level > 1) {
                child(ino, s, blk, K_IND + level - 1, dataKind);
                continue;
            }
            if (blk != runEnd) {
                if (runStart >= 0) {
                    owners.put(runStart, runEnd, dataKind, (int) ino, gen);
                }
                runStart = blk;
            }
            runEnd = blk + 1;
        }
        if (runStart >= 0) {
            owners.put(runStart, runEnd, dataKind, (int) ino, gen);
        }
    }

    // ------------------------------------------------------------------ buffers

    /**
     * The bytes of block {@code b} after the write: {@code data} itself when the write covers
     * the whole block, else the block read from the volume with the written part laid over it.
     */
    private ByteBuffer blockView(long b, long offset, ByteBuffer data) throws IOException {
        long blockStart = b << bsShift;
        if (offset <= blockStart && offset + data.remaining() >= blockStart + bs) {
            return data;
        }
        blockBuf.clear();
        reader.read(blockStart, blockBuf);
        blocksRead++;
        overlay(blockBuf, blockStart, offset, data);
        return blockBuf;
    }

    /** Where block {@code b} starts in {@code view} (an index into data, or 0 in a scratch buffer). */
    private int base(long b, long offset, ByteBuffer data, ByteBuffer view) {
        return view == data ? data.position() + (int) ((b << bsShift) - offset) : 0;
    }

    /** Lays the written bytes over {@code dst} (holding the volume's bytes from {@code dstOffset}). */
    private static void overlay(ByteBuffer dst, long dstOffset, long offset, ByteBuffer data) {
        long from = Math.max(dstOffset, offset);
        long to = Math.min(dstOffset + dst.capacity(), offset + data.remaining());
        if (from < to) {
            dst.put((int) (from - dstOffset), data, data.position() + (int) (from - offset), (int) (to - from));
        }
    }

    // ------------------------------------------------------------------ reporting

    private void problem(String what, Exception e) {
        problems++;
        if (e instanceof RuntimeException) {
            internalErrors++; // a bug of this class: no content should cause one
        }
        lastProblem = what + ": " + e;
        if (problems <= 10 || Long.bitCount(problems) == 1) {
            LOG.warn("guest classifier: {} (problem {})", lastProblem, problems);
        }
    }

    private void problem(String what) {
        problems++;
        lastProblem = what;
        if (problems <= 10 || Long.bitCount(problems) == 1) {
            LOG.debug("guest classifier: {} (problem {})", what, problems);
        }
    }

    /** Failures that were not read errors (bugs: no volume content should cause one). */
    long internalErrors() {
        return internalErrors;
    }

    /** Blocks read from the volume so far. */
    long blocksRead() {
        return blocksRead;
    }

    /** True when an ext4 file system is recognised on the volume. */
    boolean isExt4() {
        return sb != null;
    }

    /** The problems met so far (read errors, limits reached, internal failures). */
    long problems() {
        return problems;
    }

    /**
     * What was detected, for logs and {@code triage stat}: the file system, its geometry, the
     * journal's blocks, how much is followed, and the problems met.
     */
    String describe() {
        if (sb == null) {
            return String.format(Locale.ROOT, "no ext4 file system (%s); %d writes seen, %d problems%s",
                    notExt4, writes, problems, problems > 0 ? " (last: " + lastProblem + ")" : "");
        }
        long[] journal = {Long.MAX_VALUE, -1, 0};
        long[] owned = new long[1];
        owners.forEach((from, to, kind, owner, gen) -> {
            int s = inodes.find(owner);
            if (s < 0 || inodes.gen[s] != gen || inodes.type[s] == InodeStates.FREE) {
                return;
            }
            owned[0] += to - from;
            if (kind == K_JOURNAL) {
                journal[0] = Math.min(journal[0], from);
                journal[1] = Math.max(journal[1], to);
                journal[2] += to - from;
            }
        });
        String j = journal[2] == 0 ? (sb.journalInum() == 0 ? "no journal" : "journal inode " + sb.journalInum()
                + " not seen yet") : String.format(Locale.ROOT, "journal inode %d: %d blocks in [%d, %d)",
                sb.journalInum(), journal[2], journal[0], journal[1]);
        return String.format(Locale.ROOT,
                "ext4: %d blocks of %d bytes, %d groups, %d inodes of %d bytes; %s; following %d inodes, "
                        + "%d owned blocks in %d intervals (%d dropped at the cap); %d writes, %d inodes and %d tree "
                        + "blocks parsed, %d blocks read; %d detections, %d problems%s",
                sb.blocksCount(), bs, groups, sb.inodesCount(), sb.inodeSize(), j, inodes.count(), owned[0],
                owners.entries(), owners.dropped(), writes, inodesParsed, nodesParsed, blocksRead, detections,
                problems, problems > 0 ? " (last: " + lastProblem + ")" : "");
    }
}
