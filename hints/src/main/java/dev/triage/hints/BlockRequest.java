package dev.triage.hints;

/**
 * One block request: the request model shared by trace readers, the classifier, the replay
 * engine and the live layer. It is mutable and meant to be reused: a reader fills the same
 * instance for every request, so a replay loop allocates nothing per request.
 *
 * <p>{@link #tag} is the class hint as the source gave it (a class id of a {@link
 * ClassVocabulary}); {@link #ioClass} is the I/O class the classifier chose, or -1 before
 * classification.
 */
public final class BlockRequest {
    /** Unknown file size, process, volume or priority. */
    public static final int UNKNOWN = -1;

    /** Issue time in nanoseconds from the start of the trace. */
    public long tsNs;
    public Op op = Op.READ;
    /** Byte offset on the (virtual) disk. */
    public long offset;
    /** Length in bytes (0 for flushes). */
    public long length;
    /** The class hint carried by the request (a vocabulary id), or -1 when it carries none. */
    public int tag = UNKNOWN;
    /** The I/O class chosen by the classifier, or -1. */
    public int ioClass = UNKNOWN;
    /** Size in bytes of the file owning the data, or -1 when unknown. */
    public long fileSize = UNKNOWN;
    /** RWBS bits ({@link Rwbs}); 0 when the source gave none. */
    public int flags;
    /** I/O priority, packed by {@link IoPrio}; -1 when unknown. */
    public int ioprio = UNKNOWN;
    /** The issuing process (an id of the reader's process name table), or -1. */
    public int comm = UNKNOWN;
    /** The virtual disk (an id of the reader's volume name table), or -1 for the only one. */
    public int volume = UNKNOWN;

    public BlockRequest clear() {
        tsNs = 0;
        op = Op.READ;
        offset = 0;
        length = 0;
        tag = UNKNOWN;
        ioClass = UNKNOWN;
        fileSize = UNKNOWN;
        flags = 0;
        ioprio = UNKNOWN;
        comm = UNKNOWN;
        volume = UNKNOWN;
        return this;
    }

    public BlockRequest copyFrom(BlockRequest o) {
        tsNs = o.tsNs;
        op = o.op;
        offset = o.offset;
        length = o.length;
        tag = o.tag;
        ioClass = o.ioClass;
        fileSize = o.fileSize;
        flags = o.flags;
        ioprio = o.ioprio;
        comm = o.comm;
        volume = o.volume;
        return this;
    }

    /** The end of the byte range, exclusive. */
    public long end() {
        return offset + length;
    }

    @Override
    public String toString() {
        return op.code() + " " + offset + "+" + length + " tag=" + tag + " class=" + ioClass
                + " fileSize=" + fileSize + " flags=" + Rwbs.format(flags);
    }
}
