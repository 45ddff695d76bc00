package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.Op;

/**
 * Reads the MSR Cambridge traces (SNIA IOTTA): comma-separated {@code
 * Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime} without a header (a first line
 * naming these columns is skipped), where the timestamp is a Windows filetime in ticks of 100 ns,
 * {@code Type} is {@code Read} or {@code Write} (any case), and offset and size are in bytes.
 *
 * <p>Times are relative to the first request read, in nanoseconds (records are taken in file
 * order, as they come). Requests carry no class hint, flags or priority. Offset and size are
 * taken as they are (not required to be multiples of 512). Each request's volume is its disk,
 * named {@code Hostname_DiskNumber} ({@code hm_0}); with a device filter naming one such disk
 * only that disk is read and volumes are -1.
 */
public final class MsrReader extends LineTraceReader {
    private static final int FIELDS = 7;

    private final String deviceFilter;
    private final String filterHost;
    private final String filterDisk;
    private final int[] starts = new int[FIELDS];
    private final int[] ends = new int[FIELDS];
    private final StringBuilder disk = new StringBuilder();
    private long firstTicks = -1;

    MsrReader(LineSource lines, String source, TraceOptions options, Progress progress) {
        super(lines, source, options, progress);
        this.deviceFilter = options.device() == null ? null : options.device().trim();
        int sep = deviceFilter == null ? -1 : deviceFilter.lastIndexOf('_');
        if (deviceFilter != null && sep <= 0) {
            throw new IllegalArgumentException(
                    "device filter '" + deviceFilter + "' is not an MSR disk Hostname_DiskNumber (for example hm_0)");
        }
        this.filterHost = sep < 0 ? null : deviceFilter.substring(0, sep);
        this.filterDisk = sep < 0 ? null : deviceFilter.substring(sep + 1);
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.MSR;
    }

    @Override
    boolean parse(BlockRequest r, byte[] b, int from, int to) throws BadLine {
        if (Ascii.skipSpaces(b, from, to) == to) {
            return false;
        }
        int n = 0;
        int fieldFrom = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == ',') {
                if (n < FIELDS) {
                    starts[n] = fieldFrom;
                    ends[n] = i;
                }
                n++;
                fieldFrom = i + 1;
            }
        }
        if (lines.lineNumber == 1 && Ascii.equalsIgnoreCase(b, starts[0], ends[0], "Timestamp")) {
            return false;
        }
        if (n != FIELDS) {
            throw new BadLine("expected 7 fields (Timestamp,Hostname,DiskNumber,Type,Offset,Size,ResponseTime), found " + n);
        }
        long ticks = number(b, 0, "Timestamp");
        if (starts[1] == ends[1]) {
            throw new BadLine("Hostname is empty");
        }
        number(b, 2, "DiskNumber");
        Op op;
        if (Ascii.equalsIgnoreCase(b, starts[3], ends[3], "Read")) {
            op = Op.READ;
        } else if (Ascii.equalsIgnoreCase(b, starts[3], ends[3], "Write")) {
            op = Op.WRITE;
        } else {
            throw new BadLine("Type '" + text(starts[3], ends[3]) + "' is neither Read nor Write");
        }
        long offset = number(b, 4, "Offset");
        long size = number(b, 5, "Size");
        number(b, 6, "ResponseTime");
        if (offset > Long.MAX_VALUE - size) {
            throw new BadLine("Offset " + offset + " + Size " + size + " overflows");
        }
        int volume = BlockRequest.UNKNOWN;
        if (deviceFilter != null) {
            if (!sameDisk(b)) {
                return false;
            }
        } else {
            disk.setLength(0);
            disk.append(lines.chars, starts[1], ends[1]).append('_').append(lines.chars, starts[2], ends[2]);
            volume = volumes.intern(disk);
        }
        long first = firstTicks < 0 ? ticks : firstTicks;
        if (Math.abs(ticks - first) > Long.MAX_VALUE / 100) {
            throw new BadLine("Timestamp " + ticks + " is too far from the first one, " + first);
        }
        firstTicks = first;
        r.clear();
        r.tsNs = (ticks - firstTicks) * 100;
        r.op = op;
        r.offset = offset;
        r.length = size;
        r.volume = volume;
        return true;
    }

    private boolean sameDisk(byte[] b) {
        return Ascii.equals(b, starts[1], ends[1], filterHost) && Ascii.equals(b, starts[2], ends[2], filterDisk);
    }

    private long number(byte[] b, int field, String name) throws BadLine {
        long v = Ascii.digits(b, starts[field], ends[field]);
        if (v < 0) {
            throw new BadLine(name + " '" + text(starts[field], ends[field]) + "' is not a non-negative integer");
        }
        return v;
    }
}
