package dev.triage.server.metrics;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} in the Prometheus text format with the JDK's own
 * {@code com.sun.net.httpserver}: no dependency, and the exposition format is a few lines.
 */
public final class MetricsHttpServer implements AutoCloseable {
    private final HttpServer http;

    public MetricsHttpServer(InetSocketAddress address, ServerMetrics metrics) throws IOException {
        http = HttpServer.create(address, 16);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/metrics", ex -> {
            try (ex) {
                if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                    ex.sendResponseHeaders(405, -1);
                    return;
                }
                StringBuilder sb = new StringBuilder(4096);
                metrics.writeText(sb);
                byte[] body = sb.toString().getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, body.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(body);
                }
            }
        });
        http.start();
    }

    /** The bound address (port 0 resolved). */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
