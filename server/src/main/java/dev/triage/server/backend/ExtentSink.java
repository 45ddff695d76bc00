package dev.triage.server.backend;

/** Receives the extents of a block-status query, in order. */
@FunctionalInterface
public interface ExtentSink {
    /**
     * One extent of {@code length} bytes (> 0) with the context's status {@code flags}.
     *
     * @return false to stop (enough extents)
     */
    boolean extent(long length, int flags);
}
