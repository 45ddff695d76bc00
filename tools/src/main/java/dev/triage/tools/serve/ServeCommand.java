package dev.triage.tools.serve;

import dev.triage.hints.ClassVocabulary;
import dev.triage.device.FileDevice;
import dev.triage.server.backend.BlockDeviceBackend;
import dev.triage.server.backend.ExportBackend;
import dev.triage.server.backend.FileChannelBackend;
import dev.triage.server.export.Access;
import dev.triage.server.export.Export;
import dev.triage.server.export.ExportRegistry;
import dev.triage.server.metrics.MetricsHttpServer;
import dev.triage.server.metrics.ServerMetrics;
import dev.triage.server.session.NbdServer;
import dev.triage.server.session.ServerConfig;
import dev.triage.server.session.TlsContexts;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import java.util.concurrent.Callable;

/** {@code triage serve}: serves exports over NBD until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves exports over NBD (fixed newstyle, structured replies, block status, TLS) on a Unix "
                + "socket and/or TCP, to any NBD client (qemu, nbdinfo, nbdcopy, fio ...).",
            "Export names may be given as NAME@SECRET to open exports protected by secret=."})
public final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = "--export", required = true, paramLabel = "NAME=FILE[,size=N][,ro][,min-block=N][,allow-cn=A|B][,secret=S][,description=T][,direct|,channel]",
            description = {"An export served from a plain file (created or extended to size=): mapped into memory, or with "
                + "channel through FileChannel reads and writes, or with direct through O_DIRECT (FileDevice). Repeatable; the first "
                + "is the default export."})
    List<String> exports = new ArrayList<>();

    @Option(names = "--unix", paramLabel = "PATH", description = "Listen on a Unix socket.")
    Path unix;

    @Option(names = "--tcp", paramLabel = "[HOST:]PORT", description = "Listen on TCP (NBD's port is 10809).")
    String tcp;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Server certificate chain (PEM) for STARTTLS.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "Server private key (unencrypted PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "PEM", description = "CA trusted for client certificates (their CN decides allow-cn= access).")
    Path tlsClientCa;

    @Option(names = "--tls-required", description = "Refuse every option but STARTTLS until TLS is on (FORCEDTLS).")
    boolean tlsRequired;

    @Option(names = "--metrics", paramLabel = "[HOST:]PORT", description = "Serve Prometheus metrics at http://HOST:PORT/metrics.")
    String metricsAddress;

    @Option(names = "--inflight", paramLabel = "N", defaultValue = "16", description = "Requests in flight per connection (default ${DEFAULT-VALUE}).")
    int inflight;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "Threads running one connection's requests (0 = the reader runs them; default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--platform-threads", description = "Serve connections on platform threads instead of virtual threads.")
    boolean platformThreads;

    @Override
    public Integer call() throws Exception {
        if (unix == null && tcp == null) {
            throw new ParameterException(spec.commandLine(), "give --unix PATH and/or --tcp [HOST:]PORT");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        SSLContext tls = tlsCert == null ? null : TlsContexts.fromPem(tlsCert, tlsKey, tlsClientCa);
        ServerConfig config;
        try {
            config = new ServerConfig(tls, tlsRequired, inflight, workers, platformThreads);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ClassVocabulary classes = new ClassVocabulary();
        ExportRegistry registry = new ExportRegistry();
        try {
            for (String arg : exports) {
                ExportSpec s;
                try {
                    s = ExportSpec.parse(arg);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), e.getMessage());
                }
                ExportBackend be = s.direct() ? directBackend(s)
                        : new FileChannelBackend(s.file(), s.size(), s.minBlock(), s.readOnly(), s.mmap(), c -> ExportBackend.NO_ZONE);
                String desc = s.description().isEmpty() ? be.describe() : s.description();
                registry.add(new Export(s.name(), desc, be, new Access(s.allowCns(), s.secret())));
            }
            ServerMetrics metrics = new ServerMetrics(id -> id < classes.size() ? classes.name(id) : "class" + id);
            MetricsHttpServer http = metricsAddress == null ? null : new MetricsHttpServer(addressOption("--metrics", metricsAddress), metrics);
            NbdServer server = new NbdServer(registry, config, metrics);
            if (unix != null) {
                server.listenUnix(unix);
            }
            if (tcp != null) {
                server.listenTcp(addressOption("--tcp", tcp));
            }
            if (http != null) {
                log.info("metrics on http://{}/metrics", http.address());
            }
            CountDownLatch stop = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                log.info("stopping");
                server.close();
                if (http != null) {
                    http.close();
                }
                registry.close();
                stop.countDown();
            });
            Runtime.getRuntime().addShutdownHook(hook);
            stop.await();
            return 0;
        } catch (java.io.IOException e) {
            registry.close();
            spec.commandLine().getErr().println("triage serve: " + e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private static ExportBackend directBackend(ExportSpec s) throws java.io.IOException {
        FileDevice.Options o = FileDevice.Options.DEFAULT.withReadOnly(s.readOnly());
        FileDevice d = java.nio.file.Files.exists(s.file()) ? FileDevice.open(s.file(), o)
                : FileDevice.create(s.file(), s.size() < 0 ? 0 : s.size(), o);
        if (s.size() >= 0 && d.size() != s.size()) {
            d.close();
            throw new java.io.IOException(s.file() + ": has " + d.size() + " bytes, not size=" + s.size() + " (direct exports are not resized)");
        }
        return new BlockDeviceBackend(d, s.readOnly(), c -> ExportBackend.NO_ZONE);
    }

    /** {@code [HOST:]PORT}; no host = 127.0.0.1, an empty host ({@code :PORT}) = every address. */
    static InetSocketAddress address(String s) {
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : s.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("'" + s + "': expected [HOST:]PORT with a port 0-65535");
        }
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }

    private InetSocketAddress addressOption(String option, String value) {
        try {
            return address(value);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + " " + e.getMessage());
        }
    }
}
