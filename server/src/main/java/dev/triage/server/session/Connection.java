package dev.triage.server.session;

import dev.triage.server.export.ExportRegistry;
import dev.triage.server.metrics.ServerMetrics;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One client connection: the handshake, then the transmission phase, then close. */
final class Connection implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Transport transport;
    private final ExportRegistry registry;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final String peer;
    private final Runnable onClose;

    Connection(SocketChannel socket, ExportRegistry registry, ServerConfig config, ServerMetrics metrics, String peer,
            Runnable onClose) throws IOException {
        this.transport = new Transport(socket);
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
        this.peer = peer;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        metrics.connections.incrementAndGet();
        metrics.connectionsTotal.incrementAndGet();
        try {
            Negotiated n = new Handshake(transport, registry, config, peer).run();
            if (n == null) {
                log.debug("{}: left during the handshake", peer);
                return;
            }
            log.info("{}: serving export \"{}\" ({} replies{}{}, {} contexts)", peer, n.export().name(),
                    n.extended() ? "extended" : n.structured() ? "structured" : "simple",
                    n.hints() ? ", class hints" : "", transport.isTls() ? ", TLS" : "", n.contexts().length);
            new Transmission(transport, n, metrics.export(n.export().name(), n.export().backend()),
                    config.slotsPerConnection(), config.workersPerConnection(), config.threads(), peer,
                    metrics.internalErrors).run();
        } catch (Handshake.Violation v) {
            metrics.protocolErrors.incrementAndGet();
            log.warn("{}: protocol violation, disconnecting: {}", peer, v.getMessage());
        } catch (IOException e) {
            log.info("{}: connection ended: {}", peer, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            metrics.internalErrors.incrementAndGet();
            log.error("{}: internal error, disconnecting", peer, e);
        } finally {
            transport.close();
            metrics.connections.decrementAndGet();
            onClose.run();
        }
    }

    void close() {
        transport.close();
    }
}
