package dev.triage.hints.trace;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.NameTable;
import dev.triage.hints.Op;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads CloudPhysics block traces (the LIRS2 authors' traces, as Caffeine's simulator reads them
 * as {@code cloud_physics}): binary, one block number per record, each an unsigned 32-bit
 * big-endian integer.
 *
 * <p>Block {@code n} becomes a read of {@link TraceOptions#blockSize()} bytes at {@code n *
 * blockSize}, as in {@link LirsReader}; the time is the request's index. {@link #lineNumber()}
 * counts records. A partial record at the end (1 to 3 bytes; Caffeine's reader stops there
 * silently) is malformed here, or skipped with {@link TraceOptions#skipBad()}.
 */
public final class CloudPhysicsReader implements TraceReader {
    private final InputStream in;
    private final String source;
    private final TraceOptions options;
    private final Progress progress;
    private final long blockSize;
    private final byte[] buf = new byte[1 << 16];
    private final NameTable processes = new NameTable();
    private final NameTable volumes = new NameTable();
    private final List<String> samples = new ArrayList<>();
    private int pos;
    private int limit;
    private boolean eof;
    private long records;
    private long skipped;

    CloudPhysicsReader(InputStream in, String source, TraceOptions options, Progress progress) {
        this.in = in;
        this.source = source;
        this.options = options;
        this.progress = progress;
        this.blockSize = options.blockSize();
    }

    @Override
    public boolean next(BlockRequest r) throws IOException {
        while (limit - pos < 4 && !eof) {
            fill();
        }
        if (limit - pos < 4) {
            if (limit > pos) {
                String what = "a partial record of " + (limit - pos) + " bytes at the end (records are 4 bytes)";
                pos = limit;
                if (!options.skipBad()) {
                    throw new TraceFormatException(source, records + 1, what);
                }
                skipped++;
                samples.add(source + ":" + (records + 1) + ": " + what);
            }
            return false;
        }
        long block = (buf[pos] & 0xffL) << 24 | (buf[pos + 1] & 0xff) << 16 | (buf[pos + 2] & 0xff) << 8
                | (buf[pos + 3] & 0xff);
        pos += 4;
        r.clear();
        r.tsNs = records++;
        r.op = Op.READ;
        r.offset = block * blockSize;
        r.length = blockSize;
        return true;
    }

    private void fill() throws IOException {
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        int n;
        try {
            n = in.read(buf, limit, buf.length - limit);
        } catch (IOException e) {
            throw new IOException(source + ": after record " + records + ": " + e.getMessage(), e);
        }
        if (n < 0) {
            eof = true;
        } else {
            limit += n;
        }
    }

    @Override
    public TraceFormat format() {
        return TraceFormat.CLOUDPHYSICS;
    }

    @Override
    public String source() {
        return source;
    }

    /** The number of the record last read, from 1. */
    @Override
    public long lineNumber() {
        return records;
    }

    @Override
    public long skipped() {
        return skipped;
    }

    @Override
    public List<String> skippedSamples() {
        return Collections.unmodifiableList(samples);
    }

    @Override
    public NameTable processes() {
        return processes;
    }

    @Override
    public NameTable volumes() {
        return volumes;
    }

    @Override
    public long bytesRead() {
        return progress.bytesRead();
    }

    @Override
    public long bytesTotal() {
        return progress.bytesTotal();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
