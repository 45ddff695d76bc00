package dev.triage.cache.replay;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.Op;

/**
 * Turns requests into touches under the replay semantics of the hinted trace format: a
 * request touches every block its byte range overlaps, in ascending order; {@code R} and
 * {@code W} touch, {@code D} removes, {@code F} counts nothing. With several volumes, the
 * volume is folded into the block number so that their blocks never collide.
 */
public final class TouchExpander {
    /** Bits of the block number; the volume goes above them. */
    public static final int BLOCK_BITS = 44;

    private final int blockShift;
    private final long blockSize;

    public TouchExpander(int blockSize) {
        if (Integer.bitCount(blockSize) != 1 || blockSize < 512) {
            throw new IllegalArgumentException("block size must be a power of two >= 512, got " + blockSize);
        }
        this.blockSize = blockSize;
        this.blockShift = Integer.numberOfTrailingZeros(blockSize);
    }

    public long blockSize() {
        return blockSize;
    }

    /** The first block a request touches (volume folded in). */
    public long firstBlock(BlockRequest r) {
        return key(r.volume, r.offset >>> blockShift);
    }

    /** How many blocks a request touches (0 for an empty range or a flush). */
    public long blockCount(BlockRequest r) {
        if (r.length <= 0 || r.op == Op.FLUSH) {
            return 0;
        }
        long first = r.offset >>> blockShift;
        long last = (r.offset + r.length - 1) >>> blockShift;
        return last - first + 1;
    }

    /** The cache key of a block of a volume ({@code volume} -1 for a single disk). */
    public static long key(int volume, long blockNumber) {
        return ((long) (volume + 1) << BLOCK_BITS) | blockNumber;
    }

    /** The kind of touch a request makes, or -1 when it makes none. */
    public static byte kindOf(Op op) {
        return switch (op) {
            case READ -> TouchBatch.READ;
            case WRITE -> TouchBatch.WRITE;
            case DISCARD -> TouchBatch.DISCARD;
            case FLUSH -> -1;
        };
    }
}
