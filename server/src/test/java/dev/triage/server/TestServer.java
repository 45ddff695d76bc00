package dev.triage.server;

import dev.triage.server.backend.ExportBackend;
import dev.triage.server.backend.FileChannelBackend;
import dev.triage.server.export.Access;
import dev.triage.server.export.Export;
import dev.triage.server.export.ExportRegistry;
import dev.triage.server.metrics.ServerMetrics;
import dev.triage.server.session.NbdServer;
import dev.triage.server.session.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;

/**
 * A server for tests: exports {@code disk} (a mapped file of {@code size} bytes, 512-byte blocks, zone
 * of a class = class id % 3), {@code ro} (read-only), {@code secret} (secret "s3cret") and
 * {@code alice} (CN alice only), on a Unix socket and a TCP port.
 */
final class TestServer implements AutoCloseable {
    final Path dir;
    final Path file;
    final Path socket;
    final ExportRegistry registry = new ExportRegistry();
    final ServerMetrics metrics = new ServerMetrics(id -> "c" + id);
    final NbdServer server;
    final int port;
    final ExportBackend disk;

    TestServer(Path dir, long size) throws IOException {
        this(dir, size, ServerConfig.plain());
    }

    TestServer(Path dir, long size, ServerConfig config) throws IOException {
        this.dir = dir;
        this.file = dir.resolve("disk.img");
        this.socket = dir.resolve("nbd.sock");
        disk = new FileChannelBackend(file, size, 512, false, true, c -> c % 3);
        registry.add(new Export("disk", "test disk", disk, Access.open()));
        byte[] ro = new byte[1 << 20];
        java.util.Arrays.fill(ro, (byte) 0x5a);
        java.nio.file.Files.write(dir.resolve("ro.img"), ro);
        registry.add(new Export("ro", "read-only", readOnly(dir.resolve("ro.img")), Access.open()));
        registry.add(new Export("secret", "secret", new FileChannelBackend(dir.resolve("s.img"), 1 << 20, 512, false,
                c -> ExportBackend.NO_ZONE), new Access(Set.of(), "s3cret")));
        registry.add(new Export("alice", "alice only", new FileChannelBackend(dir.resolve("a.img"), 1 << 20, 512, false,
                c -> ExportBackend.NO_ZONE), new Access(Set.of("alice"), null)));
        server = new NbdServer(registry, config, metrics);
        server.listenUnix(socket);
        port = server.listenTcp(new InetSocketAddress("127.0.0.1", 0)).getPort();
    }

    private static ExportBackend readOnly(Path p) throws IOException {
        return new FileChannelBackend(p, -1, 512, true, c -> ExportBackend.NO_ZONE);
    }

    String unixUri(String export) {
        return "nbd+unix:///" + export + "?socket=" + socket;
    }

    String tcpUri(String export) {
        return "nbd://127.0.0.1:" + port + "/" + export;
    }

    RawClient unixClient() throws IOException {
        return RawClient.unix(socket);
    }

    @Override
    public void close() {
        server.close();
        registry.close();
    }
}
