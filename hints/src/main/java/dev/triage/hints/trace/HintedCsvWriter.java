package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.IoPrio;
import dev.triage.hints.NameTable;
import dev.triage.hints.Op;
import dev.triage.hints.Rwbs;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes the hinted block trace, version 1 ({@code trace-format.md}): the comment {@code # hinted
 * block trace v1}, one comment line of {@code key=value} notes (when there are any), the header
 * row, then one row per request, so that {@link HintedCsvReader} reads back exactly what was
 * written (every field of {@link BlockRequest} except {@link BlockRequest#ioClass}, with names
 * instead of ids).
 *
 * <pre>{@code
 * try (HintedCsvWriter out = HintedCsvWriter.open(Path.of("trace.csv.zst"),
 *         Map.of("source", "ftrace", "block_size", "4096"), false)) {
 *     while (in.next(r)) {
 *         out.write(r, vocabulary, in.processes(), in.volumes());
 *     }
 * }
 * }</pre>
 *
 * <p>Columns: {@code ts_ns,op,offset,length,class,file_size,flags,ioprio,comm}, and {@code volume}
 * when the writer is opened with a volume column. Unknown values ({@code -1}) are written as empty
 * fields. A request without a class hint ({@code tag} -1) is written as {@code none} when it is a
 * flush and {@code unclassified} otherwise.
 *
 * <p>The writer refuses (with {@link IllegalArgumentException} naming the request) what the format
 * cannot hold, rather than write a file its reader would reject: a decreasing or negative {@code
 * ts_ns}, an offset or length not a multiple of 512, a flush with data, a name with a comma or a
 * line break, an invalid class name, a volume without a volume column. It allocates nothing per
 * request once every name has been seen. Not thread-safe.
 */
public final class HintedCsvWriter implements Closeable, Flushable {
    /** The columns written, in order (without {@code volume}). */
    public static final String HEADER = "ts_ns,op,offset,length,class,file_size,flags,ioprio,comm";

    private final OutputStream out;
    private final String name;
    private final boolean volumeColumn;
    /** The row being built; long enough for the numbers and the commas, grown for long names. */
    private byte[] row = new byte[512];
    private final byte[] digits = new byte[20];
    private final NameBytes classes = new NameBytes();
    private final NameBytes comms = new NameBytes();
    private final NameBytes volumes = new NameBytes();
    private final NameBytes flags = new NameBytes();
    private final NameBytes ioprios = new NameBytes();
    private long lastTs;
    private long written;

    private HintedCsvWriter(OutputStream out, String name, Map<String, String> notes, boolean volumeColumn)
            throws IOException {
        this.out = out;
        this.name = name;
        this.volumeColumn = volumeColumn;
        StringBuilder head = new StringBuilder("# ").append(HintedCsvReader.MAGIC).append(HintedCsvReader.VERSION).append('\n');
        if (!notes.isEmpty()) {
            head.append("# ");
            String sep = "";
            for (Map.Entry<String, String> n : notes.entrySet()) {
                checkNote(n.getKey(), true);
                checkNote(n.getValue(), false);
                head.append(sep).append(n.getKey()).append('=').append(n.getValue());
                sep = "; ";
            }
            head.append('\n');
        }
        head.append(HEADER).append(volumeColumn ? ",volume\n" : "\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Opens a file for writing, compressed by its extension ({@code .gz} gzip, {@code .zst} or
     * {@code .zstd} zstd, else plain text).
     *
     * @param notes {@code key=value} notes for the comment line (for example {@code source},
     *     {@code workload}, {@code block_size}); keys and values without {@code ; = #} or line breaks
     * @param volumeColumn whether to write the {@code volume} column
     */
    public static HintedCsvWriter open(Path path, Map<String, String> notes, boolean volumeColumn) throws IOException {
        OutputStream file = Files.newOutputStream(path);
        try {
            OutputStream sink = Compression.ofFileName(path.getFileName().toString()).compress(file);
            return new HintedCsvWriter(new BufferedOutputStream(sink, 1 << 16), path.toString(), notes, volumeColumn);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /**
     * Writes plain text to a stream (closed with the writer); wrap it in a compressing stream
     * first if wanted. {@code name} names it in messages.
     */
    public static HintedCsvWriter to(OutputStream out, String name, Map<String, String> notes, boolean volumeColumn)
            throws IOException {
        return new HintedCsvWriter(new BufferedOutputStream(out, 1 << 16), name, notes, volumeColumn);
    }

    /**
     * Writes one request.
     *
     * @param classes the vocabulary of {@link BlockRequest#tag}
     * @param processes the names of {@link BlockRequest#comm}
     * @param volumeNames the names of {@link BlockRequest#volume}
     * @throws IllegalArgumentException when the request cannot be written (see the class comment)
     */
    public void write(BlockRequest r, NameTable classes, NameTable processes, NameTable volumeNames)
            throws IOException {
        long n = written + 1;
        if (r.tsNs < 0 || r.tsNs < lastTs) {
            throw bad(n, "ts_ns " + r.tsNs + " is negative or less than the previous request's " + lastTs);
        }
        if (r.offset < 0 || (r.offset & 511) != 0 || r.length < 0 || (r.length & 511) != 0) {
            throw bad(n, "offset " + r.offset + " and length " + r.length + " must be non-negative multiples of 512");
        }
        if (r.op == Op.FLUSH && r.length != 0) {
            throw bad(n, "a flush (op F) has length " + r.length + "; it must be 0");
        }
        if (r.fileSize < BlockRequest.UNKNOWN) {
            throw bad(n, "file_size " + r.fileSize + " is negative");
        }
        if (r.volume >= 0 && !volumeColumn) {
            throw bad(n, "the request names volume '" + volumeNames.name(r.volume)
                    + "' but the writer has no volume column");
        }
        int p = 0;
        p = number(p, r.tsNs);
        row[p++] = ',';
        row[p++] = (byte) r.op.code();
        row[p++] = ',';
        p = number(p, r.offset);
        row[p++] = ',';
        p = number(p, r.length);
        row[p++] = ',';
        byte[] cls;
        if (r.tag >= 0) {
            cls = this.classes.of(classes, r.tag, n, "class");
        } else {
            cls = r.op == Op.FLUSH ? NameBytes.NONE : NameBytes.UNCLASSIFIED;
        }
        p = put(p, cls);
        row[p++] = ',';
        if (r.fileSize >= 0) {
            p = number(p, r.fileSize);
        }
        row[p++] = ',';
        if ((r.flags & Rwbs.KNOWN) != 0) {
            p = put(p, flags.ofFlags(r.flags));
        }
        row[p++] = ',';
        if (r.ioprio >= 0) {
            p = put(p, ioprios.ofIoprio(r.ioprio));
        }
        row[p++] = ',';
        if (r.comm >= 0) {
            p = put(p, comms.of(processes, r.comm, n, "comm"));
        }
        if (volumeColumn) {
            row[p++] = ',';
            if (r.volume >= 0) {
                p = put(p, volumes.of(volumeNames, r.volume, n, "volume"));
            }
        }
        row[p++] = '\n';
        out.write(row, 0, p);
        lastTs = r.tsNs;
        written = n;
    }

    /** How many requests were written. */
    public long written() {
        return written;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private IllegalArgumentException bad(long request, String what) {
        return new IllegalArgumentException(name + ": request " + request + ": " + what);
    }

    private int number(int p, long v) {
        int d = digits.length;
        do {
            digits[--d] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v != 0);
        int len = digits.length - d;
        System.arraycopy(digits, d, row, p, len);
        return p + len;
    }

    private int put(int p, byte[] bytes) {
        if (p + bytes.length + 64 > row.length) {
            row = java.util.Arrays.copyOf(row, (p + bytes.length + 64) * 2);
        }
        System.arraycopy(bytes, 0, row, p, bytes.length);
        return p + bytes.length;
    }

    private static void checkNote(String s, boolean key) {
        if (s == null || (key && s.isBlank())) {
            throw new IllegalArgumentException("a note's key or value is empty");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ';' || c == '\n' || c == '\r' || (key && (c == '=' || c == '#'))) {
                throw new IllegalArgumentException("note '" + s + "' may not contain '" + c + "'");
            }
        }
    }

    /** The UTF-8 bytes of the names of one table, by id, encoded and checked once per name. */
    private final class NameBytes {
        static final byte[] NONE = ClassVocabulary.NONE.getBytes(StandardCharsets.US_ASCII);
        static final byte[] UNCLASSIFIED = ClassVocabulary.UNCLASSIFIED.getBytes(StandardCharsets.US_ASCII);

        private NameTable table;
        private byte[][] bytes = new byte[16][];

        byte[] of(NameTable t, int id, long request, String column) {
            if (t != table) {
                table = t;
                java.util.Arrays.fill(bytes, null);
            }
            if (id >= bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(id + 1, bytes.length * 2));
            }
            byte[] b = bytes[id];
            if (b == null) {
                String s = t.name(id);
                if (column.equals("class") && !ClassVocabulary.isValidName(s)) {
                    throw bad(request, "class '" + s + "' is not a class name ([a-z0-9_]+)");
                }
                if (s.isEmpty() || s.indexOf(',') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                    throw bad(request, column + " '" + s + "' is empty or holds a comma or a line break,"
                            + " which the hinted CSV cannot hold");
                }
                b = s.getBytes(StandardCharsets.UTF_8);
                bytes[id] = b;
            }
            return b;
        }

        /** RWBS strings by their bits (the op and flag bits and {@link Rwbs#KNOWN}). */
        private final byte[][] rwbs = new byte[1 << 12][];

        byte[] ofFlags(int bits) {
            if ((bits & ~(0x7ff | Rwbs.KNOWN)) != 0) {
                return Rwbs.format(bits).getBytes(StandardCharsets.US_ASCII);
            }
            int key = (bits & 0x7ff) | (bits & Rwbs.KNOWN) >>> 4;
            byte[] b = rwbs[key];
            if (b == null) {
                b = Rwbs.format(bits).getBytes(StandardCharsets.US_ASCII);
                rwbs[key] = b;
            }
            return b;
        }

        /** Common priorities (class 0..3, level and hint 0..7) by their bits; others are formatted each time. */
        private final byte[][] ioprio = new byte[256][];

        byte[] ofIoprio(int packed) {
            int cls = IoPrio.ioClass(packed);
            int level = IoPrio.level(packed);
            int hint = IoPrio.hint(packed);
            if (cls > 3 || level > 7 || hint > 7) {
                return IoPrio.format(packed).getBytes(StandardCharsets.US_ASCII);
            }
            int key = cls << 6 | level << 3 | hint;
            byte[] b = ioprio[key];
            if (b == null) {
                b = IoPrio.format(packed).getBytes(StandardCharsets.US_ASCII);
                ioprio[key] = b;
            }
            return b;
        }
    }
}
