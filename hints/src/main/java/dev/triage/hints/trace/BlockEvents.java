package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;

/**
 * Turns the kernel's view of a block request (RWBS bits, sector, sector count) into an {@link
 * Op}, for the ftrace and blkparse readers.
 *
 * <ul>
 *   <li>{@code D} (discard) and {@code DE} (secure erase) are discards; {@code R} reads; {@code W}
 *       writes.
 *   <li>{@code F} as the operation ({@code FF}: a flush request with a pre-flush) is a flush, and
 *       so is any request with a pre-flush and no data ({@code FWS 0 + 0}, {@code FN} of older
 *       kernels): it only asks the device to make earlier writes durable.
 *   <li>{@code N} without a pre-flush (a driver-private request, for example SCSI passthrough)
 *       has no data and no address: it is not a block request Triage can replay, so the readers
 *       ignore it and count it ({@link LineTraceReader#ignored()}).
 * </ul>
 */
final class BlockEvents {
    private BlockEvents() {}

    /** The op of a request, or null when it is to be ignored (an {@code N} request). */
    static Op op(int rwbs, long sectors) {
        if ((rwbs & Rwbs.DISCARD) != 0) {
            return Op.DISCARD;
        }
        if ((rwbs & Rwbs.FLUSH) != 0) {
            return Op.FLUSH;
        }
        if ((rwbs & Rwbs.PREFLUSH) != 0 && sectors == 0) {
            return Op.FLUSH;
        }
        if ((rwbs & Rwbs.READ) != 0) {
            return Op.READ;
        }
        if ((rwbs & Rwbs.WRITE) != 0) {
            return Op.WRITE;
        }
        return null;
    }

    /** Largest sector whose byte offset fits a long. */
    static final long MAX_SECTOR = Long.MAX_VALUE >> 9;

    /** Fills the address fields; throws when a flush carries data or the range overflows. */
    static void address(BlockRequest r, Op op, long sector, long sectors) throws BadLine {
        if (sector > MAX_SECTOR || sectors > MAX_SECTOR || sector + sectors > MAX_SECTOR) {
            throw new BadLine("sector " + sector + " + " + sectors + " is beyond the largest disk address");
        }
        if (op == Op.FLUSH && sectors != 0) {
            throw new BadLine("a flush request with " + sectors + " sectors (a flush carries no data)");
        }
        r.op = op;
        r.offset = sector << 9;
        r.length = sectors << 9;
    }
}
