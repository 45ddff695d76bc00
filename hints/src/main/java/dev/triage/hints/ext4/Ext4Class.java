package dev.triage.hints.ext4;

import dev.triage.hints.ClassVocabulary;

/**
 * What a block of an ext4 file system is, as the reader sees it from the file system's own
 * structures. The metadata kinds carry the DSS class names of {@code trace-format.md}; {@link
 * #FILE} blocks get their DSS class ({@code file_4k} ... {@code file_huge}) from the size of the
 * file that owns them.
 */
public enum Ext4Class {
    SUPERBLOCK("superblock"),
    GROUP_DESC("group_desc"),
    BLOCK_BITMAP("block_bitmap"),
    INODE_BITMAP("inode_bitmap"),
    INODE("inode"),
    /** Extent-tree index and leaf blocks, indirect blocks, extended-attribute blocks. */
    EXTENT("extent"),
    DIRECTORY("directory"),
    JOURNAL("journal"),
    /** Data of a regular file (or a symlink's block); the class comes from the owner's size. */
    FILE("file"),
    UNCLASSIFIED(ClassVocabulary.UNCLASSIFIED);

    private static final Ext4Class[] VALUES = values();

    private final String dssName;

    Ext4Class(String dssName) {
        this.dssName = dssName;
    }

    /** The DSS class name; for {@link #FILE}, use {@link #dssName(long)}. */
    public String dssName() {
        return dssName;
    }

    /** The DSS class name for a block of this kind owned by a file of {@code fileSize} bytes. */
    public String dssName(long fileSize) {
        if (this != FILE) {
            return dssName;
        }
        return fileSize < 0 ? ClassVocabulary.UNCLASSIFIED : ClassVocabulary.fileSizeClass(fileSize);
    }

    /** True for the static and dynamic metadata kinds (everything but file data, journal and unclassified). */
    public boolean isMetadata() {
        return ordinal() <= DIRECTORY.ordinal();
    }

    static Ext4Class ofOrdinal(int o) {
        return VALUES[o];
    }
}
