package dev.triage.hints.ext4;

import java.util.Arrays;

/**
 * The in-use inodes of a file system as the reader found them: number, size and whether it is
 * a directory, in primitive arrays sorted by inode number.
 */
public final class InodeTable {
    private final int[] ino;
    private final long[] size;
    private final byte[] type;
    private final int count;

    /** The kind of an inode. */
    public static final byte REGULAR = 0;
    public static final byte DIRECTORY = 1;
    public static final byte SYMLINK = 2;
    public static final byte OTHER = 3;

    private InodeTable(int[] ino, long[] size, byte[] type, int count) {
        this.ino = ino;
        this.size = size;
        this.type = type;
        this.count = count;
    }

    public int count() {
        return count;
    }

    /** The index of an inode (unsigned number), or -1 when it is not in use. */
    public int indexOf(long inode) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long v = Integer.toUnsignedLong(ino[mid]);
            if (v < inode) {
                lo = mid + 1;
            } else if (v > inode) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The size in bytes of an inode, or -1 when it is not in use or its size is not valid. */
    public long sizeOf(long inode) {
        int i = indexOf(inode);
        return i < 0 ? -1 : size[i];
    }

    /** True when the inode is an in-use directory. */
    public boolean isDirectory(long inode) {
        int i = indexOf(inode);
        return i >= 0 && type[i] == DIRECTORY;
    }

    /** The kind ({@link #REGULAR}, {@link #DIRECTORY}, ...) of an in-use inode, or -1. */
    public int typeOf(long inode) {
        int i = indexOf(inode);
        return i < 0 ? -1 : type[i];
    }

    public long inodeAt(int index) {
        return Integer.toUnsignedLong(ino[index]);
    }

    public long sizeAt(int index) {
        return size[index];
    }

    public int typeAt(int index) {
        return type[index];
    }

    /** Collects inodes in ascending order of number. */
    static final class Builder {
        private int[] ino = new int[64];
        private long[] size = new long[64];
        private byte[] type = new byte[64];
        private int count;

        void add(long inode, long bytes, byte kind) {
            if (count == ino.length) {
                int n = count * 2;
                ino = Arrays.copyOf(ino, n);
                size = Arrays.copyOf(size, n);
                type = Arrays.copyOf(type, n);
            }
            ino[count] = (int) inode;
            size[count] = bytes;
            type[count] = kind;
            count++;
        }

        InodeTable build() {
            return new InodeTable(Arrays.copyOf(ino, count), Arrays.copyOf(size, count),
                    Arrays.copyOf(type, count), count);
        }
    }
}
