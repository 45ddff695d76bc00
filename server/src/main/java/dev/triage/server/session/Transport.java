package dev.triage.server.session;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * The byte stream of one connection: a blocking {@link SocketChannel} (Unix or TCP), upgraded
 * in place to TLS by {@link #startTls} (JSSE, over TCP only). Reads and writes go through
 * channels so plain connections move data between the socket and direct buffers without copies.
 */
final class Transport implements AutoCloseable {
    private final SocketChannel socket;
    private ReadableByteChannel in;
    private WritableByteChannel out;
    private SSLSocket tlsSocket;
    private String peerCn;
    /** Reused by {@link #writeFully(ByteBuffer, ByteBuffer)}; callers hold the connection's write lock. */
    private final ByteBuffer[] pair = new ByteBuffer[2];

    Transport(SocketChannel socket) throws IOException {
        this.socket = socket;
        this.in = socket;
        this.out = socket;
        if (isTcp()) {
            socket.socket().setTcpNoDelay(true);
        }
    }

    boolean isTcp() {
        try {
            return !(socket.getLocalAddress() instanceof java.net.UnixDomainSocketAddress);
        } catch (IOException e) {
            return false;
        }
    }

    boolean isTls() {
        return tlsSocket != null;
    }

    /** The subject CN of the client's certificate, or null. */
    String peerCn() {
        return peerCn;
    }

    /** Runs the TLS handshake as the server on the open TCP connection. */
    void startTls(SSLContext ctx) throws IOException {
        Socket plain = socket.socket();
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteAddress();
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, remote.getHostString(), remote.getPort(), true);
        s.setUseClientMode(false);
        s.setWantClientAuth(true);
        s.setEnabledProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        s.startHandshake();
        tlsSocket = s;
        InputStream is = s.getInputStream();
        OutputStream os = s.getOutputStream();
        in = Channels.newChannel(is);
        out = Channels.newChannel(os);
        try {
            Certificate[] chain = s.getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                peerCn = commonName(x.getSubjectX500Principal().getName());
            }
        } catch (SSLPeerUnverifiedException e) {
            peerCn = null;
        }
    }

    static String commonName(String dn) {
        try {
            for (Rdn rdn : new LdapName(dn).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    /** Reads exactly {@code b.remaining()} bytes; EOF before the first byte when {@code eofOk} returns false. */
    boolean readFully(ByteBuffer b, boolean eofOk) throws IOException {
        boolean first = true;
        while (b.hasRemaining()) {
            int n = in.read(b);
            if (n < 0) {
                if (first && eofOk) {
                    return false;
                }
                throw new EOFException("connection closed in the middle of a message");
            }
            if (n > 0) {
                first = false;
            }
        }
        return true;
    }

    void readFully(ByteBuffer b) throws IOException {
        readFully(b, false);
    }

    /** One read: the bytes read, or -1 at the end of the stream. */
    int read(ByteBuffer b) throws IOException {
        return in.read(b);
    }

    /** Reads and drops {@code n} bytes. */
    void skip(long n, ByteBuffer scratch) throws IOException {
        while (n > 0) {
            scratch.clear();
            scratch.limit((int) Math.min(scratch.capacity(), n));
            readFully(scratch);
            n -= scratch.limit();
        }
    }

    void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            out.write(b);
        }
    }

    /** Writes two buffers, gathering them into one system call on a plain socket. */
    void writeFully(ByteBuffer a, ByteBuffer b) throws IOException {
        if (out == socket) {
            ByteBuffer[] bufs = pair;
            bufs[0] = a;
            bufs[1] = b;
            while (a.hasRemaining() || b.hasRemaining()) {
                socket.write(bufs);
            }
        } else {
            writeFully(a);
            writeFully(b);
        }
    }

    @Override
    public void close() {
        try {
            if (tlsSocket != null) {
                tlsSocket.close();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
