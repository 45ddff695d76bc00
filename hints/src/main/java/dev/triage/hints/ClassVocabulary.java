package dev.triage.hints;

import java.util.List;

/**
 * The open vocabulary of I/O class names: any name made of {@code [a-z0-9_]+}. The DSS classes
 * of ext3/ext4 (the table of the hinted trace format) are known from the start, so they always
 * have the same ids; other names get ids as they appear.
 */
public final class ClassVocabulary extends NameTable {
    /** The DSS classification of ext3/ext4, in the order of {@code trace-format.md}. */
    public static final List<String> DSS_CLASSES = List.of(
            "superblock", "group_desc", "block_bitmap", "inode_bitmap", "inode", "extent",
            "directory", "journal",
            "file_4k", "file_16k", "file_64k", "file_256k", "file_1m", "file_4m",
            "file_16m", "file_64m", "file_256m", "file_1g", "file_huge",
            "unclassified", "none");

    /** The class of data whose owner was not seen. */
    public static final String UNCLASSIFIED = "unclassified";
    /** The class of requests that carry no data (flushes). */
    public static final String NONE = "none";

    public ClassVocabulary() {
        for (String c : DSS_CLASSES) {
            intern(c);
        }
    }

    /** The id of "unclassified". */
    public int unclassified() {
        return find(UNCLASSIFIED);
    }

    /** The id of "none". */
    public int none() {
        return find(NONE);
    }

    /** True when {@code s[from, to)} is a valid class name: one or more of {@code [a-z0-9_]}. */
    public static boolean isValidName(CharSequence s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValidName(CharSequence s) {
        return isValidName(s, 0, s.length());
    }

    /**
     * The DSS file-size class for a file of {@code bytes} bytes ({@code file_4k} ... {@code
     * file_huge}), as in the table of the hinted trace format.
     */
    public static String fileSizeClass(long bytes) {
        if (bytes <= 4L << 10) return "file_4k";
        if (bytes <= 16L << 10) return "file_16k";
        if (bytes <= 64L << 10) return "file_64k";
        if (bytes <= 256L << 10) return "file_256k";
        if (bytes <= 1L << 20) return "file_1m";
        if (bytes <= 4L << 20) return "file_4m";
        if (bytes <= 16L << 20) return "file_16m";
        if (bytes <= 64L << 20) return "file_64m";
        if (bytes <= 256L << 20) return "file_256m";
        if (bytes <= 1L << 30) return "file_1g";
        return "file_huge";
    }
}
