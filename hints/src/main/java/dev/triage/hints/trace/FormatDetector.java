package dev.triage.hints.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Tells a trace's format from its first bytes (after decompression). Binary content is taken as
 * CloudPhysics; text is tried as hinted CSV, ftrace, blkparse, MSR and LIRS, in this order. When
 * none fits, the message says what each format would have needed.
 */
final class FormatDetector {
    /** How many bytes of the content are looked at. */
    static final int SAMPLE = 1 << 16;
    private static final int MAX_LINES = 200;

    private static final Pattern FTRACE_EVENT =
            Pattern.compile("^\\s*.+-\\d+\\s+(\\(.*?\\)\\s+)?\\[\\d+\\].*\\s\\d+(\\.\\d+)?: \\w+:.*");
    private static final Pattern BLKPARSE =
            Pattern.compile("^\\s*\\d+,\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\.\\d+\\s+\\d+\\s+\\S+.*");
    private static final Pattern MSR =
            Pattern.compile("^\\d+,[^,]+,\\d+,(?i:read|write),\\d+,\\d+,\\d+\\s*$");
    private static final Pattern MSR_HEADER = Pattern.compile("^(?i:timestamp),.*");
    private static final Pattern LIRS = Pattern.compile("^\\s*([+-]?\\d+|\\*)\\s*$");

    private FormatDetector() {}

    /**
     * The format of a trace whose first bytes are {@code sample[0, n)} ({@code complete} when that
     * is the whole content).
     */
    static TraceFormat detect(String source, byte[] sample, int n, boolean complete) throws TraceFormatException {
        if (n == 0) {
            throw new TraceFormatException(source, 1, "cannot tell the format of an empty trace; name it (--format)");
        }
        if (isBinary(sample, n)) {
            return TraceFormat.CLOUDPHYSICS;
        }
        List<String> lines = lines(sample, n, complete);
        List<String> nonBlank = new ArrayList<>();
        for (String l : lines) {
            if (!l.isBlank()) {
                nonBlank.add(l);
            }
        }
        if (nonBlank.isEmpty()) {
            throw new TraceFormatException(source, 1,
                    "cannot tell the format of a trace that begins with " + lines.size() + " blank lines; name it (--format)");
        }
        String first = nonBlank.get(0);
        if (first.startsWith("# " + HintedCsvReader.MAGIC) || first.startsWith("#" + HintedCsvReader.MAGIC)) {
            return TraceFormat.HINTED_CSV;
        }
        for (String l : nonBlank) {
            if (!l.startsWith("#")) {
                List<String> cols = List.of(l.trim().split("\\s*,\\s*"));
                if (cols.contains("ts_ns") && cols.contains("op")) {
                    return TraceFormat.HINTED_CSV;
                }
                break;
            }
        }
        if (first.startsWith("# tracer:")) {
            return TraceFormat.FTRACE;
        }
        for (String l : nonBlank) {
            if (l.contains(" block_rq_issue: ") || FTRACE_EVENT.matcher(l).matches()) {
                return TraceFormat.FTRACE;
            }
        }
        if (BLKPARSE.matcher(first).matches()) {
            return TraceFormat.BLKPARSE;
        }
        String msrLine = MSR_HEADER.matcher(first).matches() && nonBlank.size() > 1 ? nonBlank.get(1) : first;
        if (MSR.matcher(msrLine).matches()) {
            return TraceFormat.MSR;
        }
        String notBlock = null;
        boolean number = false;
        for (String l : nonBlank) {
            if (!LIRS.matcher(l).matches()) {
                notBlock = l;
                break;
            }
            number |= !l.trim().equals("*");
        }
        if (notBlock == null && number) {
            return TraceFormat.LIRS;
        }
        String shown = shorten(first);
        throw new TraceFormatException(source, 1, "cannot tell the format of this trace (it begins with '"
                + shown + "'); tried: "
                + "hinted CSV v1 (needs a first line '# hinted block trace v1' or a header naming ts_ns and op), "
                + "ftrace (needs a '# tracer:' line or ftrace event lines such as 'comm-pid [cpu] ... 12.345: block_rq_issue: ...'), "
                + "blkparse (needs lines 'major,minor cpu sequence time pid action ...'), "
                + "MSR (needs lines 'Timestamp,Hostname,DiskNumber,Read|Write,Offset,Size,ResponseTime'), "
                + "LIRS (needs one block number per line; this line is not one: '" + shorten(notBlock == null ? first : notBlock) + "'), "
                + "CloudPhysics (needs binary content; this is text); "
                + "name the format (--format csv|ftrace|blkparse|msr|lirs|cloudphysics)");
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    /** Binary when the sample has a NUL, or more than 5% control bytes other than tab, CR and LF. */
    static boolean isBinary(byte[] b, int n) {
        int control = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == 0) {
                return true;
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7f) {
                control++;
            }
        }
        return control * 20L > n;
    }

    private static List<String> lines(byte[] b, int n, boolean complete) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < n && out.size() < MAX_LINES; i++) {
            if (b[i] == '\n') {
                out.add(strip(new String(b, from, i - from, StandardCharsets.UTF_8)));
                from = i + 1;
            }
        }
        if (out.size() < MAX_LINES && from < n && (complete || out.isEmpty())) {
            out.add(strip(new String(b, from, n - from, StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static String strip(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
