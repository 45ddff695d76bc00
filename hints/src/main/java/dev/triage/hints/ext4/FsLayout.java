package dev.triage.hints.ext4;

/**
 * What the labeller needs to know about a file system: the class of each block as its own
 * structures say, which inode owns a block, and each inode's type and size. An {@link
 * Ext4Image} read from the disk is one; {@link DumpLayout} (from e2fsprogs' text output) is
 * another.
 */
public interface FsLayout {

    /** The block size in bytes. */
    int blockSize();

    /** The class of a block ({@link Ext4Class#UNCLASSIFIED} for free space or unknown). */
    Ext4Class classOf(long block);

    /** The inode owning a block, or 0 when none is known. */
    long ownerOf(long block);

    /** The type of an inode ({@link InodeTable#REGULAR}, {@link InodeTable#DIRECTORY} ...), or -1 if unknown. */
    int inodeType(long inode);

    /** The size in bytes of an inode, or -1 if unknown. */
    long inodeSize(long inode);
}
