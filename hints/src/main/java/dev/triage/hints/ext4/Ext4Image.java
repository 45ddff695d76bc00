package dev.triage.hints.ext4;

import java.util.List;

/**
 * What the reader learned from an ext4 file system: its superblock, the class of every block
 * ({@link BlockClassMap}), its in-use inodes, and the problems it met on the way (corrupt
 * fields it skipped; an empty list for a healthy file system).
 *
 * @param superblock the superblock used
 * @param blocks the class and owner of every physical block
 * @param inodes the in-use inodes
 * @param problems the first problems met, as messages naming the structure and field
 * @param problemCount how many problems were met in all
 */
public record Ext4Image(Superblock superblock, BlockClassMap blocks, InodeTable inodes,
        List<String> problems, long problemCount) implements FsLayout {

    @Override
    public Ext4Class classOf(long block) {
        return blocks.classOf(block);
    }

    @Override
    public long ownerOf(long block) {
        return Integer.toUnsignedLong(blocks.ownerOf(block));
    }

    @Override
    public int inodeType(long inode) {
        return inodes.typeOf(inode);
    }

    @Override
    public long inodeSize(long inode) {
        return inodes.sizeOf(inode);
    }

    /** The DSS class name of a physical block (file data classes from the owner's size). */
    public String dssClassOf(long block) {
        int r = blocks.rangeOf(block);
        if (r < 0) {
            return Ext4Class.UNCLASSIFIED.dssName();
        }
        Ext4Class c = blocks.rangeClass(r);
        return c == Ext4Class.FILE ? c.dssName(inodes.sizeOf(Integer.toUnsignedLong(blocks.rangeOwner(r))))
                : c.dssName();
    }

    /** The size of the file owning a physical block, or -1 when no file owns it. */
    public long fileSizeOf(long block) {
        int r = blocks.rangeOf(block);
        if (r < 0 || blocks.rangeOwner(r) == 0) {
            return -1;
        }
        return inodes.sizeOf(Integer.toUnsignedLong(blocks.rangeOwner(r)));
    }

    /** The block size in bytes. */
    @Override
    public int blockSize() {
        return superblock.blockSize();
    }
}
