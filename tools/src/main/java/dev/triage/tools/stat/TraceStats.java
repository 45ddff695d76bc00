package dev.triage.tools.stat;

import dev.triage.cache.collect.LongLongMap;
import dev.triage.cache.curve.ShardsCurve;
import dev.triage.cache.curve.StackDistances;
import dev.triage.cache.replay.TouchExpander;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.Op;
import dev.triage.hints.classify.Classifier;
import dev.triage.hints.trace.TraceReader;
import java.io.IOException;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * What a trace holds, in one pass: requests and bytes per operation, block touches (reads,
 * writes), distinct blocks touched (the working set), touches and requests per I/O class, and a
 * histogram of reuse distances (LRU stack distances: distinct other blocks touched between two
 * touches of a block) in log2 buckets. Memory is bounded by the distinct blocks.
 */
public final class TraceStats {
    /** Buckets: 0 holds distance 0, bucket k (k >= 1) holds distances in [2^(k-1), 2^k). */
    public static final int BUCKETS = 48;

    public final long[] requests = new long[Op.values().length];
    public final long[] bytes = new long[Op.values().length];
    public long touches;
    public long readTouches;
    public long discardedBlocks;
    public long distinctBlocks;
    /** First touches, and first touches after a discard. */
    public long coldTouches;
    public final long[] reuse = new long[BUCKETS];
    public long[] classTouches = new long[32];
    public long[] classReadTouches = new long[32];
    public long[] classRequests = new long[32];
    /** The spatial sampling rate of the working set and the histogram (1: exact). */
    public double rate = 1;

    /** The bucket of a reuse distance. */
    public static int bucket(long d) {
        return d == 0 ? 0 : 64 - Long.numberOfLeadingZeros(d);
    }

    /** Reads the whole trace. */
    public static TraceStats of(TraceReader reader, Classifier classifier, int blockSize, LongConsumer progress)
            throws IOException {
        return of(reader, classifier, blockSize, 1.0, progress);
    }

    /** Reads the whole trace; the working set and the histogram from a sample at {@code rate}. */
    public static TraceStats of(TraceReader reader, Classifier classifier, int blockSize, double rate,
            LongConsumer progress) throws IOException {
        TraceStats s = new TraceStats();
        s.rate = rate;
        long threshold = rate >= 1 ? Long.MAX_VALUE : Math.max(1, Math.round(rate * ShardsCurve.P));
        long[] sampled = new long[BUCKETS];
        long sampledCold = 0;
        long sampledDistinct = 0;
        classifier.bind(reader.processes(), reader.volumes());
        TouchExpander ex = new TouchExpander(blockSize);
        StackDistances sd = new StackDistances();
        BlockRequest r = new BlockRequest();
        long n = 0;
        // blocks discarded and not touched since: their next cold touch is no new distinct block
        LongLongMap gone = new LongLongMap(16, 0);
        while (reader.next(r)) {
            int c = classifier.classify(r);
            int op = r.op.ordinal();
            s.requests[op]++;
            s.bytes[op] += r.length;
            if ((++n & 0xFFF) == 0 && progress != null) {
                progress.accept(reader.bytesRead());
            }
            if (r.op == Op.FLUSH) {
                continue;
            }
            long first = ex.firstBlock(r);
            long count = ex.blockCount(r);
            if (r.op == Op.DISCARD) {
                for (long i = 0; i < count; i++) {
                    if (threshold != Long.MAX_VALUE && ShardsCurve.hash(first + i) >= threshold) {
                        continue;
                    }
                    if (sd.remove(first + i) != StackDistances.COLD) {
                        gone.put(first + i, 1);
                    }
                }
                s.discardedBlocks += count;
                continue;
            }
            if (c >= s.classTouches.length) {
                int len = Math.max(c + 1, s.classTouches.length * 2);
                s.classTouches = Arrays.copyOf(s.classTouches, len);
                s.classReadTouches = Arrays.copyOf(s.classReadTouches, len);
                s.classRequests = Arrays.copyOf(s.classRequests, len);
            }
            s.classRequests[c]++;
            s.classTouches[c] += count;
            s.touches += count;
            if (r.op == Op.READ) {
                s.readTouches += count;
                s.classReadTouches[c] += count;
            }
            for (long i = 0; i < count; i++) {
                if (threshold != Long.MAX_VALUE && ShardsCurve.hash(first + i) >= threshold) {
                    continue;
                }
                long d = sd.access(first + i);
                if (d == StackDistances.COLD) {
                    sampledCold++;
                    if (gone.size() == 0 || gone.remove(first + i) == 0) {
                        sampledDistinct++;
                    }
                } else {
                    sampled[bucket(threshold == Long.MAX_VALUE ? d : (long) (d / rate))]++;
                }
            }
        }
        if (progress != null) {
            progress.accept(reader.bytesRead());
        }
        double scale = threshold == Long.MAX_VALUE ? 1 : 1 / rate;
        s.coldTouches = Math.round(sampledCold * scale);
        s.distinctBlocks = Math.round(sampledDistinct * scale);
        for (int k = 0; k < BUCKETS; k++) {
            s.reuse[k] = Math.round(sampled[k] * scale);
        }
        return s;
    }
}
