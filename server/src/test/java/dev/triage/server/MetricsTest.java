package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.server.metrics.MetricsHttpServer;
import dev.triage.server.protocol.Nbd;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Prometheus text exposition over HTTP: per export, operation and class counters and histograms. */
@Timeout(30)
class MetricsTest {
    @TempDir
    Path dir;

    @Test
    void requestsBytesAndLatencyByExportAndClass() throws Exception {
        try (TestServer server = new TestServer(dir, 4 << 20);
                MetricsHttpServer http = new MetricsHttpServer(new InetSocketAddress("127.0.0.1", 0), server.metrics)) {
            try (RawClient c = server.unixClient()) {
                c.greet();
                c.ack(Nbd.OPT_X_TRIAGE_HINTS);
                c.go("disk");
                for (int i = 0; i < 3; i++) {
                    c.request(4 + 1 << 8, Nbd.CMD_WRITE, i, 4096L * i, 4096);
                    c.out.write(new byte[4096]);
                }
                c.request(0, Nbd.CMD_READ, 9, 0, 8192);
                c.request(0, Nbd.CMD_READ, 10, 100, 512);
                c.flush();
                int errors = 0;
                for (int i = 0; i < 5; i++) {
                    RawClient.Simple r = c.simpleReply();
                    if (r.cookie() == 9) {
                        c.in.readFully(new byte[8192]);
                    }
                    errors += r.error() != 0 ? 1 : 0;
                }
                assertEquals(1, errors);
            }
            String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + http.address().getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(body.contains("triage_nbd_requests_total{export=\"disk\",op=\"write\",class=\"c4\"} 3"), body);
            assertTrue(body.contains("triage_nbd_bytes_total{export=\"disk\",op=\"write\",class=\"c4\"} 12288"), body);
            assertTrue(body.contains("triage_nbd_requests_total{export=\"disk\",op=\"read\",class=\"none\"} 2"), body);
            assertTrue(body.contains("triage_nbd_request_errors_total{export=\"disk\",op=\"read\",class=\"none\"} 1"), body);
            assertTrue(body.contains("triage_nbd_request_duration_seconds_bucket{export=\"disk\",op=\"write\",class=\"c4\",le=\"+Inf\"} 3"), body);
            assertTrue(body.contains("triage_nbd_request_duration_seconds_count{export=\"disk\",op=\"write\",class=\"c4\"} 3"), body);
            assertTrue(body.contains("# TYPE triage_nbd_request_duration_seconds histogram"), body);
        }
    }
}
