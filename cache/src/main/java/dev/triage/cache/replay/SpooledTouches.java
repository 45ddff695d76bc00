package dev.triage.cache.replay;

import dev.triage.cache.collect.LongLongMap;
import dev.triage.cache.policy.Touch;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The touches of a trace on disk, for the optimum on traces larger than memory: batches are
 * written forward to a temporary file in fixed-size chunks, a reverse pass reads the chunks
 * backward computing each touch's next use into a second file (memory: one map entry per
 * distinct block), and a forward pass reads both back into batches. Both files are deleted on
 * {@link #close}.
 */
final class SpooledTouches implements Closeable {
    /** Bytes per touch in the touches file: block, class, kind, flags, request blocks. */
    static final int TOUCH_BYTES = 8 + 4 + 1 + 4 + 4;

    private final int batch;
    private final Path touchesFile;
    private final Path nextFile;
    private final FileChannel touches;
    private final FileChannel next;
    private final ByteBuffer buf;
    private final ByteBuffer nextBuf;
    private long chunks;
    private int lastCount;
    private long total;

    SpooledTouches(Path dir, int batch) throws IOException {
        this.batch = batch;
        this.touchesFile = Files.createTempFile(dir, "triage-touches-", ".bin");
        this.nextFile = Files.createTempFile(dir, "triage-nextuse-", ".bin");
        this.touches = FileChannel.open(touchesFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.next = FileChannel.open(nextFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.buf = ByteBuffer.allocateDirect(batch * TOUCH_BYTES).order(ByteOrder.nativeOrder());
        this.nextBuf = ByteBuffer.allocateDirect(batch * 8).order(ByteOrder.nativeOrder());
    }

    long touches() {
        return total;
    }

    /** Appends a batch (every batch but the last must be full). */
    void append(TouchBatch b) throws IOException {
        if (chunks > 0 && lastCount != batch) {
            throw new IllegalStateException("only the last batch may be partial");
        }
        int n = b.count;
        buf.clear();
        buf.asLongBuffer().put(b.block, 0, n);
        buf.position(batch * 8);
        buf.asIntBuffer().put(b.ioClass, 0, n);
        buf.position(batch * 12);
        buf.put(b.kind, 0, n);
        buf.position(batch * 13);
        buf.asIntBuffer().put(b.flags, 0, n);
        buf.position(batch * 17);
        buf.asIntBuffer().put(b.requestBlocks, 0, n);
        buf.position(0).limit(buf.capacity());
        writeFully(touches, buf, chunks * buf.capacity());
        chunks++;
        lastCount = n;
        total += n;
    }

    /** Reads chunk {@code i} into {@code b} (not its next uses). */
    private void readChunk(long i, TouchBatch b) throws IOException {
        buf.clear();
        readFully(touches, buf, i * buf.capacity());
        int n = i == chunks - 1 ? lastCount : batch;
        buf.position(0);
        buf.asLongBuffer().get(b.block, 0, n);
        buf.position(batch * 8);
        buf.asIntBuffer().get(b.ioClass, 0, n);
        buf.position(batch * 12);
        buf.get(b.kind, 0, n);
        buf.position(batch * 13);
        buf.asIntBuffer().get(b.flags, 0, n);
        buf.position(batch * 17);
        buf.asIntBuffer().get(b.requestBlocks, 0, n);
        b.reset(i * batch);
        b.count = n;
    }

    /** The reverse pass: next uses of every chunk, last chunk first. */
    void computeNextUse(int expectedBlocks) throws IOException {
        LongLongMap nextOf = new LongLongMap(Math.max(16, expectedBlocks), Touch.NEVER);
        TouchBatch b = new TouchBatch(batch);
        long[] nu = new long[batch];
        for (long c = chunks - 1; c >= 0; c--) {
            readChunk(c, b);
            for (int i = b.count - 1; i >= 0; i--) {
                long block = b.block[i];
                if (b.kind[i] == TouchBatch.DISCARD) {
                    nextOf.remove(block);
                    nu[i] = Touch.NEVER;
                } else {
                    nu[i] = nextOf.put(block, b.base + i);
                }
            }
            nextBuf.clear();
            nextBuf.asLongBuffer().put(nu, 0, b.count);
            writeFully(next, nextBuf, c * nextBuf.capacity());
        }
    }

    /** Reads chunk {@code i} with its next uses into {@code b}, whose nextUse array is reused. */
    void read(long i, TouchBatch b) {
        try {
            readChunk(i, b);
            if (b.nextUse == null || b.nextUse.length < batch) {
                b.nextUse = new long[batch];
            }
            nextBuf.clear();
            readFully(next, nextBuf, i * nextBuf.capacity());
            nextBuf.position(0);
            nextBuf.asLongBuffer().get(b.nextUse, 0, b.count);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long chunks() {
        return chunks;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            pos += ch.write(b, pos);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                throw new IOException("the touches spool ended early at byte " + pos);
            }
            pos += n;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            touches.close();
            next.close();
        } finally {
            Files.deleteIfExists(touchesFile);
            Files.deleteIfExists(nextFile);
        }
    }
}
