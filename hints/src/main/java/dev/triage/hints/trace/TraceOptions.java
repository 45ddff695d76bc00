package dev.triage.hints.trace;

import dev.triage.hints.ClassVocabulary;

/**
 * How to open a trace.
 *
 * @param format the format, or null to detect it from the content
 * @param vocabulary where class names are interned (shared with the policy file)
 * @param skipBad count and skip malformed lines instead of stopping
 * @param blockSize the unit of block-numbered formats (LIRS, CloudPhysics) in bytes
 * @param device for traces that name their disks (ftrace and blkparse {@code major,minor} or
 *     {@code major:minor}; MSR {@code host_disk}): read only this disk, or null for every disk.
 *     With a filter every request has volume -1 (one disk); without one, each request's volume is
 *     the disk it addresses ({@code 7:1}, {@code hm_0}).
 * @param queueEvents for blkparse: read the {@code Q} (queued) actions instead of the {@code D}
 *     (issued) ones
 */
public record TraceOptions(
        TraceFormat format,
        ClassVocabulary vocabulary,
        boolean skipBad,
        int blockSize,
        String device,
        boolean queueEvents) {

    public TraceOptions {
        if (vocabulary == null) {
            throw new IllegalArgumentException("a trace needs a class vocabulary");
        }
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block size must be positive, not " + blockSize);
        }
    }

    /** Options without a device filter, reading blkparse's issue ({@code D}) actions. */
    public TraceOptions(TraceFormat format, ClassVocabulary vocabulary, boolean skipBad, int blockSize) {
        this(format, vocabulary, skipBad, blockSize, null, false);
    }

    public static TraceOptions defaults(ClassVocabulary vocabulary) {
        return new TraceOptions(null, vocabulary, false, 4096);
    }

    public TraceOptions withFormat(TraceFormat f) {
        return new TraceOptions(f, vocabulary, skipBad, blockSize, device, queueEvents);
    }

    public TraceOptions withSkipBad(boolean skip) {
        return new TraceOptions(format, vocabulary, skip, blockSize, device, queueEvents);
    }

    public TraceOptions withBlockSize(int size) {
        return new TraceOptions(format, vocabulary, skipBad, size, device, queueEvents);
    }

    /** Only the disk named {@code dev} ({@code 8,16}, {@code 8:16} or an MSR {@code host_disk}); null for all. */
    public TraceOptions withDevice(String dev) {
        return new TraceOptions(format, vocabulary, skipBad, blockSize, dev, queueEvents);
    }

    /** For blkparse: read the {@code Q} actions (true) or the {@code D} actions (false, the default). */
    public TraceOptions withQueueEvents(boolean queue) {
        return new TraceOptions(format, vocabulary, skipBad, blockSize, device, queue);
    }
}
