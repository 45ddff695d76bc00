package dev.triage.cache.replay;

/**
 * Something the replay engine feeds batches of touches to, in trace order, on one worker thread:
 * a {@link Simulation} (one policy at one size) or a {@link CurveFeeder} (a whole hit-ratio
 * curve). Must allocate nothing per touch.
 */
public interface TouchConsumer {

    /** Applies a batch of touches. */
    void apply(TouchBatch b);

    /** True when it needs each touch's next use (the optimum). */
    default boolean needsFuture() {
        return false;
    }
}
