package dev.triage.hints.ext4;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.util.HashMap;
import java.util.Map;

/**
 * Labels block requests on an ext4 file system with their DSS class, from the file system's
 * own structures ({@link FsLayout}) and the trace's {@code ext4_ext_map_blocks_exit} events.
 *
 * <p>For the first block of a request: static metadata (superblock, group descriptors, bitmaps,
 * inode tables) and the journal come from the layout. Otherwise the owning inode is the one the
 * latest map event before the request gave the block to; failing that, the first one a later
 * event gives it to (a block read before the trace saw its mapping); failing that, the owner in
 * the layout (the final image). A directory's blocks are {@code directory}, a file's are {@code
 * file_4k} ... by its size (the final size, or for a file deleted during the run the extent its
 * map events reached); a block of an inode gone by the end that the kernel marked metadata is
 * {@code extent}. Blocks the layout calls extent-tree or xattr blocks are {@code extent}.
 * Anything else the kernel marked metadata (RWBS {@code M}) is {@code extent}; the rest is
 * {@code unclassified}. Events must be fed in time order, interleaved with the requests, after
 * every event has been offered once to {@link #premap} (a first pass over the trace).
 */
public final class Ext4Labeller {
    private final FsLayout layout;
    private final ClassVocabulary vocabulary;
    private final int blockSize;
    private final OwnerIntervals latest = new OwnerIntervals();
    private final OwnerIntervals first = new OwnerIntervals();
    /** The highest byte a map event reached per inode: the size of files gone by the end. */
    private final Map<Long, Long> reached = new HashMap<>();
    private final int[] classIds;
    private final int noneId;
    private final int unclassifiedId;
    private final int extentId;
    private final int directoryId;

    public Ext4Labeller(FsLayout layout, ClassVocabulary vocabulary) {
        this.layout = layout;
        this.vocabulary = vocabulary;
        this.blockSize = layout.blockSize();
        Ext4Class[] all = Ext4Class.values();
        classIds = new int[all.length];
        for (Ext4Class c : all) {
            classIds[c.ordinal()] = vocabulary.intern(c.dssName());
        }
        noneId = vocabulary.intern(ClassVocabulary.NONE);
        unclassifiedId = vocabulary.intern(ClassVocabulary.UNCLASSIFIED);
        extentId = classIds[Ext4Class.EXTENT.ordinal()];
        directoryId = classIds[Ext4Class.DIRECTORY.ordinal()];
    }

    /** First pass: a map event anywhere in the trace (only the first owner of each block is kept). */
    public void premap(long ino, long lblk, long pblk, long len) {
        first.fill(pblk, pblk + len, ino);
        reached.merge(ino, (lblk + len) * blockSize, Math::max);
    }

    /** Second pass: a map event, in time order with the requests. */
    public void mapped(long ino, long lblk, long pblk, long len) {
        latest.put(pblk, pblk + len, ino);
        reached.merge(ino, (lblk + len) * blockSize, Math::max);
    }

    /** Sets {@code r.tag} (a class id of the vocabulary) and {@code r.fileSize}. */
    public void label(BlockRequest r) {
        r.fileSize = BlockRequest.UNKNOWN;
        if (r.op == Op.FLUSH || r.length == 0) {
            r.tag = noneId;
            return;
        }
        long block = r.offset / blockSize;
        Ext4Class c = layout.classOf(block);
        if (c.ordinal() <= Ext4Class.INODE.ordinal() || c == Ext4Class.JOURNAL) {
            r.tag = classIds[c.ordinal()];
            return;
        }
        long owner = latest.get(block);
        if (owner == 0) {
            owner = first.get(block);
        }
        if (owner == 0 && c == Ext4Class.EXTENT) {
            r.tag = extentId;
            return;
        }
        if (owner == 0) {
            owner = layout.ownerOf(block);
        }
        boolean meta = (r.flags & Rwbs.META) != 0;
        if (owner != 0) {
            int type = layout.inodeType(owner);
            if (type == InodeTable.DIRECTORY) {
                r.tag = directoryId;
                return;
            }
            if (type < 0 && meta) {
                // An inode gone by the end (no type known) read as metadata: the reference
                // labeller calls this extent, not directory; so do we.
                r.tag = extentId;
                return;
            }
            long size = layout.inodeSize(owner);
            if (size < 0) {
                size = reached.getOrDefault(owner, -1L);
            }
            if (size >= 0) {
                r.fileSize = size;
                r.tag = vocabulary.intern(ClassVocabulary.fileSizeClass(size));
                return;
            }
        }
        r.tag = meta ? extentId : unclassifiedId;
    }
}
