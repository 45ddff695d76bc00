package dev.triage.server.session;

import dev.triage.server.export.ExportRegistry;
import dev.triage.server.metrics.ServerMetrics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An NBD server: listens on Unix sockets and/or TCP ports and serves every connection on its
 * own virtual thread. Closing it stops the listeners, drops the connections and leaves the
 * exports open (their owner, the {@link ExportRegistry}, closes them).
 */
public final class NbdServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NbdServer.class);

    private final ExportRegistry registry;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final List<ServerSocketChannel> listeners = new CopyOnWriteArrayList<>();
    private final List<Thread> acceptors = new CopyOnWriteArrayList<>();
    private final Set<Connection> live = ConcurrentHashMap.newKeySet();
    private final List<Path> socketFiles = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile boolean closed;

    public NbdServer(ExportRegistry registry, ServerConfig config, ServerMetrics metrics) {
        this.registry = registry;
        this.config = config;
        this.metrics = metrics;
    }

    /** Listens on a Unix socket at {@code path} (replacing a stale socket file). */
    public void listenUnix(Path path) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(path), 128);
        socketFiles.add(path);
        start(ch, "unix:" + path);
    }

    /** Listens on TCP; returns the bound address (port 0 picks a free port). */
    public InetSocketAddress listenTcp(InetSocketAddress address) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
        ch.bind(address, 128);
        InetSocketAddress bound = (InetSocketAddress) ch.getLocalAddress();
        start(ch, "tcp:" + bound);
        return bound;
    }

    private void start(ServerSocketChannel ch, String name) {
        listeners.add(ch);
        Thread a = Thread.ofVirtual().name("nbd-accept " + name).start(() -> acceptLoop(ch, name));
        acceptors.add(a);
        log.info("listening on {}", name);
    }

    private void acceptLoop(ServerSocketChannel ch, String name) {
        while (!closed) {
            SocketChannel s;
            try {
                s = ch.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!closed) {
                    log.warn("{}: accept failed: {}", name, e.toString());
                }
                continue;
            }
            String peer = "#" + ids.incrementAndGet() + " " + describe(s, name);
            try {
                Connection[] self = new Connection[1];
                Connection c = new Connection(s, registry, config, metrics, peer, () -> live.remove(self[0]));
                self[0] = c;
                live.add(c);
                config.threads().name("nbd-conn " + peer).start(c);
            } catch (IOException e) {
                log.warn("{}: could not set up the connection: {}", peer, e.toString());
                try {
                    s.close();
                } catch (IOException ignored) {
                    // already failing
                }
            }
        }
    }

    private static String describe(SocketChannel s, String listener) {
        try {
            var a = s.getRemoteAddress();
            return a instanceof InetSocketAddress ? a.toString() : listener;
        } catch (IOException e) {
            return listener;
        }
    }

    /** Connections open now. */
    public int connectionCount() {
        return live.size();
    }

    @Override
    public void close() {
        closed = true;
        for (ServerSocketChannel ch : listeners) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Connection c : live) {
            c.close();
        }
        for (Thread a : acceptors) {
            try {
                a.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path p : socketFiles) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
