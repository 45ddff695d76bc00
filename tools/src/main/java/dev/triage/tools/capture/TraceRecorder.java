package dev.triage.tools.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records block_rq_issue and ext4_ext_map_blocks_exit for one device through a tracefs instance
 * of its own (so it never disturbs the global trace or another capture), draining trace_pipe
 * to a file on a thread while the workload runs.
 */
final class TraceRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(TraceRecorder.class);
    private static final String MARKER = "triage-capture-end";
    private static final String[] EVENTS = {"block/block_rq_issue", "ext4/ext4_ext_map_blocks_exit"};

    private final Path inst;
    private final Path out;
    private Thread drain;
    private volatile boolean stopping;
    private InputStream pipe;
    private long lost;

    TraceRecorder(Path inst, Path out) {
        this.inst = inst;
        this.out = out;
    }

    void start(int dev) throws IOException {
        Sys.write(inst.resolve("tracing_on"), "0");
        Sys.write(inst.resolve("buffer_size_kb"), "32768");
        for (String e : EVENTS) {
            Path ev = inst.resolve("events").resolve(e);
            if (!Files.isDirectory(ev)) {
                throw new IOException("the kernel has no tracepoint " + e + " (" + ev + ")");
            }
            Sys.write(ev.resolve("filter"), "dev == " + dev);
            Sys.write(ev.resolve("enable"), "1");
        }
        pipe = Files.newInputStream(inst.resolve("trace_pipe"));
        OutputStream os = Files.newOutputStream(out, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        drain = new Thread(() -> {
            byte[] buf = new byte[1 << 16];
            String tail = "";
            try (os) {
                while (true) {
                    int n = pipe.read(buf);
                    if (n < 0) {
                        break;
                    }
                    os.write(buf, 0, n);
                    if (stopping) {
                        String seen = tail + new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
                        if (seen.contains(MARKER)) {
                            break;
                        }
                        tail = seen.substring(Math.max(0, seen.length() - MARKER.length()));
                    }
                }
            } catch (IOException e) {
                if (!stopping) {
                    LOG.warn("capture: reading trace_pipe failed: {}", e.getMessage());
                }
            }
        }, "triage-trace-drain");
        drain.setDaemon(true);
        drain.start();
        Sys.write(inst.resolve("tracing_on"), "1");
    }

    /** Stops tracing and waits until the pipe is drained. */
    void stop() throws IOException, InterruptedException {
        Sys.write(inst.resolve("tracing_on"), "0");
        // trace_pipe blocks while empty: wait until the buffer is drained, then wake the reader
        // with one marker event written through trace_marker after turning tracing back on.
        for (int i = 0; i < 100 && !bufferEmpty(); i++) {
            Thread.sleep(50);
        }
        lost = overruns();
        stopping = true;
        for (String e : EVENTS) {
            Sys.write(inst.resolve("events").resolve(e).resolve("enable"), "0");
        }
        Sys.write(inst.resolve("tracing_on"), "1");
        Sys.write(inst.resolve("trace_marker"), MARKER);
        drain.join(2000);
        Sys.write(inst.resolve("tracing_on"), "0");
        if (drain.isAlive()) {
            LOG.warn("capture: the trace_pipe reader did not finish");
        }
    }

    private boolean bufferEmpty() throws IOException {
        Path perCpu = inst.resolve("per_cpu");
        try (var cpus = Files.list(perCpu)) {
            for (Path cpu : (Iterable<Path>) cpus::iterator) {
                for (String line : Files.readAllLines(cpu.resolve("stats"))) {
                    if (line.startsWith("entries:") && Long.parseLong(line.substring(8).trim()) != 0) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    private long overruns() throws IOException {
        long n = 0;
        try (var cpus = Files.list(inst.resolve("per_cpu"))) {
            for (Path cpu : (Iterable<Path>) cpus::iterator) {
                for (String line : Files.readAllLines(cpu.resolve("stats"))) {
                    if (line.startsWith("overrun:")) {
                        n += Long.parseLong(line.substring(8).trim());
                    }
                }
            }
        }
        return n;
    }

    long lost() {
        return lost;
    }

    /** Turns everything off and removes the instance (closing the pipe first). */
    void remove() throws IOException, InterruptedException {
        if (!Files.exists(inst)) {
            return;
        }
        stopping = true;
        try {
            Sys.write(inst.resolve("tracing_on"), "0");
            for (String e : EVENTS) {
                Path en = inst.resolve("events").resolve(e).resolve("enable");
                if (Files.exists(en)) {
                    Sys.write(en, "0");
                }
            }
            if (drain != null && drain.isAlive()) {
                Sys.write(inst.resolve("tracing_on"), "1");
                Sys.write(inst.resolve("trace_marker"), MARKER);
                drain.join(2000);
                Sys.write(inst.resolve("tracing_on"), "0");
            }
        } finally {
            if (pipe != null) {
                pipe.close();
            }
        }
        IOException last = null;
        for (int i = 0; i < 20; i++) {
            try {
                Files.delete(inst);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw last;
    }
}
