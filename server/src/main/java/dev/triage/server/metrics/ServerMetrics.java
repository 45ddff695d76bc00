package dev.triage.server.metrics;

import dev.triage.server.backend.ExportBackend;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * All metrics of a server, written in the Prometheus text exposition format (version 0.0.4) by
 * {@link #writeText}. Class ids are labelled with names from a function (the class vocabulary).
 */
public final class ServerMetrics {
    private final Map<String, ExportMetrics> exports = new LinkedHashMap<>();
    private final Map<String, ExportBackend> backends = new LinkedHashMap<>();
    private final IntFunction<String> className;
    /** Connections open now. */
    public final AtomicLong connections = new AtomicLong();
    /** Connections accepted since start. */
    public final AtomicLong connectionsTotal = new AtomicLong();
    /** Connections ended by a protocol violation (bad magic, malformed handshake, ...). */
    public final AtomicLong protocolErrors = new AtomicLong();
    /** Bugs: runtime exceptions caught on a connection (should stay 0). */
    public final AtomicLong internalErrors = new AtomicLong();

    public ServerMetrics(IntFunction<String> className) {
        this.className = className;
    }

    /** The metrics of an export, created on first use. */
    public synchronized ExportMetrics export(String name, ExportBackend backend) {
        backends.putIfAbsent(name, backend);
        return exports.computeIfAbsent(name, ExportMetrics::new);
    }

    private String classLabel(int slot) {
        return slot == 0 ? "none" : className.apply(slot - 1);
    }

    /** Writes every series with a non-zero count. */
    public synchronized void writeText(StringBuilder out) {
        out.append("# HELP triage_nbd_connections NBD connections open now.\n# TYPE triage_nbd_connections gauge\n");
        out.append("triage_nbd_connections ").append(connections.get()).append('\n');
        out.append("# HELP triage_nbd_connections_total NBD connections accepted.\n# TYPE triage_nbd_connections_total counter\n");
        out.append("triage_nbd_connections_total ").append(connectionsTotal.get()).append('\n');
        out.append("# HELP triage_nbd_protocol_errors_total Connections dropped for a protocol violation.\n"
                + "# TYPE triage_nbd_protocol_errors_total counter\n");
        out.append("triage_nbd_protocol_errors_total ").append(protocolErrors.get()).append('\n');
        out.append("# HELP triage_nbd_internal_errors_total Unexpected exceptions caught while serving.\n"
                + "# TYPE triage_nbd_internal_errors_total counter\n");
        out.append("triage_nbd_internal_errors_total ").append(internalErrors.get()).append('\n');
        series(out, "triage_nbd_requests_total", "NBD requests served, by export, operation and I/O class.", 0);
        series(out, "triage_nbd_request_errors_total", "NBD requests answered with an error.", 1);
        series(out, "triage_nbd_bytes_total", "Bytes moved by NBD requests.", 2);
        out.append("# HELP triage_nbd_request_duration_seconds Time from reading a request to queueing its reply.\n");
        out.append("# TYPE triage_nbd_request_duration_seconds histogram\n");
        for (ExportMetrics m : exports.values()) {
            for (int op = 0; op < ExportMetrics.OPS.length; op++) {
                for (int c = 0; c < ExportMetrics.CLASS_SLOTS; c++) {
                    int i = op * ExportMetrics.CLASS_SLOTS + c;
                    long count = m.requests.get(i);
                    if (count == 0) {
                        continue;
                    }
                    String labels = labels(m.export, ExportMetrics.OPS[op], classLabel(c));
                    long cum = 0;
                    for (int b = 0; b < ExportMetrics.NB; b++) {
                        cum += m.buckets.get(i * ExportMetrics.NB + b);
                        String le = b < ExportMetrics.BUCKETS_NS.length ? Double.toString(ExportMetrics.BUCKETS_NS[b] / 1e9) : "+Inf";
                        out.append("triage_nbd_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(le)
                                .append("\"} ").append(cum).append('\n');
                    }
                    out.append("triage_nbd_request_duration_seconds_sum{").append(labels).append("} ")
                            .append(m.nanos.get(i) / 1e9).append('\n');
                    out.append("triage_nbd_request_duration_seconds_count{").append(labels).append("} ").append(count)
                            .append('\n');
                }
            }
        }
        out.append("# HELP triage_backend_counter Counters kept by export backends (cache hits, misses, ...).\n");
        out.append("# TYPE triage_backend_counter counter\n");
        for (Map.Entry<String, ExportBackend> e : backends.entrySet()) {
            String export = e.getKey();
            e.getValue().counters((name, cls, value) -> out.append("triage_backend_counter{export=\"").append(escape(export))
                    .append("\",name=\"").append(escape(name)).append("\",class=\"").append(escape(cls)).append("\"} ")
                    .append(value).append('\n'));
        }
    }

    private void series(StringBuilder out, String name, String help, int which) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        for (ExportMetrics m : exports.values()) {
            for (int op = 0; op < ExportMetrics.OPS.length; op++) {
                for (int c = 0; c < ExportMetrics.CLASS_SLOTS; c++) {
                    int i = op * ExportMetrics.CLASS_SLOTS + c;
                    if (m.requests.get(i) == 0) {
                        continue;
                    }
                    long v = switch (which) {
                        case 0 -> m.requests.get(i);
                        case 1 -> m.errors.get(i);
                        default -> m.bytes.get(i);
                    };
                    out.append(name).append('{').append(labels(m.export, ExportMetrics.OPS[op], classLabel(c))).append("} ")
                            .append(v).append('\n');
                }
            }
        }
    }

    private static String labels(String export, String op, String cls) {
        return "export=\"" + escape(export) + "\",op=\"" + op + "\",class=\"" + escape(cls) + "\"";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
