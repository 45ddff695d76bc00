package dev.triage.cache.replay;

import dev.triage.cache.collect.LongLongMap;
import dev.triage.cache.policy.Touch;
import dev.triage.hints.BlockRequest;
import dev.triage.hints.classify.Classifier;
import dev.triage.hints.trace.TraceReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

/**
 * Replays a trace through many simulations at once. The trace is read once; its touches go in
 * batches to worker threads, each of which owns some of the simulations and applies every
 * batch to them in trace order. Results are deterministic whatever the number of threads.
 *
 * <p>When a simulation needs the future (the optimum), the touches are first gathered and a
 * reverse pass computes each touch's next use ({@link Touch#nextUse}): the next touch of the
 * same block, or never when the block is not touched again or is discarded first. Few touches
 * are gathered in memory; many go to temporary files ({@link #spoolAbove(long, Path)}), so that
 * memory stays bounded by the distinct blocks however long the trace.
 */
public final class ReplayEngine {
    static final int BATCH = 8192;
    private static final TouchBatch END = new TouchBatch(0);

    private final TouchExpander expander;
    private final int threads;
    private final LongConsumer progress;
    /** Touches gathered in memory for the optimum before spooling to disk; ~1/4 of the heap at 29 B a touch. */
    private long spoolAbove = Long.getLong("triage.replay.spoolAbove", Runtime.getRuntime().maxMemory() / 4 / 29);
    private Path spoolDir = Path.of(System.getProperty("triage.replay.spoolDir", System.getProperty("java.io.tmpdir")));

    /**
     * @param blockSize the cache unit in bytes
     * @param threads worker threads (at most one per simulation)
     * @param progress told the bytes of trace consumed so far, now and then; may be null
     */
    public ReplayEngine(int blockSize, int threads, LongConsumer progress) {
        this.expander = new TouchExpander(blockSize);
        this.threads = Math.max(1, threads);
        this.progress = progress;
    }

    /** Replays {@code reader} (classifying each request) through every simulation (or curve). */
    public TraceTotals run(TraceReader reader, Classifier classifier, List<? extends TouchConsumer> sims)
            throws IOException {
        boolean future = sims.stream().anyMatch(TouchConsumer::needsFuture);
        TraceTotals totals = new TraceTotals();
        classifier.bind(reader.processes(), reader.volumes());
        if (future) {
            runWithFuture(reader, classifier, sims, totals);
        } else {
            int n = Math.min(threads, sims.size());
            BlockingQueue<TouchBatch> free = new ArrayBlockingQueue<>(4 * n + 4);
            for (int i = 0; i < 4 * n + 4; i++) {
                free.add(new TouchBatch(BATCH));
            }
            dispatch(sims, -1, workers -> read(reader, classifier, totals, () -> take(free), workers), true, free);
        }
        totals.skippedLines = reader.skipped();
        return totals;
    }

    /**
     * The optimum's path: gather the touches, compute next uses backward, replay forward. In
     * memory while the touches are few (faster); past {@link #spoolAbove} touches they go to a
     * temporary file instead ({@link SpooledTouches}), so memory is bounded by the distinct
     * blocks, not by the trace.
     */
    private void runWithFuture(TraceReader reader, Classifier classifier, List<? extends TouchConsumer> sims,
            TraceTotals totals) throws IOException {
        List<TouchBatch> log = new ArrayList<>();
        SpooledTouches[] spool = {null};
        TouchBatch spare = new TouchBatch(BATCH);
        long limit = Math.max(1, spoolAbove / BATCH);
        try {
            read(reader, classifier, totals, () -> spool[0] != null ? spare : new TouchBatch(BATCH), b -> {
                if (spool[0] == null && log.size() >= limit) {
                    spool[0] = new SpooledTouches(spoolDir, BATCH);
                    for (TouchBatch x : log) {
                        spool[0].append(x);
                    }
                    log.clear();
                }
                if (spool[0] != null) {
                    spool[0].append(b);
                } else {
                    log.add(b);
                }
            });
            if (spool[0] == null) {
                computeNextUse(log);
                dispatch(sims, log.size(), workers -> {
                    for (TouchBatch b : log) {
                        workers.accept(b);
                    }
                }, false);
                return;
            }
            SpooledTouches sp = spool[0];
            log.clear();
            sp.computeNextUse((int) Math.min(1 << 24, Math.max(16, sp.touches() / 8)));
            int n = Math.min(threads, sims.size());
            BlockingQueue<TouchBatch> free = new ArrayBlockingQueue<>(4 * n + 4);
            for (int i = 0; i < 4 * n + 4; i++) {
                free.add(new TouchBatch(BATCH));
            }
            dispatch(sims, -1, workers -> {
                for (long c = 0; c < sp.chunks(); c++) {
                    TouchBatch b = take(free);
                    sp.read(c, b);
                    workers.accept(b);
                }
            }, true, free);
        } finally {
            if (spool[0] != null) {
                spool[0].close();
            }
        }
    }

    /**
     * Sets how many touches the optimum's path keeps in memory before it spools them to a
     * temporary file in {@code dir} (null: the system's temporary directory).
     */
    public ReplayEngine spoolAbove(long touches, Path dir) {
        this.spoolAbove = Math.max(1, touches);
        this.spoolDir = dir != null ? dir : Path.of(System.getProperty("java.io.tmpdir"));
        return this;
    }

    private static TouchBatch take(BlockingQueue<TouchBatch> q) {
        try {
            return q.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @FunctionalInterface
    private interface BatchSource {
        TouchBatch next();
    }

    @FunctionalInterface
    private interface BatchSink {
        void accept(TouchBatch b) throws IOException;
    }

    @FunctionalInterface
    private interface Producer {
        void produce(BatchSink sink) throws IOException;
    }

    /** Reads the whole trace, filling batches from {@code source} and handing full ones to {@code sink}. */
    private void read(TraceReader reader, Classifier classifier, TraceTotals totals, BatchSource source, BatchSink sink)
            throws IOException {
        BlockRequest r = new BlockRequest();
        TouchBatch b = source.next();
        long index = 0;
        b.reset(0);
        long requests = 0;
        while (reader.next(r)) {
            classifier.classify(r);
            int op = r.op.ordinal();
            totals.requests[op]++;
            totals.bytes[op] += r.length;
            if ((++requests & 0xFFF) == 0 && progress != null) {
                progress.accept(reader.bytesRead());
            }
            byte kind = TouchExpander.kindOf(r.op);
            if (kind < 0) {
                continue;
            }
            long n = expander.blockCount(r);
            long first = expander.firstBlock(r);
            int reqBlocks = (int) Math.min(Integer.MAX_VALUE, n);
            for (long i = 0; i < n; i++) {
                if (b.full()) {
                    sink.accept(b);
                    b = source.next();
                    b.reset(index);
                }
                b.add(first + i, r.ioClass, kind, r.flags, reqBlocks);
                index++;
            }
            if (kind == TouchBatch.DISCARD) {
                totals.discardedBlocks += n;
            } else {
                totals.touches += n;
                if (kind == TouchBatch.READ) {
                    totals.readTouches += n;
                }
            }
        }
        if (b.count > 0) {
            sink.accept(b);
        }
        if (progress != null) {
            progress.accept(reader.bytesRead());
        }
    }

    /**
     * The reverse pass: for each touch the index of the next touch of the same block, or never
     * when the block is discarded before it or not touched again.
     */
    static void computeNextUse(List<TouchBatch> log) {
        long touches = 0;
        for (TouchBatch b : log) {
            touches += b.count;
        }
        LongLongMap next = new LongLongMap((int) Math.min(1 << 24, Math.max(16, touches / 4)), Touch.NEVER);
        for (int bi = log.size() - 1; bi >= 0; bi--) {
            TouchBatch b = log.get(bi);
            long[] nu = new long[b.count];
            for (int i = b.count - 1; i >= 0; i--) {
                long block = b.block[i];
                long index = b.base + i;
                if (b.kind[i] == TouchBatch.DISCARD) {
                    next.remove(block);
                    nu[i] = Touch.NEVER;
                } else {
                    nu[i] = next.put(block, index);
                }
            }
            b.nextUse = nu;
        }
    }

    private void dispatch(List<? extends TouchConsumer> sims, int batches, Producer producer, boolean recycle)
            throws IOException {
        dispatch(sims, batches, producer, recycle, null);
    }

    private void dispatch(List<? extends TouchConsumer> sims, int batches, Producer producer, boolean recycle,
            BlockingQueue<TouchBatch> free) throws IOException {
        int wanted = Math.min(threads, sims.size());
        if (wanted <= 1 && threads <= 1) {
            producer.produce(b -> {
                for (TouchConsumer s : sims) {
                    s.apply(b);
                }
                if (recycle) {
                    free.add(b);
                }
            });
            return;
        }
        // With one simulation and a core to spare, a worker still runs it: reading and parsing the
        // trace (this thread) overlap with the policy (the worker) instead of adding up.
        int n = Math.max(1, wanted);
        List<List<TouchConsumer>> shares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shares.add(new ArrayList<>());
        }
        for (int i = 0; i < sims.size(); i++) {
            shares.get(i % n).add(sims.get(i));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<BlockingQueue<TouchBatch>> queues = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            BlockingQueue<TouchBatch> q = new ArrayBlockingQueue<>(recycle ? 4 * n + 8 : 64);
            queues.add(q);
            List<TouchConsumer> mine = shares.get(w);
            Thread t = Thread.ofPlatform().name("replay-" + w).daemon().unstarted(() -> {
                try {
                    while (true) {
                        TouchBatch b = q.take();
                        if (b == END) {
                            return;
                        }
                        if (failure.get() == null) {
                            for (TouchConsumer s : mine) {
                                s.apply(b);
                            }
                        }
                        if (recycle && b.pending.decrementAndGet() == 0) {
                            free.add(b);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    drain(q, recycle, free);
                }
            });
            workers.add(t);
            t.start();
        }
        try {
            producer.produce(b -> {
                Throwable f = failure.get();
                if (f != null) {
                    throw new IllegalStateException("a simulation failed: " + f, f);
                }
                b.pending.set(n);
                for (BlockingQueue<TouchBatch> q : queues) {
                    put(q, b);
                }
            });
        } finally {
            for (BlockingQueue<TouchBatch> q : queues) {
                put(q, END);
            }
            for (Thread t : workers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        Throwable f = failure.get();
        if (f != null) {
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error er) {
                throw er;
            }
            throw new IllegalStateException(f);
        }
    }

    /** After a failure, keep consuming so the producer never blocks. */
    private static void drain(BlockingQueue<TouchBatch> q, boolean recycle, BlockingQueue<TouchBatch> free) {
        try {
            while (true) {
                TouchBatch b = q.take();
                if (b == END) {
                    return;
                }
                if (recycle && b.pending.decrementAndGet() == 0) {
                    free.add(b);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void put(BlockingQueue<TouchBatch> q, TouchBatch b) {
        try {
            q.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
