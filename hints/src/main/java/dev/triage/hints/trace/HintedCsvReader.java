package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the hinted block trace, version 1 ({@code trace-format.md}): {@code #} comments, a header
 * row naming the columns (any order; unknown columns are ignored), then one request per row.
 *
 * <p>The comment lines before the header are read when the reader is opened: the first names the
 * format and version ({@code # hinted block trace v1}; another version is refused), the others
 * hold {@code key=value} notes separated by {@code ;}, available from {@link #notes()}. Comment
 * lines after the header are skipped; blank lines too.
 *
 * <p>Every row is checked: the number of fields, the op letter, the numbers, offset and length
 * multiples of 512, a flush of length 0, a valid class name ({@code [a-z0-9_]+}, interned into
 * the vocabulary of the {@link TraceOptions}), {@code ts_ns} never decreasing, the RWBS and
 * ioprio syntax. {@link BlockRequest#tag} is the class's vocabulary id.
 */
public final class HintedCsvReader extends LineTraceReader {
    /** The text of the first comment line, after {@code # }, up to the version. */
    public static final String MAGIC = "hinted block trace v";
    /** The version this reader knows. */
    public static final int VERSION = 1;

    static final int TS = 0;
    static final int OP = 1;
    static final int OFFSET = 2;
    static final int LENGTH = 3;
    static final int CLASS = 4;
    static final int FILE_SIZE = 5;
    static final int FLAGS = 6;
    static final int IOPRIO = 7;
    static final int COMM = 8;
    static final int VOLUME = 9;
    static final int UNKNOWN = -1;
    /** Column names by kind; the first five are required. */
    static final List<String> COLUMNS = List.of(
            "ts_ns", "op", "offset", "length", "class", "file_size", "flags", "ioprio", "comm", "volume");
    private static final int REQUIRED = 5;

    private final ClassVocabulary vocabulary;
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final List<String> header = new ArrayList<>();
    private String formatLine;
    private int[] kinds;
    private int[] fieldStart;
    private int[] fieldEnd;
    private long lastTs = Long.MIN_VALUE;

    HintedCsvReader(LineSource lines, String source, TraceOptions options, Progress progress) throws IOException {
        super(lines, source, options, progress);
        this.vocabulary = options.vocabulary();
        readPreamble();
    }

    /** The {@code key=value} notes of the comment lines before the header, in order. */
    public Map<String, String> notes() {
        return Collections.unmodifiableMap(notes);
    }

    /** The first comment line without its {@code #} ({@code hinted block trace v1}), or null. */
    public String formatLine() {
        return formatLine;
    }

    /** The column names of the header, in file order. */
    public List<String> header() {
        return Collections.unmodifiableList(header);
    }

    /** The value of the {@code block_size} note, or {@code fallback} when absent or not a number. */
    public int blockSizeNote(int fallback) {
        String v = notes.get("block_size");
        if (v != null) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.HINTED_CSV;
    }

    private void readPreamble() throws IOException {
        boolean firstComment = true;
        while (lines.next()) {
            byte[] b = lines.buf;
            int from = Ascii.skipSpaces(b, lines.start, lines.end);
            int to = lines.end;
            if (from == to) {
                continue;
            }
            if (b[from] == '#') {
                String text = lines.chars.text(from + 1, to).trim();
                if (firstComment) {
                    firstComment = false;
                    formatLine = text;
                    if (text.startsWith(MAGIC)) {
                        String version = text.substring(MAGIC.length()).trim();
                        if (!version.equals(Integer.toString(VERSION))) {
                            throw new TraceFormatException(source, lines.lineNumber,
                                    "this is hinted block trace v" + version + "; this reader knows v" + VERSION);
                        }
                        continue;
                    }
                }
                readNotes(text);
                continue;
            }
            readHeader(b, from, to);
            return;
        }
        throw new TraceFormatException(source, lines.lineNumber + 1,
                "no header line: the trace ends before its first line that is not a comment");
    }

    private void readNotes(String text) {
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                notes.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
    }

    private void readHeader(byte[] b, int from, int to) throws TraceFormatException {
        int fieldFrom = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == ',') {
                header.add(lines.chars.text(fieldFrom, i).trim());
                fieldFrom = i + 1;
            }
        }
        kinds = new int[header.size()];
        boolean[] seen = new boolean[COLUMNS.size()];
        for (int c = 0; c < header.size(); c++) {
            int kind = COLUMNS.indexOf(header.get(c));
            if (kind >= 0) {
                if (seen[kind]) {
                    throw new TraceFormatException(source, lines.lineNumber,
                            "header names column '" + COLUMNS.get(kind) + "' twice");
                }
                seen[kind] = true;
            }
            kinds[c] = kind;
        }
        for (int k = 0; k < REQUIRED; k++) {
            if (!seen[k]) {
                throw new TraceFormatException(source, lines.lineNumber,
                        "header lacks the required column '" + COLUMNS.get(k) + "' (header: "
                                + String.join(",", header) + "; required: "
                                + String.join(",", COLUMNS.subList(0, REQUIRED)) + ")");
            }
        }
        fieldStart = new int[kinds.length];
        fieldEnd = new int[kinds.length];
    }

    @Override
    boolean parse(BlockRequest r, byte[] b, int from, int to) throws BadLine {
        if (from == to || b[from] == '#') {
            return false;
        }
        if (Ascii.skipSpaces(b, from, to) == to) {
            return false;
        }
        int n = 0;
        int fieldFrom = from;
        for (int i = from; i <= to; i++) {
            if (i == to || b[i] == ',') {
                if (n < kinds.length) {
                    fieldStart[n] = fieldFrom;
                    fieldEnd[n] = i;
                }
                n++;
                fieldFrom = i + 1;
            }
        }
        if (n != kinds.length) {
            throw new BadLine("expected " + kinds.length + " fields as in the header, found " + n);
        }
        r.clear();
        long ts = 0;
        for (int c = 0; c < kinds.length; c++) {
            int s = fieldStart[c];
            int e = fieldEnd[c];
            switch (kinds[c]) {
                case TS -> ts = number(b, s, e, "ts_ns");
                case OP -> {
                    Op op = e - s == 1 ? Op.ofCode((char) b[s]) : null;
                    if (op == null) {
                        throw new BadLine("op '" + text(s, e) + "' is not one of R W D F");
                    }
                    r.op = op;
                }
                case OFFSET -> r.offset = sectorMultiple(b, s, e, "offset");
                case LENGTH -> r.length = sectorMultiple(b, s, e, "length");
                case CLASS -> {
                    if (!ClassVocabulary.isValidName(lines.chars, s, e)) {
                        throw new BadLine("class '" + text(s, e) + "' is not a class name ([a-z0-9_]+)");
                    }
                    r.tag = vocabulary.intern(lines.chars, s, e);
                }
                case FILE_SIZE -> r.fileSize = s == e ? BlockRequest.UNKNOWN : number(b, s, e, "file_size");
                case FLAGS -> {
                    int bits = Rwbs.parse(lines.chars, s, e);
                    if (bits < 0) {
                        throw new BadLine("flags '" + text(s, e) + "' is not an RWBS string");
                    }
                    r.flags = bits;
                }
                case IOPRIO -> r.ioprio = s == e ? BlockRequest.UNKNOWN : ioprio(b, s, e);
                case COMM -> r.comm = s == e ? BlockRequest.UNKNOWN : internProcess(s, e);
                case VOLUME -> r.volume = s == e ? BlockRequest.UNKNOWN : intern(volumes, s, e);
                default -> {
                    // a column this reader does not know
                }
            }
        }
        if (r.op == Op.FLUSH && r.length != 0) {
            throw new BadLine("length " + r.length + " of a flush (op F) must be 0");
        }
        if (r.offset > Long.MAX_VALUE - r.length) {
            throw new BadLine("offset " + r.offset + " + length " + r.length + " overflows");
        }
        if (ts < lastTs) {
            throw new BadLine("ts_ns " + ts + " is less than the previous request's " + lastTs
                    + " (ts_ns never decreases)");
        }
        lastTs = ts;
        r.tsNs = ts;
        return true;
    }

    private long number(byte[] b, int s, int e, String column) throws BadLine {
        long v = Ascii.digits(b, s, e);
        if (v < 0) {
            throw new BadLine(column + " '" + text(s, e) + "' is not a non-negative integer");
        }
        return v;
    }

    private long sectorMultiple(byte[] b, int s, int e, String column) throws BadLine {
        long v = number(b, s, e, column);
        if ((v & 511) != 0) {
            throw new BadLine(column + " " + v + " is not a multiple of 512");
        }
        return v;
    }

    /** {@code class:level:hint}: class {@code none rt be idle} or a number, level and hint 0..255. */
    private int ioprio(byte[] b, int s, int e) throws BadLine {
        int c1 = Ascii.indexOf(b, s, e, (byte) ':');
        int c2 = c1 < 0 ? -1 : Ascii.indexOf(b, c1 + 1, e, (byte) ':');
        if (c2 >= 0) {
            int cls = IoPrio.classOf(lines.chars, s, c1);
            if (cls < 0) {
                long num = Ascii.digits(b, s, c1);
                cls = num >= 0 && num <= 255 ? (int) num : -1;
            }
            long level = Ascii.digits(b, c1 + 1, c2);
            long hint = Ascii.digits(b, c2 + 1, e);
            if (cls >= 0 && level >= 0 && level <= 255 && hint >= 0 && hint <= 255) {
                return IoPrio.pack(cls, (int) level, (int) hint);
            }
        }
        throw new BadLine("ioprio '" + text(s, e)
                + "' is not class:level:hint (class none, rt, be, idle or 0-255; level and hint 0-255)");
    }
}
