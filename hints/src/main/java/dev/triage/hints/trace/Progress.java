package dev.triage.hints.trace;

/**
 * How far a reader is through its source: bytes of the underlying (possibly compressed) file
 * consumed so far, and its size when known.
 */
final class Progress {
    private final CountingInputStream counter;
    private final long total;

    Progress(CountingInputStream counter, long total) {
        this.counter = counter;
        this.total = total;
    }

    long bytesRead() {
        return counter == null ? -1 : counter.count();
    }

    long bytesTotal() {
        return total;
    }
}
