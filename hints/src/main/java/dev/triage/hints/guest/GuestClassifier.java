package dev.triage.hints.guest;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Gives each request of one virtual disk its DSS class without any hint from the guest, from
 * the ext4 file system the guest keeps on it, followed as the guest writes it.
 *
 * <p><b>Where.</b> The file system may fill the volume, or sit in partitions of an MBR (primary
 * partitions) or a GPT partition table, as a guest's disk usually does: each range (up to
 * {@value #MAX_PARTITIONS}) is followed on its own, offsets relative to its start. The table is
 * read on attach and again after a write to the volume's first 64 KiB while no whole-volume
 * file system is recognised.
 *
 * <p><b>What it follows.</b> On {@link #attach} and whenever a write touches a range's primary
 * superblock (its bytes 1024..2047) it parses the superblock (the written bytes laid over the
 * volume's content). A valid one gives the static layout: superblock and backups, group
 * descriptors (and the reserved GDT blocks), block and inode bitmaps, inode tables. Ownership
 * of the other blocks is learned incrementally: a write to an inode-table block has its inodes
 * parsed (type, size, the extent-tree root or block pointers in the inode), which gives the
 * data extents of files, directories and the journal, and the extent-tree and indirect blocks
 * below the root (those are read from the volume at once, within a per-write budget, and
 * parsed again whenever the guest writes them). A write to a primary group-descriptor block
 * moves bitmaps and inode tables if their locations changed (and reads a moved table's in-use
 * part, within a per-write budget). On attach, and when a superblock write reveals a new file
 * system, the in-use part of every inode table is read once (a bounded number of times in
 * all), so a volume that already holds a file system is known from the start, and so is one
 * whose guest wrote its inode tables before the superblock, as mke2fs does. Otherwise the
 * order the guest writes in does not matter: a data block written before the inode that maps
 * it is unknown until then, and classified by its owner from then on.
 *
 * <p><b>What it answers.</b> {@link #classify} looks at the request's first block: static
 * metadata gives its class ({@code superblock}, {@code group_desc}, {@code block_bitmap},
 * {@code inode_bitmap}, {@code inode}); a block owned by a live inode gives {@code journal},
 * {@code directory}, {@code extent} (tree, indirect and xattr blocks) or, for file data, the
 * file-size class ({@code file_4k} ... {@code file_huge}) and sets {@link BlockRequest#fileSize}.
 * A flush gets {@code none}. A block nobody is known to own keeps its tag unset, and so does
 * every request of a volume without a recognised ext4 file system.
 *
 * <p><b>The chain.</b> The server calls {@link #classify} on a request that came without a
 * hint, then hands it to the policy file's {@link dev.triage.hints.classify.Classifier}: its
 * rules are tried first (so rules on size, offset or op still apply, and {@code untagged}
 * rules catch what this class left unset), then the tag set here, then the policy file's
 * default class ({@code unclassified} in the shipped {@code dss.toml}).
 *
 * <p><b>Cost and safety.</b> {@link #classify} is two binary searches in per-bucket interval
 * arrays and one open-addressing lookup: O(log n), no allocation. Memory is proportional to
 * the file system's metadata (intervals per extent, state per live inode) and capped ({@link
 * Limits}); what passes the cap is left unclassified. The guest controls every byte: counts are
 * bounded by the superblock's checks and the volume size, extent trees by depth (strictly
 * decreasing, at most 5), and the blocks read per write by a budget; a parse failure, a read
 * error or a bug is counted (see {@link #describe()}) and never escapes.
 *
 * <p><b>Calls.</b> {@link #onWrite} for every write (before or after it reaches the volume:
 * the written bytes are laid over what is read), with the data as a read-only buffer that is
 * not kept; {@link #onDiscard} for trims and write-zeroes (their blocks lose their owner; zeroed
 * inode-table blocks free their inodes). All methods are synchronized: one instance per volume,
 * shared by the volume's connections.
 */
public final class GuestClassifier {
    /**
     * The bounds of one classifier.
     *
     * @param maxGroups the most block groups a file system may have to be followed
     * @param maxIntervals the most owned-block intervals kept
     * @param maxInodes the most inodes whose state is kept
     * @param writeReadBudget the most blocks read (tree and indirect blocks) while handling one write
     * @param writeScanBudget the most inode-table blocks read while handling one write that moved
     *     inode tables (a descriptor write)
     * @param maxFullScans how many times the in-use inode tables are read in full (on attach and
     *     on each new file system a superblock write reveals); later file systems are followed
     *     from their writes only
     */
    public record Limits(long maxGroups, long maxIntervals, int maxInodes, int writeReadBudget, int writeScanBudget,
            int maxFullScans) {
        /**
         * 256 Ki groups (32 TiB of 4 KiB blocks), 8 Mi intervals, 8 Mi inodes, 64 tree blocks and
         * 1024 inode-table blocks per write, 4 full scans.
         */
        public static final Limits DEFAULT = new Limits(1 << 18, 1 << 23, 1 << 23, 64, 1024, 4);
    }

    /** The most partitions followed. */
    public static final int MAX_PARTITIONS = 16;
    /** The head of the volume that holds the partition tables this class reads. */
    private static final int TABLE_AREA = 64 << 10;
    private static final long GPT_SIGNATURE = 0x5452415020494645L; // "EFI PART", little-endian

    private final long volumeSize;
    private final VolumeReader reader;
    private final ClassVocabulary vocab;
    private final Limits limits;
    private final ByteBuffer table = ByteBuffer.allocate(TABLE_AREA).order(ByteOrder.LITTLE_ENDIAN);
    /** What the volume holds: "whole volume", "MBR" or "GPT". */
    private String layout = "whole volume";
    private int parts;
    private final long[] start = new long[MAX_PARTITIONS];
    private final long[] end = new long[MAX_PARTITIONS];
    private final Ext4Follower[] follower = new Ext4Follower[MAX_PARTITIONS];
    // scratch for the partition table parse
    private final long[] newStart = new long[MAX_PARTITIONS];
    private final long[] newEnd = new long[MAX_PARTITIONS];
    private long tableReads;
    private long relayouts;
    private long problems;
    private long internalErrors;
    private String lastProblem = "";

    private GuestClassifier(long volumeSize, VolumeReader reader, ClassVocabulary vocab, Limits limits) {
        this.volumeSize = volumeSize;
        this.reader = reader;
        this.vocab = vocab;
        this.limits = limits;
    }

    /**
     * A classifier for one volume, with the default {@link Limits}: reads the volume's partition
     * table and superblocks and, where it finds ext4, the layout and inode tables (a read of the
     * file system's metadata, once). Never throws for the volume's content or a read error.
     *
     * @param volumeSize the volume's size in bytes
     * @param reader reads the volume's current content
     * @param vocab the vocabulary the tags are ids of
     */
    public static GuestClassifier attach(long volumeSize, VolumeReader reader, ClassVocabulary vocab) {
        return attach(volumeSize, reader, vocab, Limits.DEFAULT);
    }

    /** As {@link #attach(long, VolumeReader, ClassVocabulary)}, with explicit bounds. */
    public static GuestClassifier attach(long volumeSize, VolumeReader reader, ClassVocabulary vocab, Limits limits) {
        GuestClassifier g = new GuestClassifier(volumeSize, reader, vocab, limits);
        synchronized (g) {
            g.parts = 1;
            g.start[0] = 0;
            g.end[0] = volumeSize;
            try {
                g.readTable(-1, null);
                g.relayout();
            } catch (IOException | RuntimeException e) {
                g.problem("attach", e);
            }
            if (g.follower[0] == null) {
                g.follower[0] = Ext4Follower.attach(volumeSize, reader, vocab, limits, true);
            }
        }
        return g;
    }

    /**
     * Sets {@code r.tag} to the inferred DSS class id and {@code r.fileSize} for file data, when
     * known; leaves them as they are otherwise (an unknown block, a volume without ext4).
     * Allocates nothing.
     */
    public synchronized void classify(BlockRequest r) {
        long at = r.offset;
        for (int i = 0; i < parts; i++) {
            if (at >= start[i] && at < end[i]) {
                follower[i].classify(r, at - start[i]);
                return;
            }
        }
    }

    /**
     * Observes a write of {@code data} (position to limit) at byte {@code offset}, before or
     * after it reaches the volume. The buffer is read with absolute gets and never kept.
     */
    public synchronized void onWrite(long offset, ByteBuffer data) {
        if (data == null || offset < 0 || !data.hasRemaining()) {
            return;
        }
        try {
            if (offset < TABLE_AREA && !(layout.equals("whole volume") && follower[0].isExt4())) {
                readTable(offset, data);
                relayout();
            }
            long wEnd = offset + data.remaining();
            for (int i = 0; i < parts; i++) {
                if (wEnd <= start[i] || offset >= end[i]) {
                    continue;
                }
                if (offset >= start[i]) {
                    follower[i].onWrite(offset - start[i], data);
                } else {
                    // a write that begins before the partition: its part inside (rare; a view)
                    follower[i].onWrite(0, data.slice(data.position() + (int) (start[i] - offset),
                            (int) (wEnd - start[i])));
                }
            }
        } catch (IOException | RuntimeException e) {
            problem("write at " + offset, e);
        }
    }

    /**
     * Observes a trim or a write of zeroes of {@code [offset, offset + length)}: whole blocks in
     * it lose their owner; zeroed inode-table blocks free their inodes.
     */
    public synchronized void onDiscard(long offset, long length) {
        if (offset < 0 || length <= 0) {
            return;
        }
        long dEnd = offset + length;
        for (int i = 0; i < parts; i++) {
            long s = Math.max(offset, start[i]);
            long e = Math.min(dEnd, end[i]);
            if (s < e) {
                follower[i].onDiscard(s - start[i], e - s);
            }
        }
    }

    // ------------------------------------------------------------------ partition tables

    /** Reads the volume's head into {@code table}, with a write's bytes laid over it (offset -1: none). */
    private void readTable(long offset, ByteBuffer data) throws IOException {
        int n = (int) Math.min(TABLE_AREA, volumeSize);
        table.clear().limit(n);
        reader.read(0, table);
        tableReads++;
        if (data != null) {
            long to = Math.min(n, offset + data.remaining());
            if (offset < to) {
                table.put((int) offset, data, data.position(), (int) (to - offset));
            }
        }
        table.limit(n);
    }

    /** Parses {@code table}; when the ranges changed, follows the new ones. */
    private void relayout() {
        int n;
        String kind;
        int lim = table.limit();
        boolean ext4Whole = lim >= 2048 && Le.u16(table, 1024 + 0x38) == 0xEF53;
        boolean mbr = lim >= 512 && Le.u16(table, 510) == 0xAA55;
        n = 0;
        kind = "whole volume";
        if (!ext4Whole && mbr) {
            boolean protective = false;
            for (int e = 0; e < 4; e++) {
                if ((table.get(446 + e * 16 + 4) & 0xff) == 0xEE) {
                    protective = true;
                }
            }
            if (protective) {
                n = gpt(512);
                if (n == 0) {
                    n = gpt(4096);
                }
                kind = "GPT";
            } else {
                n = mbr();
                kind = "MBR";
            }
            if (n == 0) {
                kind = "whole volume";
            }
        }
        if (n == 0) {
            newStart[0] = 0;
            newEnd[0] = volumeSize;
            n = 1;
        }
        sortAndDropOverlaps(n);
        n = kept;
        boolean same = n == parts && kind.equals(layout);
        for (int i = 0; same && i < n; i++) {
            same = newStart[i] == start[i] && newEnd[i] == end[i] && follower[i] != null;
        }
        if (same) {
            return;
        }
        relayouts++;
        Ext4Follower[] old = Arrays.copyOf(follower, parts);
        long[] oldStart = Arrays.copyOf(start, parts);
        long[] oldEnd = Arrays.copyOf(end, parts);
        int oldParts = parts;
        Arrays.fill(follower, null);
        for (int i = 0; i < n; i++) {
            start[i] = newStart[i];
            end[i] = newEnd[i];
            for (int j = 0; j < oldParts; j++) { // a range that stayed keeps what it learned
                if (old[j] != null && oldStart[j] == start[i] && oldEnd[j] == end[i]) {
                    follower[i] = old[j];
                }
            }
            if (follower[i] == null) {
                long base = start[i];
                VolumeReader part = base == 0 ? reader : (off, dst) -> reader.read(base + off, dst);
                // a guest rewriting its partition table at will gets no more full scans than the cap
                follower[i] = Ext4Follower.attach(end[i] - start[i], part, vocab, limits,
                        relayouts <= limits.maxFullScans());
            }
        }
        parts = n;
        layout = kind;
    }

    private int kept;

    private void sortAndDropOverlaps(int n) {
        // insertion sort of at most MAX_PARTITIONS ranges, then drop any that overlaps its predecessor
        for (int i = 1; i < n; i++) {
            long s = newStart[i];
            long e = newEnd[i];
            int j = i - 1;
            while (j >= 0 && newStart[j] > s) {
                newStart[j + 1] = newStart[j];
                newEnd[j + 1] = newEnd[j];
                j--;
            }
            newStart[j + 1] = s;
            newEnd[j + 1] = e;
        }
        int w = 0;
        for (int i = 0; i < n; i++) {
            if (w > 0 && newStart[i] < newEnd[w - 1]) {
                continue;
            }
            newStart[w] = newStart[i];
            newEnd[w] = newEnd[i];
            w++;
        }
        kept = w;
    }

    /** The primary partitions of an MBR (extended ones and their logical partitions are not followed). */
    private int mbr() {
        int n = 0;
        for (int e = 0; e < 4; e++) {
            int at = 446 + e * 16;
            int type = table.get(at + 4) & 0xff;
            if (type == 0 || type == 0x05 || type == 0x0F || type == 0x85) {
                continue;
            }
            n = add(n, Le.u32(table, at + 8) * 512, (Le.u32(table, at + 8) + Le.u32(table, at + 12)) * 512);
        }
        return n;
    }

    /** The partitions of a GPT whose header is at byte {@code at} (sector size {@code at}); 0 when there is none. */
    private int gpt(int at) {
        if (table.limit() < at + 92 || table.getLong(at) != GPT_SIGNATURE) {
            return 0;
        }
        long entriesLba = table.getLong(at + 72);
        long count = Le.u32(table, at + 80);
        long size = Le.u32(table, at + 84);
        if (size < 128 || size > 1024 || size % 8 != 0 || entriesLba < 2 || entriesLba > TABLE_AREA / at) {
            return 0;
        }
        int n = 0;
        long first = entriesLba * at;
        for (long e = 0; e < Math.min(count, 256) && n < MAX_PARTITIONS; e++) {
            long p = first + e * size;
            if (p + size > table.limit()) {
                break;
            }
            if (table.getLong((int) p) == 0 && table.getLong((int) p + 8) == 0) {
                continue; // an unused entry
            }
            long lo = table.getLong((int) p + 32);
            long hi = table.getLong((int) p + 40);
            if (lo <= 0 || hi < lo || hi >= Long.MAX_VALUE / at) {
                continue;
            }
            n = add(n, lo * at, (hi + 1) * at);
        }
        return n;
    }

    private int add(int n, long s, long e) {
        if (n >= MAX_PARTITIONS || s <= 0 || e <= s || e > volumeSize) {
            return n;
        }
        newStart[n] = s;
        newEnd[n] = e;
        return n + 1;
    }

    // ------------------------------------------------------------------ reporting

    private void problem(String what, Exception e) {
        problems++;
        if (e instanceof RuntimeException) {
            internalErrors++;
        }
        lastProblem = what + ": " + e;
    }

    /** True when an ext4 file system is recognised on the volume or one of its partitions. */
    public synchronized boolean isExt4() {
        for (int i = 0; i < parts; i++) {
            if (follower[i].isExt4()) {
                return true;
            }
        }
        return false;
    }

    /** The problems met so far (read errors, limits reached, internal failures). */
    public synchronized long problems() {
        long p = problems;
        for (int i = 0; i < parts; i++) {
            p += follower[i].problems();
        }
        return p;
    }

    /** Failures that were not read errors (bugs: no volume content should cause one); for tests. */
    synchronized long internalErrors() {
        long p = internalErrors;
        for (int i = 0; i < parts; i++) {
            p += follower[i].internalErrors();
        }
        return p;
    }

    /** Blocks read from the volume so far (partition-table reads count as one); for tests. */
    synchronized long blocksRead() {
        long p = tableReads;
        for (int i = 0; i < parts; i++) {
            p += follower[i].blocksRead();
        }
        return p;
    }

    /**
     * What was detected, for logs and {@code triage stat}: per range (the whole volume, or each
     * partition), the file system, its geometry, the journal's blocks, how much is followed, and
     * the problems met.
     */
    public synchronized String describe() {
        if (layout.equals("whole volume") && parts == 1) {
            return follower[0].describe() + (problems > 0 ? "; volume: " + problems + " problems (last: "
                    + lastProblem + ")" : "");
        }
        StringBuilder s = new StringBuilder(layout).append(", ").append(parts).append(" partitions");
        for (int i = 0; i < parts; i++) {
            s.append("; [").append(start[i]).append(", ").append(end[i]).append("): ").append(follower[i].describe());
        }
        if (problems > 0) {
            s.append("; volume: ").append(problems).append(" problems (last: ").append(lastProblem).append(')');
        }
        return s.toString();
    }
}
