package dev.triage.server.session;

import javax.net.ssl.SSLContext;

/**
 * Settings of a server.
 *
 * @param tls              the TLS context for STARTTLS (X.509 via JSSE), or null for NOTLS mode
 * @param tlsRequired      FORCEDTLS mode: every option but STARTTLS and ABORT needs TLS first
 * @param slotsPerConnection requests a connection may have in flight (read ahead of their replies)
 * @param workersPerConnection threads running requests of one connection against the backend;
 *                         0 = the reader runs them itself (fewer thread hand-offs, no overlap of
 *                         backend I/O within one connection)
 * @param platformThreads  serve connections on platform threads instead of virtual threads
 */
public record ServerConfig(SSLContext tls, boolean tlsRequired, int slotsPerConnection, int workersPerConnection,
        boolean platformThreads) {
    public ServerConfig {
        if (tlsRequired && tls == null) {
            throw new IllegalArgumentException("--tls-required needs a certificate (--tls-cert/--tls-key or a keystore)");
        }
        if (slotsPerConnection < 1 || slotsPerConnection > 1024) {
            throw new IllegalArgumentException("slots per connection must be 1..1024: " + slotsPerConnection);
        }
        if (workersPerConnection < 0 || workersPerConnection > slotsPerConnection) {
            throw new IllegalArgumentException("workers per connection must be 0.." + slotsPerConnection + ": " + workersPerConnection);
        }
    }

    /** NOTLS mode, 16 requests in flight per connection. */
    public static ServerConfig plain() {
        return new ServerConfig(null, false, 16, DEFAULT_WORKERS, false);
    }

    public ServerConfig(SSLContext tls, boolean tlsRequired, int slotsPerConnection, int workersPerConnection) {
        this(tls, tlsRequired, slotsPerConnection, workersPerConnection, false);
    }

    /** A builder of the threads that serve connections. */
    Thread.Builder threads() {
        return platformThreads ? Thread.ofPlatform().daemon(true) : Thread.ofVirtual();
    }

    /** Workers per connection unless told otherwise. */
    public static final int DEFAULT_WORKERS = 0;
}
