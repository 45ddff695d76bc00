package dev.triage.hints.trace;

import dev.triage.hints.ClassVocabulary;

/**
 * How to open a trace.
 *
 * @param format the format, or null to detect it from the content
 * @param vocabulary where class names are interned (shared with the policy file)
 * @param skipBad count and skip malformed lines instead of stopping
 * @param blockSize the unit of block-numbered formats (LIRS, CloudPhysics) in bytes
 */
public record TraceOptions(TraceFormat format, ClassVocabulary vocabulary, boolean skipBad, int blockSize) {

    public static TraceOptions defaults(ClassVocabulary vocabulary) {
        return new TraceOptions(null, vocabulary, false, 4096);
    }

    public TraceOptions withFormat(TraceFormat f) {
        return new TraceOptions(f, vocabulary, skipBad, blockSize);
    }

    public TraceOptions withSkipBad(boolean skip) {
        return new TraceOptions(format, vocabulary, skip, blockSize);
    }

    public TraceOptions withBlockSize(int size) {
        return new TraceOptions(format, vocabulary, skipBad, size);
    }
}
