package dev.triage.tools.capture;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undo steps for what a capture set up (cgroup, trace instance, mount, loop device), run once in
 * reverse order: from a {@code finally} block, or from the JVM's shutdown hook when the user
 * presses Ctrl-C. A failing step is logged and the others still run.
 */
final class Cleanup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);

    /** One undo step. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private record Named(String what, Step step) {}

    private final Deque<Named> steps = new ArrayDeque<>();
    private final Thread hook;
    private boolean done;

    Cleanup() {
        hook = new Thread(this::runAll, "triage-capture-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Adds an undo step (run before those added earlier). */
    synchronized void add(String what, Step step) {
        if (done) {
            throw new IllegalStateException("cleanup already ran");
        }
        steps.push(new Named(what, step));
    }

    /** True once the steps ran (e.g. the shutdown hook ran them). */
    synchronized boolean done() {
        return done;
    }

    /** Runs every step now (once; later calls do nothing). */
    synchronized void runAll() {
        if (done) {
            return;
        }
        done = true;
        while (!steps.isEmpty()) {
            Named n = steps.pop();
            try {
                n.step().run();
            } catch (Exception e) {
                LOG.warn("capture cleanup: could not {}: {}", n.what(), e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        runAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs (and finds nothing left to do)
        }
    }
}
