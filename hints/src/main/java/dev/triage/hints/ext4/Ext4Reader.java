package dev.triage.hints.ext4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an ext4 file system from an {@link Ext4Source} and classifies its blocks: the
 * superblock and its backups, group descriptors (with meta_bg, flex_bg and 64bit), reserved
 * GDT blocks, block and inode bitmaps, inode tables, and, by walking every in-use inode, its
 * extent tree (index and leaf blocks), indirect blocks, extended-attribute block and data
 * (journal, directory, or file data owned by that inode); inline data owns no block.
 *
 * <p>It is built for corrupt and hostile images: the superblock's counts are bounded by the
 * size of the source, every pointer is checked against the block count before it is followed,
 * extent trees deeper than 5 or whose depths do not strictly decrease (which is how a cycle
 * shows) are cut, and the total number of tree blocks read and ranges kept is bounded by the
 * block count. A field that is out of range becomes a {@link Ext4Image#problems() problem}
 * and its blocks stay unclassified; only an unusable superblock is an {@link
 * Ext4FormatException}. No other exception escapes for bad content.
 */
public final class Ext4Reader {
    private static final Logger LOG = LoggerFactory.getLogger(Ext4Reader.class);

    /** The deepest extent tree ext4 builds (the kernel's limit). */
    public static final int MAX_EXTENT_DEPTH = 5;
    private static final int MAX_PROBLEM_MESSAGES = 50;
    private static final int EXTENT_MAGIC = 0xF30A;
    private static final long INODE_FLAG_EXTENTS = 0x80000;
    private static final long INODE_FLAG_INLINE_DATA = 0x10000000;
    private static final int GROUP_INODE_UNINIT = 0x1;
    private static final long RESIZE_INODE = 7;
    /** Inode-table bytes read at once. */
    private static final int TABLE_CHUNK = 1 << 20;

    private final Ext4Source source;
    private final long sourceSize;
    private Superblock sb;
    private int bs;
    private final List<String> problems = new ArrayList<>();
    private long problemCount;
    private BlockClassMap.Builder ranges;
    private long treeBudget;
    private long tableBudget;
    private long[] blockBitmap;
    private long[] inodeBitmap;
    private long[] inodeTable;
    private int[] groupFlags;
    private long[] itableUnused;

    private Ext4Reader(Ext4Source source, long sourceSize) {
        this.source = source;
        this.sourceSize = sourceSize;
    }

    /**
     * Reads the file system on {@code source}.
     *
     * @throws Ext4FormatException when neither the primary superblock nor a backup is usable
     * @throws IOException when the source cannot be read
     */
    public static Ext4Image read(Ext4Source source) throws IOException {
        long size = source.size();
        Ext4Reader r = new Ext4Reader(source, size);
        try {
            return r.readAll();
        } catch (Ext4FormatException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug of this reader, not a property of the image: say so plainly.
            throw new Ext4FormatException("internal: the ext4 reader failed on " + source + ": " + e, e);
        }
    }

    private Ext4Image readAll() throws IOException {
        sb = readSuperblock();
        bs = sb.blockSize();
        long groups = sb.groupCount();
        long maxRanges = Math.min(sb.blocksCount() + 16 * groups + 1024, 1L << 28);
        ranges = new BlockClassMap.Builder((int) maxRanges);
        treeBudget = sb.blocksCount() + 1024;
        tableBudget = sb.blocksCount();
        readGroupDescriptors();
        addStaticMetadata();
        InodeTable inodes = scanInodes();
        if (ranges.isFull()) {
            problem("more than " + maxRanges + " block ranges: the rest is left unclassified");
        }
        BlockClassMap map = ranges.build();
        if (problemCount > 0) {
            LOG.debug("ext4 {}: {} problems, first: {}", source, problemCount, problems.get(0));
        }
        return new Ext4Image(sb, map, inodes, List.copyOf(problems), problemCount);
    }

    private void problem(String what) {
        problemCount++;
        if (problems.size() < MAX_PROBLEM_MESSAGES) {
            problems.add(what);
        }
    }

    /** Counts a problem, building its message only while messages are still kept. */
    private void problem(java.util.function.Supplier<String> what) {
        if (problems.size() < MAX_PROBLEM_MESSAGES) {
            problem(what.get());
        } else {
            problemCount++;
        }
    }

    // ---------------------------------------------------------------- superblock

    private Superblock readSuperblock() throws IOException {
        if (sourceSize < Superblock.OFFSET + Superblock.SIZE) {
            throw new Ext4FormatException(source + ": too small for an ext4 file system (" + sourceSize + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.allocate(Superblock.SIZE);
        source.read(Superblock.OFFSET, buf);
        buf.flip();
        try {
            return Superblock.parse(buf, sourceSize, "primary superblock");
        } catch (Ext4FormatException primary) {
            // Try the backup in group 1 for each block size (blocks per group = 8 * block size).
            for (int size = 1024; size <= 65536; size <<= 1) {
                long block = 8L * size + (size == 1024 ? 1 : 0);
                long offset = block * size;
                if (offset + Superblock.SIZE > sourceSize) {
                    break;
                }
                buf.clear();
                source.read(offset, buf);
                buf.flip();
                try {
                    Superblock backup = Superblock.parse(buf, sourceSize, "backup superblock at block " + block);
                    if (backup.blockSize() == size && backup.blocksPerGroup() == 8L * size) {
                        problem(primary.getMessage() + "; using the backup superblock at block " + block);
                        return backup;
                    }
                } catch (Ext4FormatException ignored) {
                    // not there either
                }
            }
            throw primary;
        }
    }

    // ---------------------------------------------------------------- group descriptors

    private long descPerBlock() {
        return bs / sb.descSize();
    }

    private boolean metaBg() {
        return sb.hasIncompat(Superblock.INCOMPAT_META_BG);
    }

    /** Group-descriptor blocks laid out the classic way (all but the meta_bg part). */
    private long classicGdtBlocks() {
        long all = sb.gdtBlocks();
        return metaBg() ? Math.min(sb.firstMetaBg(), all) : all;
    }

    /** The block holding descriptor block {@code d} (the d-th block of descriptors). */
    private long descriptorBlock(long d) {
        if (!metaBg() || d < sb.firstMetaBg()) {
            return sb.firstDataBlock() + 1 + d;
        }
        long group = d * descPerBlock();
        return sb.groupStart(group) + (sb.hasSuperblock(group) ? 1 : 0);
    }

    private void readGroupDescriptors() throws IOException {
        int groups = (int) Math.min(sb.groupCount(), Integer.MAX_VALUE - 8);
        blockBitmap = new long[groups];
        inodeBitmap = new long[groups];
        inodeTable = new long[groups];
        groupFlags = new int[groups];
        itableUnused = new long[groups];
        boolean is64 = sb.hasIncompat(Superblock.INCOMPAT_64BIT);
        int ds = sb.descSize();
        long perBlock = descPerBlock();
        ByteBuffer block = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
        long loaded = -1;
        boolean loadedOk = false;
        for (int g = 0; g < groups; g++) {
            long d = g / perBlock;
            if (d != loaded) {
                loaded = d;
                loadedOk = readBlock(descriptorBlock(d), block);
                if (!loadedOk) {
                    problem(() -> "group descriptor block " + d + " (block " + descriptorBlock(d)
                            + ") is outside the file system");
                }
            }
            if (!loadedOk) {
                blockBitmap[g] = inodeBitmap[g] = inodeTable[g] = -1;
                continue;
            }
            int at = (int) (g % perBlock) * ds;
            long bb = Superblock.u32(block, at);
            long ib = Superblock.u32(block, at + 0x4);
            long it = Superblock.u32(block, at + 0x8);
            int flags = Superblock.u16(block, at + 0x12);
            long unused = Superblock.u16(block, at + 0x1C);
            if (is64) {
                bb |= Superblock.u32(block, at + 0x20) << 32;
                ib |= Superblock.u32(block, at + 0x24) << 32;
                it |= Superblock.u32(block, at + 0x28) << 32;
                unused |= (long) Superblock.u16(block, at + 0x32) << 16;
            }
            blockBitmap[g] = checkBlock(bb, 1, "group " + g + " bg_block_bitmap");
            inodeBitmap[g] = checkBlock(ib, 1, "group " + g + " bg_inode_bitmap");
            inodeTable[g] = checkBlock(it, inodeTableBlocks(), "group " + g + " bg_inode_table");
            groupFlags[g] = flags;
            itableUnused[g] = unused;
        }
    }

    private long inodeTableBlocks() {
        return (sb.inodesPerGroup() * sb.inodeSize() + bs - 1) / bs;
    }

    /** The block if {@code [block, block+count)} lies inside the file system, else -1 (a problem). */
    private long checkBlock(long block, long count, String field) {
        if (block < sb.firstDataBlock() || block > sb.blocksCount() - count) {
            problem(() -> field + " = " + block + " is outside the file system (" + sb.blocksCount() + " blocks)");
            return -1;
        }
        return block;
    }

    private boolean validBlock(long block) {
        return block >= sb.firstDataBlock() && block < sb.blocksCount();
    }

    private boolean readBlock(long block, ByteBuffer dst) throws IOException {
        if (!validBlock(block)) {
            return false;
        }
        dst.clear();
        source.read(block * bs, dst);
        dst.flip();
        return true;
    }

    // ---------------------------------------------------------------- static metadata

    private void addStatic(long from, long count, Ext4Class c) {
        long to = Math.min(from + count, sb.blocksCount());
        if (from >= 0 && from < to) {
            ranges.add(from, to, c, 0);
        }
    }

    private void addStaticMetadata() {
        int groups = blockBitmap.length;
        long classic = classicGdtBlocks();
        long perBlock = descPerBlock();
        if (sb.firstDataBlock() == 1) {
            addStatic(0, 1, Ext4Class.SUPERBLOCK); // the boot block before the superblock
        }
        for (int g = 0; g < groups; g++) {
            long start = sb.groupStart(g);
            if (sb.hasSuperblock(g)) {
                addStatic(start, 1, Ext4Class.SUPERBLOCK);
                addStatic(start + 1, classic + sb.reservedGdtBlocks(), Ext4Class.GROUP_DESC);
            }
            if (metaBg() && g / perBlock >= sb.firstMetaBg()) {
                long r = g % perBlock;
                if (r == 0 || r == 1 || r == perBlock - 1) {
                    addStatic(start + (sb.hasSuperblock(g) ? 1 : 0), 1, Ext4Class.GROUP_DESC);
                }
            }
            if (blockBitmap[g] >= 0) {
                addStatic(blockBitmap[g], 1, Ext4Class.BLOCK_BITMAP);
            }
            if (inodeBitmap[g] >= 0) {
                addStatic(inodeBitmap[g], 1, Ext4Class.INODE_BITMAP);
            }
            if (inodeTable[g] >= 0) {
                addStatic(inodeTable[g], inodeTableBlocks(), Ext4Class.INODE);
            }
        }
    }

    // ---------------------------------------------------------------- inodes

    private InodeTable scanInodes() throws IOException {
        InodeTable.Builder table = new InodeTable.Builder();
        int groups = blockBitmap.length;
        long ipg = sb.inodesPerGroup();
        int isz = sb.inodeSize();
        ByteBuffer bitmap = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
        int chunkInodes = Math.max(1, TABLE_CHUNK / isz);
        ByteBuffer chunk = ByteBuffer.allocate((int) Math.min((long) chunkInodes * isz, ipg * isz))
                .order(ByteOrder.LITTLE_ENDIAN);
        TreeWalker walker = new TreeWalker();
        for (int g = 0; g < groups; g++) {
            if (inodeTable[g] < 0 || inodeBitmap[g] < 0) {
                continue; // already a problem
            }
            if (sb.hasGroupChecksums() && (groupFlags[g] & GROUP_INODE_UNINIT) != 0) {
                continue;
            }
            long used = ipg;
            if (sb.hasGroupChecksums()) {
                if (itableUnused[g] > ipg) {
                    int gg = g;
                    problem(() -> "group " + gg + " bg_itable_unused " + itableUnused[gg] + " exceeds "
                            + ipg + " inodes per group");
                    continue;
                }
                used = ipg - itableUnused[g];
            }
            if (used == 0) {
                continue;
            }
            long tableBlocks = (used * isz + bs - 1) / bs;
            tableBudget -= tableBlocks;
            if (tableBudget < 0) {
                problem("inode tables add up to more blocks than the file system has: stopped at group " + g);
                break;
            }
            readBlock(inodeBitmap[g], bitmap);
            long first = (long) g * ipg + 1;
            for (long base = 0; base < used; base += chunkInodes) {
                int n = (int) Math.min(chunkInodes, used - base);
                chunk.clear().limit(n * isz);
                source.read(inodeTable[g] * bs + base * isz, chunk);
                chunk.flip();
                for (int k = 0; k < n; k++) {
                    long idx = base + k;
                    if (idx >= 8L * bs || (bitmap.get((int) (idx >>> 3)) & (1 << (idx & 7))) == 0) {
                        continue;
                    }
                    long ino = first + idx;
                    if (ino > sb.inodesCount()) {
                        break;
                    }
                    inode(ino, chunk, k * isz, table, walker);
                }
            }
        }
        return table.build();
    }

    private void inode(long ino, ByteBuffer t, int at, InodeTable.Builder table, TreeWalker walker)
            throws IOException {
        int mode = Superblock.u16(t, at);
        int links = Superblock.u16(t, at + 0x1A);
        if (mode == 0 || (links == 0 && ino >= sb.firstIno())) {
            return;
        }
        if (ino == RESIZE_INODE) {
            // Its double-indirect block lists the reserved GDT blocks: part of the GDT reserve.
            long dind = Superblock.u32(t, at + 0x28 + 4 * 13);
            if (dind != 0 && validBlock(dind)) {
                ranges.add(dind, dind + 1, Ext4Class.GROUP_DESC, (int) ino);
            }
            return;
        }
        if (ino < sb.firstIno() && ino != 2 && ino != sb.journalInum()) {
            return; // reserved inodes (bad blocks, quota ...) own nothing we classify here
        }
        int fmt = mode & 0xF000;
        byte type = switch (fmt) {
            case 0x8000 -> InodeTable.REGULAR;
            case 0x4000 -> InodeTable.DIRECTORY;
            case 0xA000 -> InodeTable.SYMLINK;
            default -> InodeTable.OTHER;
        };
        long size = Superblock.u32(t, at + 0x4) | Superblock.u32(t, at + 0x6C) << 32;
        if (size < 0) {
            problem(() -> "inode " + ino + " i_size is negative");
            size = -1;
        }
        table.add(ino, size, type);
        long flags = Superblock.u32(t, at + 0x20);
        long acl = Superblock.u32(t, at + 0x68) | (long) Superblock.u16(t, at + 0x76) << 32;
        if (acl != 0) {
            if (validBlock(acl)) {
                ranges.add(acl, acl + 1, Ext4Class.EXTENT, (int) ino);
            } else {
                problem(() -> "inode " + ino + " i_file_acl " + acl + " is outside the file system");
            }
        }
        if (type == InodeTable.OTHER || (flags & INODE_FLAG_INLINE_DATA) != 0) {
            return; // devices, fifos, sockets and inline data own no data blocks
        }
        Ext4Class kind = ino == sb.journalInum() ? Ext4Class.JOURNAL
                : type == InodeTable.DIRECTORY ? Ext4Class.DIRECTORY : Ext4Class.FILE;
        int iblock = at + 0x28;
        if ((flags & INODE_FLAG_EXTENTS) != 0) {
            walker.extents(ino, t, iblock, kind);
        } else if (type == InodeTable.SYMLINK && size < 60) {
            // a fast symlink: the target is in i_block
        } else {
            walker.indirect(ino, t, iblock, kind);
        }
    }

    /** Walks one inode's extent tree or indirect blocks, within the reader's budget. */
    private final class TreeWalker {
        private final ByteBuffer[] level = new ByteBuffer[MAX_EXTENT_DEPTH + 1];

        ByteBuffer buffer(int depth) {
            if (level[depth] == null) {
                level[depth] = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
            }
            return level[depth];
        }

        void extents(long ino, ByteBuffer b, int at, Ext4Class kind) throws IOException {
            node(ino, b, at, 60, -1, kind);
        }

        /** One extent-tree node at {@code b[at, at+len)}; {@code expectDepth} -1 for the root. */
        private void node(long ino, ByteBuffer b, int at, int len, int expectDepth, Ext4Class kind)
                throws IOException {
            int magic = Superblock.u16(b, at);
            int entries = Superblock.u16(b, at + 2);
            int max = Superblock.u16(b, at + 4);
            int depth = Superblock.u16(b, at + 6);
            String where = "inode " + ino + " extent " + (expectDepth < 0 ? "root" : "node");
            if (magic != EXTENT_MAGIC) {
                problem(() -> where + ": bad magic 0x" + Integer.toHexString(magic));
                return;
            }
            if (entries > max || max > (len - 12) / 12) {
                problem(() -> where + ": eh_entries " + entries + " / eh_max " + max + " do not fit in "
                        + len + " bytes");
                return;
            }
            if (depth > MAX_EXTENT_DEPTH) {
                problem(() -> where + ": eh_depth " + depth + " exceeds " + MAX_EXTENT_DEPTH);
                return;
            }
            if (expectDepth >= 0 && depth != expectDepth) {
                problem(() -> where + ": eh_depth " + depth + " where " + expectDepth
                        + " was expected (a cycle or a corrupt index)");
                return;
            }
            for (int e = 0; e < entries; e++) {
                int p = at + 12 + e * 12;
                if (depth == 0) {
                    int raw = Superblock.u16(b, p + 4);
                    long n = raw > 32768 ? raw - 32768 : raw;
                    long start = (long) Superblock.u16(b, p + 6) << 32 | Superblock.u32(b, p + 8);
                    addData(ino, start, n, kind, where);
                } else {
                    long child = (long) Superblock.u16(b, p + 8) << 32 | Superblock.u32(b, p + 4);
                    if (!validBlock(child)) {
                        int ee = e;
                        problem(() -> where + ": index entry " + ee + " points at block " + child
                                + ", outside the file system");
                        continue;
                    }
                    if (--treeBudget < 0) {
                        if (treeBudget == -1) {
                            problem("more tree blocks than the file system has blocks: stopped walking trees");
                        }
                        return;
                    }
                    ranges.add(child, child + 1, Ext4Class.EXTENT, (int) ino);
                    ByteBuffer c = buffer(depth - 1);
                    readBlock(child, c);
                    node(ino, c, 0, bs, depth - 1, kind);
                }
            }
        }

        private void addData(long ino, long start, long n, Ext4Class kind, String where) {
            if (n == 0) {
                return;
            }
            if (!validBlock(start) || start + n > sb.blocksCount()) {
                problem(() -> where + ": extent of " + n + " blocks at " + start + " is outside the file system");
                return;
            }
            ranges.add(start, start + n, kind, (int) ino);
        }

        void indirect(long ino, ByteBuffer b, int at, Ext4Class kind) throws IOException {
            Run run = new Run();
            for (int i = 0; i < 12; i++) {
                run.add(ino, Superblock.u32(b, at + 4 * i), kind);
            }
            for (int levelNo = 1; levelNo <= 3; levelNo++) {
                long blk = Superblock.u32(b, at + 4 * (11 + levelNo));
                indirectBlock(ino, blk, levelNo, kind, run);
            }
            run.flush(ino, kind);
        }

        private void indirectBlock(long ino, long blk, int levelNo, Ext4Class kind, Run run) throws IOException {
            if (blk == 0) {
                return;
            }
            if (!validBlock(blk)) {
                problem(() -> "inode " + ino + " indirect block " + blk + " is outside the file system");
                return;
            }
            if (--treeBudget < 0) {
                if (treeBudget == -1) {
                    problem("more tree blocks than the file system has blocks: stopped walking trees");
                }
                return;
            }
            ranges.add(blk, blk + 1, Ext4Class.EXTENT, (int) ino);
            ByteBuffer c = buffer(levelNo);
            readBlock(blk, c);
            int n = bs / 4;
            for (int i = 0; i < n; i++) {
                long child = Superblock.u32(c, 4 * i);
                if (levelNo == 1) {
                    run.add(ino, child, kind);
                } else {
                    // The child level's buffer is a different one; this level's is intact after.
                    indirectBlock(ino, child, levelNo - 1, kind, run);
                }
            }
        }

        /** Coalesces consecutive data blocks of an indirect-mapped inode into ranges. */
        private final class Run {
            long start = -1;
            long end = -1;

            void add(long ino, long blk, Ext4Class kind) {
                if (blk == 0) {
                    return;
                }
                if (!validBlock(blk)) {
                    problem(() -> "inode " + ino + " block pointer " + blk + " is outside the file system");
                    return;
                }
                if (blk == end) {
                    end++;
                    return;
                }
                flush(ino, kind);
                start = blk;
                end = blk + 1;
            }

            void flush(long ino, Ext4Class kind) {
                if (start >= 0) {
                    ranges.add(start, end, kind, (int) ino);
                }
                start = end = -1;
            }
        }
    }
}
