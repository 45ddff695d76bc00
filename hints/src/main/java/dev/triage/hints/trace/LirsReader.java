package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.Op;

/**
 * Reads LIRS traces (the traces of the LIRS authors, as Caffeine's simulator reads them as
 * {@code lirs}): one block number per line; surrounding blanks are trimmed, and empty lines and
 * lines of a single {@code *} are skipped.
 *
 * <p>Block {@code n} becomes a read of {@link TraceOptions#blockSize()} bytes at {@code n *
 * blockSize}, so that a replay at that block size sees exactly the keys Caffeine's simulator
 * sees. Requests have no time (the time is the request's index, as logical nanoseconds), no
 * class hint, no process, one volume. A negative block number (which Caffeine would accept as a
 * key) is malformed here: it has no disk address.
 */
public final class LirsReader extends LineTraceReader {
    private final long blockSize;
    private final long maxBlock;
    private long index;

    LirsReader(LineSource lines, String source, TraceOptions options, Progress progress) {
        super(lines, source, options, progress);
        this.blockSize = options.blockSize();
        this.maxBlock = Long.MAX_VALUE / blockSize - 1;
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.LIRS;
    }

    @Override
    boolean parse(BlockRequest r, byte[] b, int from, int to) throws BadLine {
        while (from < to && (b[from] & 0xff) <= ' ') {
            from++;
        }
        while (to > from && (b[to - 1] & 0xff) <= ' ') {
            to--;
        }
        if (from == to || (to - from == 1 && b[from] == '*')) {
            return false;
        }
        int digitsFrom = from;
        boolean negative = false;
        if (b[from] == '+' || b[from] == '-') {
            negative = b[from] == '-';
            digitsFrom++;
        }
        long block = Ascii.digits(b, digitsFrom, to);
        if (block < 0) {
            throw new BadLine("'" + text(from, to) + "' is not a block number");
        }
        if (negative && block != 0) {
            throw new BadLine("block number " + text(from, to) + " is negative");
        }
        if (block > maxBlock) {
            throw new BadLine("block number " + block + " times the block size " + blockSize
                    + " is beyond the largest disk address");
        }
        r.clear();
        r.tsNs = index++;
        r.op = Op.READ;
        r.offset = block * blockSize;
        r.length = blockSize;
        return true;
    }
}
