package dev.triage.tools.capture;

import dev.triage.tools.UserError;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Undo steps for what a capture set up (cgroup, trace instance, mount, loop device), run once in
 * reverse order: from a {@code finally} block, or from the JVM's shutdown hook when the user
 * presses Ctrl-C. A failing step is logged and the others still run.
 *
 * <p>Set-up actions go through {@link #setUp}, so that Ctrl-C in the middle of one (say, while
 * mount runs) is safe: the hook first waits for the action in flight to finish and queue its undo,
 * then undoes everything in reverse order. Once the cleanup started, {@link #setUp} refuses to
 * start anything.
 */
final class Cleanup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cleanup.class);
    private static final long IN_FLIGHT_WAIT_MS = 30_000;

    /** One undo step. */
    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    /** The undo of what a set-up action returned. */
    @FunctionalInterface
    interface Undo<T> {
        Step of(T made);
    }

    private record Named(String what, Step step) {}

    private final Deque<Named> steps = new ArrayDeque<>();
    private final Thread hook;
    private boolean done;
    private boolean finished;
    private int inFlight;

    Cleanup() {
        hook = new Thread(this::runAll, "triage-capture-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Runs a set-up action and queues its undo; when the cleanup has run meanwhile (Ctrl-C), undoes
     * it at once and throws.
     *
     * @throws UserError when the capture was interrupted
     */
    <T> T setUp(String what, Callable<T> action, Undo<T> undo) throws Exception {
        synchronized (this) {
            if (done) {
                throw interrupted();
            }
            inFlight++;
        }
        T made = null;
        try {
            made = action.call();
            return made;
        } finally {
            boolean undoNow = false;
            boolean wasInterrupted;
            synchronized (this) {
                inFlight--;
                if (made != null) {
                    if (finished) {
                        undoNow = true; // the hook gave up waiting for us: undo it ourselves
                    } else {
                        steps.push(new Named(what, undo.of(made)));
                    }
                }
                wasInterrupted = done;
                notifyAll();
            }
            if (undoNow) {
                runStep(new Named(what, undo.of(made)));
            }
            if (wasInterrupted) {
                throw interrupted();
            }
        }
    }

    /** Queues an undo step for something already made (run before those queued earlier). */
    void add(String what, Step step) throws Exception {
        setUp(what, () -> Boolean.TRUE, made -> step);
    }

    private static UserError interrupted() {
        return new UserError("capture interrupted; everything it set up is removed, no trace written");
    }

    /** True once the steps ran (e.g. the shutdown hook ran them). */
    synchronized boolean done() {
        return done;
    }

    /**
     * Runs every step now (once; later calls do nothing): first waits for a set-up action in
     * flight to finish (its undo is then queued too), then undoes everything in reverse order.
     */
    synchronized void runAll() {
        if (done) {
            return;
        }
        done = true;
        long deadline = System.currentTimeMillis() + IN_FLIGHT_WAIT_MS;
        while (inFlight > 0 && System.currentTimeMillis() < deadline) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        drain();
        finished = true;
    }

    private void drain() {
        while (!steps.isEmpty()) {
            runStep(steps.pop());
        }
    }

    private static void runStep(Named n) {
        try {
            n.step().run();
        } catch (Exception e) {
            LOG.warn("capture cleanup: could not {}: {}", n.what(), e.getMessage());
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
