package dev.triage.hints.ext4;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The fields of an ext4 superblock that the reader needs, checked for sanity against the size
 * of the source: every count the reader later loops over is bounded here.
 *
 * @param blockSize bytes per block (1 KiB .. 64 KiB)
 * @param blocksCount blocks in the file system
 * @param firstDataBlock the block holding the superblock (1 for 1 KiB blocks, else 0)
 * @param blocksPerGroup blocks per block group
 * @param inodesPerGroup inodes per block group
 * @param inodesCount inodes in the file system
 * @param inodeSize bytes per on-disk inode
 * @param firstIno the first non-reserved inode
 * @param descSize bytes per group descriptor (32, or more with the 64bit feature)
 * @param reservedGdtBlocks blocks reserved after the group descriptors for growth
 * @param journalInum the journal's inode (0 when there is none)
 * @param firstMetaBg the first meta_bg group (meta_bg feature)
 * @param backupBgs the two backup groups of sparse_super2
 * @param featureCompat compatible features
 * @param featureIncompat incompatible features
 * @param featureRoCompat read-only compatible features
 * @param groupCount block groups in the file system
 */
public record Superblock(int blockSize, long blocksCount, long firstDataBlock, long blocksPerGroup,
        long inodesPerGroup, long inodesCount, int inodeSize, long firstIno, int descSize,
        int reservedGdtBlocks, long journalInum, long firstMetaBg, long[] backupBgs,
        long featureCompat, long featureIncompat, long featureRoCompat, long groupCount) {

    /** The byte offset of the primary superblock. */
    public static final int OFFSET = 1024;
    /** The bytes of a superblock. */
    public static final int SIZE = 1024;
    public static final int MAGIC = 0xEF53;

    public static final int COMPAT_HAS_JOURNAL = 0x4;
    public static final int COMPAT_RESIZE_INODE = 0x10;
    public static final int COMPAT_SPARSE_SUPER2 = 0x200;
    public static final int INCOMPAT_JOURNAL_DEV = 0x8;
    public static final int INCOMPAT_META_BG = 0x10;
    public static final int INCOMPAT_EXTENTS = 0x40;
    public static final int INCOMPAT_64BIT = 0x80;
    public static final int INCOMPAT_FLEX_BG = 0x200;
    public static final int INCOMPAT_INLINE_DATA = 0x8000;
    public static final int RO_COMPAT_SPARSE_SUPER = 0x1;
    public static final int RO_COMPAT_GDT_CSUM = 0x10;
    public static final int RO_COMPAT_BIGALLOC = 0x200;
    public static final int RO_COMPAT_METADATA_CSUM = 0x400;

    /**
     * Parses and checks a superblock.
     *
     * @param sb the 1024 bytes of the superblock
     * @param sourceSize the size of the source in bytes (every block count is bounded by it)
     * @param where where the superblock was read, for messages
     * @throws Ext4FormatException naming the field that is out of range
     */
    public static Superblock parse(ByteBuffer sb, long sourceSize, String where) throws Ext4FormatException {
        ByteBuffer b = sb.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int base = b.position();
        if (b.remaining() < SIZE) {
            throw new Ext4FormatException(where + ": superblock is short (" + b.remaining() + " bytes)");
        }
        int magic = u16(b, base + 0x38);
        if (magic != MAGIC) {
            throw new Ext4FormatException(where + ": no ext4 superblock (magic 0x"
                    + Integer.toHexString(magic) + ", expected 0xef53)");
        }
        long logBlock = u32(b, base + 0x18);
        if (logBlock > 6) {
            throw new Ext4FormatException(where + ": s_log_block_size " + logBlock + " is out of range (0..6)");
        }
        int blockSize = 1024 << logBlock;
        long incompat = u32(b, base + 0x60);
        long roCompat = u32(b, base + 0x64);
        long compat = u32(b, base + 0x5C);
        if ((roCompat & RO_COMPAT_BIGALLOC) != 0) {
            throw new Ext4FormatException(where + ": the bigalloc feature is not supported");
        }
        if ((incompat & INCOMPAT_JOURNAL_DEV) != 0) {
            throw new Ext4FormatException(where + ": this is an external journal device, not a file system");
        }
        boolean is64 = (incompat & INCOMPAT_64BIT) != 0;
        long blocksCount = u32(b, base + 0x4);
        if (is64) {
            blocksCount |= u32(b, base + 0x150) << 32;
        }
        long sourceBlocks = sourceSize / blockSize;
        if (blocksCount == 0 || blocksCount > sourceBlocks) {
            throw new Ext4FormatException(where + ": s_blocks_count " + blocksCount + " is out of range (1.."
                    + sourceBlocks + " blocks of " + blockSize + " bytes fit in the source)");
        }
        long firstData = u32(b, base + 0x14);
        if (firstData != (blockSize == 1024 ? 1 : 0)) {
            throw new Ext4FormatException(where + ": s_first_data_block " + firstData
                    + " does not match the block size " + blockSize);
        }
        long bpg = u32(b, base + 0x20);
        if (bpg < 8 || bpg > 8L * blockSize || bpg % 8 != 0) {
            throw new Ext4FormatException(where + ": s_blocks_per_group " + bpg + " is out of range (8.."
                    + 8L * blockSize + ", a multiple of 8)");
        }
        long groups = (blocksCount - firstData + bpg - 1) / bpg;
        if (groups <= 0) {
            throw new Ext4FormatException(where + ": no block groups (s_blocks_count " + blocksCount + ")");
        }
        long ipg = u32(b, base + 0x28);
        if (ipg == 0 || ipg > 8L * blockSize) {
            throw new Ext4FormatException(where + ": s_inodes_per_group " + ipg + " is out of range (1.."
                    + 8L * blockSize + ")");
        }
        long inodesCount = u32(b, base + 0x0);
        if (inodesCount == 0 || inodesCount > groups * ipg) {
            throw new Ext4FormatException(where + ": s_inodes_count " + inodesCount + " is out of range (1.."
                    + groups * ipg + ")");
        }
        long rev = u32(b, base + 0x4C);
        int inodeSize = rev == 0 ? 128 : u16(b, base + 0x58);
        if (inodeSize < 128 || inodeSize > blockSize || Integer.bitCount(inodeSize) != 1) {
            throw new Ext4FormatException(where + ": s_inode_size " + inodeSize
                    + " is out of range (a power of two, 128.." + blockSize + ")");
        }
        long firstIno = rev == 0 ? 11 : u32(b, base + 0x54);
        if (firstIno < 3 || firstIno > inodesCount) {
            throw new Ext4FormatException(where + ": s_first_ino " + firstIno + " is out of range (3.." + inodesCount + ")");
        }
        int descSize = 32;
        if (is64) {
            descSize = u16(b, base + 0xFE);
            if (descSize < 64 || descSize > 1024 || Integer.bitCount(descSize) != 1) {
                throw new Ext4FormatException(where + ": s_desc_size " + descSize
                        + " is out of range (a power of two, 64..1024, with the 64bit feature)");
            }
        }
        int reservedGdt = u16(b, base + 0xCE);
        if (reservedGdt > bpg) {
            throw new Ext4FormatException(where + ": s_reserved_gdt_blocks " + reservedGdt
                    + " is larger than a block group");
        }
        long journalInum = (compat & COMPAT_HAS_JOURNAL) != 0 ? u32(b, base + 0xE0) : 0;
        if (journalInum != 0 && (journalInum > inodesCount)) {
            throw new Ext4FormatException(where + ": s_journal_inum " + journalInum + " is out of range (1.."
                    + inodesCount + ")");
        }
        long firstMetaBg = u32(b, base + 0x104);
        long[] backupBgs = {u32(b, base + 0x24C), u32(b, base + 0x250)};
        return new Superblock(blockSize, blocksCount, firstData, bpg, ipg, inodesCount, inodeSize,
                firstIno, descSize, reservedGdt, journalInum, firstMetaBg, backupBgs, compat, incompat,
                roCompat, groups);
    }

    public boolean hasIncompat(long f) {
        return (featureIncompat & f) != 0;
    }

    public boolean hasRoCompat(long f) {
        return (featureRoCompat & f) != 0;
    }

    public boolean hasCompat(long f) {
        return (featureCompat & f) != 0;
    }

    /** True when group descriptors carry checksums and the uninit flags are trusted. */
    public boolean hasGroupChecksums() {
        return hasRoCompat(RO_COMPAT_GDT_CSUM) || hasRoCompat(RO_COMPAT_METADATA_CSUM);
    }

    /** The first block of a group. */
    public long groupStart(long group) {
        return firstDataBlock + group * blocksPerGroup;
    }

    /** Blocks of the group descriptor table (without meta_bg). */
    public long gdtBlocks() {
        long perBlock = blockSize / descSize;
        return (groupCount + perBlock - 1) / perBlock;
    }

    /** True when the group holds a superblock backup (or the primary). */
    public boolean hasSuperblock(long group) {
        if (group == 0) {
            return true;
        }
        if (hasCompat(COMPAT_SPARSE_SUPER2)) {
            return group == backupBgs[0] || group == backupBgs[1];
        }
        if (!hasRoCompat(RO_COMPAT_SPARSE_SUPER) || group == 1) {
            return true;
        }
        return isPowerOf(group, 3) || isPowerOf(group, 5) || isPowerOf(group, 7);
    }

    private static boolean isPowerOf(long g, int base) {
        long p = base;
        while (p < g) {
            p *= base;
        }
        return p == g;
    }

    static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }

    static long u32(ByteBuffer b, int at) {
        return b.getInt(at) & 0xffffffffL;
    }

    @Override
    public String toString() {
        return "ext4 " + blocksCount + " blocks of " + blockSize + " bytes, " + groupCount + " groups, "
                + inodesCount + " inodes of " + inodeSize + " bytes";
    }
}
