package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triage.server.protocol.Nbd;
import dev.triage.server.protocol.OptionCodec;
import dev.triage.server.protocol.Request;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** A byte-level NBD client for tests: sends exactly what it is told, reads replies strictly. */
final class RawClient implements AutoCloseable {
    private final SocketChannel ch;
    private Socket tcp;
    DataInputStream in;
    DataOutputStream out;
    int handshakeFlags;
    boolean extended;

    private RawClient(SocketChannel ch) {
        this.ch = ch;
        this.in = new DataInputStream(new java.io.BufferedInputStream(Channels.newInputStream(ch)));
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(Channels.newOutputStream(ch)));
    }

    private RawClient(Socket s) {
        this.ch = null;
        this.tcp = s;
    }

    static RawClient unix(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(socket));
        return new RawClient(ch);
    }

    /** A TCP client (streams from a plain socket, so STARTTLS can layer TLS on it). */
    static RawClient tcp(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.setSoTimeout(20_000);
        RawClient c = new RawClient(s);
        c.in = new DataInputStream(s.getInputStream());
        c.out = new DataOutputStream(s.getOutputStream());
        return c;
    }

    void startTls(SSLContext ctx) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(tcp, "127.0.0.1", tcp.getPort(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        in = new DataInputStream(s.getInputStream());
        out = new DataOutputStream(s.getOutputStream());
    }

    /** Reads the greeting and sends client flags. */
    void greet(int clientFlags) throws IOException {
        assertEquals(Nbd.NBDMAGIC, in.readLong());
        assertEquals(Nbd.IHAVEOPT, in.readLong());
        handshakeFlags = in.readUnsignedShort();
        out.writeInt(clientFlags);
        out.flush();
    }

    void greet() throws IOException {
        greet(Nbd.FLAG_C_FIXED_NEWSTYLE | Nbd.FLAG_C_NO_ZEROES);
    }

    void option(int opt, byte[] data) throws IOException {
        out.writeLong(Nbd.IHAVEOPT);
        out.writeInt(opt);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    record OptReply(int option, int type, byte[] data) {
        ByteBuffer buf() {
            return ByteBuffer.wrap(data);
        }

        boolean isError() {
            return type < 0;
        }
    }

    OptReply optReply() throws IOException {
        assertEquals(Nbd.OPTION_REPLY_MAGIC, in.readLong());
        int opt = in.readInt();
        int type = in.readInt();
        int len = in.readInt();
        byte[] d = new byte[len];
        in.readFully(d);
        return new OptReply(opt, type, d);
    }

    /** Replies up to and including the final one (ACK or an error). */
    List<OptReply> optReplies() throws IOException {
        List<OptReply> all = new ArrayList<>();
        while (true) {
            OptReply r = optReply();
            all.add(r);
            if (r.type() == Nbd.REP_ACK || r.isError()) {
                return all;
            }
        }
    }

    /** Sends an option with no data and expects a lone ACK. */
    void ack(int opt) throws IOException {
        option(opt, new byte[0]);
        OptReply r = optReply();
        assertEquals(Nbd.REP_ACK, r.type(), () -> Nbd.optionName(opt) + " not acked: 0x" + Integer.toHexString(r.type()));
    }

    /** GO on an export; returns the transmission flags. */
    int go(String export) throws IOException {
        option(Nbd.OPT_GO, OptionCodec.encodeInfo(export, Nbd.INFO_BLOCK_SIZE));
        int flags = -1;
        for (OptReply r : optReplies()) {
            if (r.isError()) {
                throw new IOException("GO refused: 0x" + Integer.toHexString(r.type()) + " " + new String(r.data()));
            }
            if (r.type() == Nbd.REP_INFO && r.buf().getShort(0) == Nbd.INFO_EXPORT) {
                flags = r.buf().getShort(10) & 0xffff;
            }
        }
        return flags;
    }

    void request(int flags, int type, long cookie, long offset, long length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(32);
        Request.encode(b, extended, flags, type, cookie, offset, length);
        out.write(b.array(), 0, b.position());
    }

    void flush() throws IOException {
        out.flush();
    }

    record Simple(int error, long cookie) {
    }

    Simple simpleReply() throws IOException {
        assertEquals(Nbd.SIMPLE_REPLY_MAGIC, in.readInt());
        return new Simple(in.readInt(), in.readLong());
    }

    record Chunk(int flags, int type, long cookie, long offset, byte[] payload) {
        ByteBuffer buf() {
            return ByteBuffer.wrap(payload);
        }

        int error() {
            return (type & 0x8000) != 0 ? buf().getInt(0) : 0;
        }

        boolean done() {
            return (flags & Nbd.REPLY_FLAG_DONE) != 0;
        }
    }

    /** Reads a structured or extended chunk header and payload. */
    Chunk chunk() throws IOException {
        int magic = in.readInt();
        assertEquals(extended ? Nbd.EXTENDED_REPLY_MAGIC : Nbd.STRUCTURED_REPLY_MAGIC, magic,
                () -> "magic 0x" + Integer.toHexString(magic));
        int flags = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        long cookie = in.readLong();
        long offset = -1;
        long len;
        if (extended) {
            offset = in.readLong();
            len = in.readLong();
        } else {
            len = in.readInt() & 0xffffffffL;
        }
        byte[] p = new byte[(int) len];
        in.readFully(p);
        return new Chunk(flags, type, cookie, offset, p);
    }

    /** True when the server has closed the connection (EOF within the timeout). */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        if (ch != null) {
            ch.close();
        }
        if (tcp != null) {
            tcp.close();
        }
    }
}
