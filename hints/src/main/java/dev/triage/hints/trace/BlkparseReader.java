package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.nio.charset.StandardCharsets;

/**
 * Reads blkparse's default text output:
 *
 * <pre>
 *   8,0    3        5     0.000005491   697  D   W 223490 + 8 [kjournald]
 * </pre>
 *
 * that is {@code major,minor cpu sequence seconds.nanos pid action RWBS sector + sectors
 * [(elapsed)] [comm]}. Only the issue action {@code D} is read ({@code Q}, queued, with {@link
 * TraceOptions#queueEvents()}); other actions (and {@code m} messages) are ignored, as is the
 * summary that blkparse prints at the end (from the first {@code CPUn (...)} or {@code Total
 * (...)} line on). Any other line before the summary is malformed.
 *
 * <p>Times are relative to the first request read, in nanoseconds. Requests carry no class hint
 * and no I/O priority. The op follows {@link BlockEvents}; {@code N} requests and passthrough
 * requests (a byte count instead of {@code sector + sectors}) are ignored and counted. Device
 * filter and volumes as in {@link FtraceReader}.
 */
public final class BlkparseReader extends LineTraceReader {
    private static final byte[] CPU = "CPU".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOTAL = "Total (".getBytes(StandardCharsets.US_ASCII);

    private final long deviceFilter;
    private final byte action;
    private boolean summary;
    private long firstTs = -1;

    BlkparseReader(LineSource lines, String source, TraceOptions options, Progress progress) {
        super(lines, source, options, progress);
        this.deviceFilter = deviceFilter(options);
        this.action = options.queueEvents() ? (byte) 'Q' : (byte) 'D';
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.BLKPARSE;
    }

    @Override
    boolean parse(BlockRequest r, byte[] b, int from, int to) throws BadLine {
        int i = Ascii.skipSpaces(b, from, to);
        if (i == to || summary) {
            return false;
        }
        int e = Ascii.tokenEnd(b, i, to);
        int comma = Ascii.indexOf(b, i, e, (byte) ',');
        long major = comma < 0 ? -1 : Ascii.digits(b, i, comma);
        long minor = comma < 0 ? -1 : Ascii.digits(b, comma + 1, e);
        if (major < 0 || minor < 0 || major > Integer.MAX_VALUE || minor > Integer.MAX_VALUE) {
            if ((Ascii.startsWith(b, i, to, CPU) && i + 3 < to && Character.isDigit(b[i + 3]))
                    || Ascii.startsWith(b, i, to, TOTAL)) {
                summary = true;
                return false;
            }
            throw new BadLine("not a blkparse event (major,minor cpu sequence time pid action RWBS ...): '"
                    + text(i, to) + "'");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        if (Ascii.digits(b, i, e) < 0) {
            throw new BadLine("cpu '" + text(i, e) + "' is not a number");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        if (Ascii.digits(b, i, e) < 0) {
            throw new BadLine("sequence number '" + text(i, e) + "' is not a number");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        long ts = Ascii.secondsToNanos(b, i, e);
        if (ts < 0) {
            throw new BadLine("time '" + text(i, e) + "' is not seconds.nanoseconds");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        if (Ascii.digits(b, i, e) < 0) {
            throw new BadLine("pid '" + text(i, e) + "' is not a number");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        if (i == e) {
            throw new BadLine("no action after the pid");
        }
        if (e - i != 1 || b[i] != action) {
            return false;
        }
        if (deviceFilter >= 0 && deviceFilter != (major << 32 | minor)) {
            return false;
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        int rwbs = Rwbs.parse(lines.chars, i, e);
        if (i == e || rwbs < 0) {
            throw new BadLine("RWBS '" + text(i, e) + "' is not an RWBS string");
        }
        int rwbsFrom = i;
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        long sector = Ascii.digits(b, i, e);
        if (sector < 0) {
            throw new BadLine("sector '" + text(i, e) + "' is not a number");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        if (e - i != 1 || b[i] != '+') {
            if (i < to && (b[i] == '(' || b[i] == '[')) {
                ignore("'" + text(rwbsFrom, to) + "' is a passthrough request (a byte count, no address)");
                return false;
            }
            throw new BadLine("expected '+' after the sector, found '" + text(i, e) + "'");
        }
        i = Ascii.skipSpaces(b, e, to);
        e = Ascii.tokenEnd(b, i, to);
        long sectors = Ascii.digits(b, i, e);
        if (sectors < 0) {
            throw new BadLine("sector count '" + text(i, e) + "' is not a number");
        }
        i = Ascii.skipSpaces(b, e, to);
        if (i < to && b[i] == '(') {
            int close = Ascii.indexOf(b, i, to, (byte) ')');
            if (close < 0) {
                throw new BadLine("the elapsed time '(' is not closed by ')'");
            }
            i = Ascii.skipSpaces(b, close + 1, to);
        }
        if (i >= to || b[i] != '[') {
            throw new BadLine("no [comm] at the end of the event");
        }
        int commEnd = Ascii.lastIndexOf(b, i, to, (byte) ']');
        if (commEnd < 0) {
            throw new BadLine("the process name '[' is not closed by ']'");
        }

        Op op = BlockEvents.op(rwbs, sectors);
        if (op == null) {
            ignore("'" + text(rwbsFrom, to) + "' is a request without data or address");
            return false;
        }
        r.clear();
        BlockEvents.address(r, op, sector, sectors);
        if (firstTs < 0) {
            firstTs = ts;
        }
        r.tsNs = ts - firstTs;
        r.flags = rwbs;
        r.comm = commEnd == i + 1 ? BlockRequest.UNKNOWN : internProcess(i + 1, commEnd);
        r.volume = deviceFilter >= 0 ? BlockRequest.UNKNOWN : deviceVolume((int) major, (int) minor);
        return true;
    }
}
