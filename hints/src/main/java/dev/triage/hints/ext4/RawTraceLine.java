package dev.triage.hints.ext4;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.IoPrio;
import dev.triage.hints.NameTable;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;

/**
 * Parses the lines of a raw block trace that the ext4 labeller needs: ftrace text with {@code
 * block_rq_issue} and {@code ext4_ext_map_blocks_exit} events, or blkparse's default text (its
 * {@code D}, issue, lines). One instance is reused for every line; a line that is neither kind
 * is {@link Kind#OTHER}.
 */
public final class RawTraceLine {
    /** What a line held. */
    public enum Kind { ISSUE, MAP, OTHER }

    private static final String ISSUE_TAG = ": block_rq_issue: ";
    private static final String MAP_TAG = ": ext4_ext_map_blocks_exit: ";

    /** The device of the last event (major:minor packed as major << 20 | minor). */
    public int dev;
    /** The time of the last event in nanoseconds (absolute, as the tracer printed it). */
    public long tsNs;
    /** The inode, logical block, physical block and length of the last map event. */
    public long ino;
    public long lblk;
    public long pblk;
    public long len;

    private final String[] tok = new String[32];

    /**
     * Parses a line. For {@link Kind#ISSUE}, {@code r} is filled (offset, length, op, flags,
     * ioprio, comm; {@code tsNs} absolute); for {@link Kind#MAP} the public fields are.
     *
     * @throws IllegalArgumentException with a message saying what is wrong when a line of a known
     *     kind does not parse
     */
    public Kind parse(String line, BlockRequest r, NameTable processes) {
        int at = line.indexOf(ISSUE_TAG);
        if (at >= 0) {
            tsNs = timeBefore(line, at);
            return ftraceIssue(line.substring(at + ISSUE_TAG.length()), r, processes) ? Kind.ISSUE : Kind.OTHER;
        }
        at = line.indexOf(MAP_TAG);
        if (at >= 0) {
            tsNs = timeBefore(line, at);
            return ftraceMap(line.substring(at + MAP_TAG.length())) ? Kind.MAP : Kind.OTHER;
        }
        return blkparse(line, r, processes) ? Kind.ISSUE : Kind.OTHER;
    }

    private static long timeBefore(String line, int end) {
        int start = line.lastIndexOf(' ', end - 1) + 1;
        return seconds(line.substring(start, end));
    }

    /** {@code 583.888485} seconds as nanoseconds. */
    static long seconds(String s) {
        int dot = s.indexOf('.');
        try {
            if (dot < 0) {
                return Long.parseLong(s) * 1_000_000_000L;
            }
            long whole = Long.parseLong(s.substring(0, dot));
            String frac = s.substring(dot + 1);
            if (frac.length() > 9) {
                frac = frac.substring(0, 9);
            }
            long f = frac.isEmpty() ? 0 : Long.parseLong(frac);
            for (int i = frac.length(); i < 9; i++) {
                f *= 10;
            }
            return whole * 1_000_000_000L + f;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad timestamp '" + s + "'");
        }
    }

    private int split(String s) {
        int n = 0;
        int i = 0;
        int len = s.length();
        while (i < len && n < tok.length) {
            while (i < len && s.charAt(i) == ' ') {
                i++;
            }
            if (i >= len) {
                break;
            }
            int j = i;
            while (j < len && s.charAt(j) != ' ') {
                j++;
            }
            tok[n++] = s.substring(i, j);
            i = j;
        }
        return n;
    }

    private static int device(String majMin) {
        int c = majMin.indexOf(',');
        if (c < 0) {
            throw new IllegalArgumentException("bad device '" + majMin + "'");
        }
        try {
            return Integer.parseInt(majMin.substring(0, c)) << 20 | Integer.parseInt(majMin.substring(c + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad device '" + majMin + "'");
        }
    }

    /** {@code 7,1 RM 4096 () 69896 + 8 be,0,4 [tar]} (ioprio absent on older kernels). */
    private boolean ftraceIssue(String s, BlockRequest r, NameTable processes) {
        int n = split(s);
        if (n < 7) {
            throw new IllegalArgumentException("block_rq_issue with " + n + " fields");
        }
        dev = device(tok[0]);
        int i = 3;
        while (i < n && !tok[i].endsWith(")")) { // the command "()" may hold spaces
            i++;
        }
        i++;
        if (i + 2 >= n || !tok[i + 1].equals("+")) {
            throw new IllegalArgumentException("block_rq_issue without 'sector + count'");
        }
        long sector = number(tok[i]);
        long count = number(tok[i + 2]);
        i += 3;
        int prio = -1;
        if (i < n && !tok[i].startsWith("[")) {
            prio = ioprio(tok[i]);
            i++;
        }
        String comm = i < n ? joinComm(i, n) : "";
        return fill(r, tok[1], sector, count, prio, comm, processes);
    }

    private String joinComm(int from, int n) {
        StringBuilder b = new StringBuilder();
        for (int k = from; k < n; k++) {
            if (k > from) {
                b.append(' ');
            }
            b.append(tok[k]);
        }
        String c = b.toString();
        if (c.startsWith("[") && c.endsWith("]")) {
            c = c.substring(1, c.length() - 1);
        }
        return c;
    }

    private boolean fill(BlockRequest r, String rwbs, long sector, long count, int prio, String comm,
            NameTable processes) {
        int flags = Rwbs.parse(rwbs, 0, rwbs.length());
        if (flags < 0) {
            throw new IllegalArgumentException("bad RWBS '" + rwbs + "'");
        }
        // As the shared trace readers do: a pre-flush without data is a flush; 'N' is ignored.
        Op op;
        if ((flags & Rwbs.DISCARD) != 0) {
            op = Op.DISCARD;
        } else if ((flags & Rwbs.FLUSH) != 0 || ((flags & Rwbs.PREFLUSH) != 0 && count == 0)) {
            op = Op.FLUSH;
        } else if ((flags & Rwbs.READ) != 0) {
            op = Op.READ;
        } else if ((flags & Rwbs.WRITE) != 0) {
            op = Op.WRITE;
        } else {
            return false; // 'N': no data, no flush
        }
        r.clear();
        r.op = op;
        r.offset = sector * 512;
        r.length = op == Op.FLUSH ? 0 : count * 512;
        r.flags = flags;
        r.ioprio = prio;
        r.comm = comm.isEmpty() ? BlockRequest.UNKNOWN : processes.intern(comm.replace(',', '_'));
        r.tsNs = tsNs;
        return true;
    }

    private static int ioprio(String s) {
        String[] f = s.split(",");
        if (f.length != 3) {
            throw new IllegalArgumentException("bad ioprio '" + s + "'");
        }
        int c = IoPrio.classOf(f[0], 0, f[0].length());
        if (c < 0) {
            throw new IllegalArgumentException("bad ioprio class '" + f[0] + "'");
        }
        return IoPrio.pack(c, (int) number(f[1]), (int) number(f[2]));
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + s + "'");
        }
    }

    /** {@code dev 7,1 ino 2 flags  lblk 0 pblk 8737 len 1 mflags M ret 1}. */
    private boolean ftraceMap(String s) {
        int n = split(s);
        long ret = -1;
        ino = lblk = pblk = len = -1;
        for (int i = 0; i + 1 < n; i++) {
            switch (tok[i]) {
                case "dev" -> dev = device(tok[i + 1]);
                case "ino" -> ino = number(tok[i + 1]);
                case "lblk" -> lblk = number(tok[i + 1]);
                case "pblk" -> pblk = number(tok[i + 1]);
                case "len" -> len = number(tok[i + 1]);
                case "ret" -> ret = number(tok[i + 1]);
                default -> { }
            }
        }
        if (ino < 0 || pblk < 0 || len < 0 || lblk < 0) {
            throw new IllegalArgumentException("ext4_ext_map_blocks_exit without ino/lblk/pblk/len");
        }
        if (ret <= 0 || pblk == 0 || len == 0) {
            return false; // a hole or an error: nothing mapped
        }
        len = Math.min(len, ret);
        return true;
    }

    /** {@code   7,1    0        1     0.000000000 15112  D  RM 69896 + 8 [tar]}. */
    private boolean blkparse(String s, BlockRequest r, NameTable processes) {
        int n = split(s);
        if (n < 7 || tok[0].indexOf(',') < 0 || !tok[5].equals("D")) {
            return false;
        }
        dev = device(tok[0]);
        tsNs = seconds(tok[3]);
        String rwbs = tok[6];
        long sector = 0;
        long count = 0;
        int i = 7;
        if (i + 2 < n && tok[i + 1].equals("+")) {
            sector = number(tok[i]);
            count = number(tok[i + 2]);
            i += 3;
        } else if (i < n && !tok[i].startsWith("[") && !tok[i].startsWith("(")) {
            i++; // a bare byte count (flushes)
        }
        String comm = i < n ? joinComm(i, n) : "";
        return fill(r, rwbs, sector, count, -1, comm, processes);
    }
}
