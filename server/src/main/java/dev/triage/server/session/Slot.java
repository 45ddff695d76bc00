package dev.triage.server.session;

import dev.triage.server.backend.ExtentSink;
import java.nio.ByteBuffer;

/**
 * One in-flight request of a connection and everything its reply needs, reused from request to
 * request: the decoded header, a direct 4 KiB-aligned data buffer that grows on demand, the
 * result, and the extents of a block-status query (primitive arrays).
 */
final class Slot implements ExtentSink {
    /** Buffers above this are dropped after the request, so idle connections stay small. */
    static final int KEEP_BUFFER = 4 << 20;
    static final int MAX_EXTENTS = 1 << 17;

    int flags;
    int type;
    long cookie;
    long offset;
    long length;
    int ioClass;
    long startNanos;
    int error;
    /** A short message for a structured error chunk (static text, never built per request). */
    byte[] errorMessage;
    /** Set on the last slot of a connection: the reader stops after queueing it (DISC). */
    boolean disconnect;

    ByteBuffer data;

    // Block status, per selected context: extents[c] lengths, statuses.
    int contextCount;
    final int[] contextIds = new int[4];
    final int[] extentCount = new int[4];
    final long[][] lengths = new long[4][];
    final int[][] statuses = new int[4][];
    private int current;
    private int limit;

    /** A buffer of exactly {@code n} bytes (position 0, limit n). */
    ByteBuffer buffer(int n) {
        if (data == null || data.capacity() < n) {
            int cap = Math.max(64 * 1024, Integer.highestOneBit(Math.max(1, n - 1)) << 1);
            if (cap < n) {
                cap = n;
            }
            data = ByteBuffer.allocateDirect(cap + 4096).alignedSlice(4096);
        }
        data.clear().limit(n);
        return data;
    }

    void release() {
        if (data != null && data.capacity() > KEEP_BUFFER) {
            data = null;
        }
        errorMessage = null;
        disconnect = false;
        error = 0;
    }

    void startContext(int index, int id, int maxExtents) {
        current = index;
        limit = maxExtents;
        contextIds[index] = id;
        extentCount[index] = 0;
        if (lengths[index] == null) {
            lengths[index] = new long[16];
            statuses[index] = new int[16];
        }
    }

    @Override
    public boolean extent(long length, int flags) {
        int n = extentCount[current];
        if (n > 0 && statuses[current][n - 1] == flags) {
            lengths[current][n - 1] += length;
            return true;
        }
        if (n == lengths[current].length) {
            lengths[current] = java.util.Arrays.copyOf(lengths[current], n * 2);
            statuses[current] = java.util.Arrays.copyOf(statuses[current], n * 2);
        }
        lengths[current][n] = length;
        statuses[current][n] = flags;
        extentCount[current] = n + 1;
        return n + 1 < limit;
    }
}
