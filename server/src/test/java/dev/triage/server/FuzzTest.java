package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.server.protocol.Nbd;
import dev.triage.server.protocol.OptionCodec;
import dev.triage.server.protocol.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes both protocol phases: valid recorded sessions (every option and command, in simple,
 * structured and extended modes) mutated by bit flips, byte overwrites, 32-bit field smashes,
 * truncation, splicing and duplication, plus pure random bytes after a valid greeting. Each
 * input is sent on its own TCP connection, the client half-closes and reads until the server
 * closes. Passes when no input hangs the server (every connection ends within 5 s), no
 * internal error is counted, and a good client is served correctly afterwards.
 */
@Timeout(120)
class FuzzTest {
    static final long SEED = 0x7219_a3e5L;
    static final int MUTATIONS = 1500;
    static final int RANDOM_INPUTS = 300;

    @TempDir
    Path dir;

    @Test
    void mutatedAndRandomSessionsNeitherCrashNorHangTheServer() throws Exception {
        try (TestServer server = new TestServer(dir, 16 << 20)) {
            List<byte[]> corpus = corpus();
            Random rnd = new Random(SEED);
            int tried = 0;
            int hangs = 0;
            for (int i = 0; i < MUTATIONS; i++) {
                byte[] input = mutate(corpus.get(rnd.nextInt(corpus.size())), corpus, rnd);
                hangs += send(server.port, input) ? 0 : 1;
                tried++;
            }
            for (int i = 0; i < RANDOM_INPUTS; i++) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                b.write(new byte[] {0, 0, 0, 3});
                if (rnd.nextBoolean()) {
                    b.write(option(Nbd.OPT_GO, OptionCodec.encodeInfo("disk")));
                }
                byte[] junk = new byte[rnd.nextInt(2048)];
                rnd.nextBytes(junk);
                b.write(junk);
                hangs += send(server.port, b.toByteArray()) ? 0 : 1;
                tried++;
            }
            // Every connection ended.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (server.server.connectionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            System.out.printf("fuzz: %d inputs tried (seed %x), %d hangs, %d protocol errors, %d internal errors%n",
                    tried, SEED, hangs, server.metrics.protocolErrors.get(), server.metrics.internalErrors.get());
            assertEquals(MUTATIONS + RANDOM_INPUTS, tried);
            assertEquals(0, hangs, "inputs after which the server did not close within 5 s");
            assertEquals(0, server.server.connectionCount(), "connections still open after the fuzz");
            assertEquals(0, server.metrics.internalErrors.get(), "internal errors (see the log)");
            assertTrue(server.metrics.protocolErrors.get() > 0, "the fuzz must reach the violation paths");

            // A good client is still served.
            try (RawClient c = RawClient.tcp(server.port)) {
                c.greet();
                c.ack(Nbd.OPT_STRUCTURED_REPLY);
                c.go("disk");
                byte[] data = new byte[8192];
                new Random(1).nextBytes(data);
                c.request(Nbd.CMD_FLAG_FUA, Nbd.CMD_WRITE, 1, 1 << 20, data.length);
                c.out.write(data);
                c.flush();
                assertEquals(0, c.simpleReply().error());
                c.request(0, Nbd.CMD_READ, 2, 1 << 20, data.length);
                c.flush();
                RawClient.Chunk ch = c.chunk();
                assertArrayEquals(data, Arrays.copyOfRange(ch.payload(), 8, ch.payload().length));
            }
        }
    }

    /** Sends one input, half-closes, reads until EOF; false if the server did not close in time. */
    private static boolean send(int port, byte[] input) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            try {
                s.getOutputStream().write(input);
                s.shutdownOutput();
            } catch (IOException e) {
                return true; // the server already hung up on us
            }
            InputStream in = s.getInputStream();
            byte[] buf = new byte[65536];
            try {
                while (in.read(buf) >= 0) {
                    // drain
                }
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                return true; // reset by the server
            }
        }
    }

    static byte[] mutate(byte[] seed, List<byte[]> corpus, Random rnd) {
        byte[] b = seed.clone();
        int rounds = 1 + rnd.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            if (b.length == 0) {
                break;
            }
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = (byte) rnd.nextInt(256);
                case 2 -> {
                    int v = switch (rnd.nextInt(5)) {
                        case 0 -> 0;
                        case 1 -> -1;
                        case 2 -> Integer.MAX_VALUE;
                        case 3 -> 1 << 25;
                        default -> rnd.nextInt();
                    };
                    if (at + 4 <= b.length) {
                        ByteBuffer.wrap(b).putInt(at, v);
                    }
                }
                case 3 -> b = Arrays.copyOf(b, at);
                case 4 -> {
                    byte[] other = corpus.get(rnd.nextInt(corpus.size()));
                    int from = rnd.nextInt(other.length);
                    byte[] spliced = Arrays.copyOf(b, at + other.length - from);
                    System.arraycopy(other, from, spliced, at, other.length - from);
                    b = spliced;
                }
                case 5 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                    byte[] dup = new byte[b.length + len];
                    System.arraycopy(b, 0, dup, 0, at + len);
                    System.arraycopy(b, at, dup, at + len, b.length - at);
                    b = dup;
                }
                default -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(16));
                    byte[] del = new byte[b.length - len];
                    System.arraycopy(b, 0, del, 0, at);
                    System.arraycopy(b, at + len, del, at, b.length - at - len);
                    b = del;
                }
            }
        }
        return b;
    }

    static byte[] option(int opt, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(16 + data.length);
        b.putLong(Nbd.IHAVEOPT).putInt(opt).putInt(data.length).put(data);
        return b.array();
    }

    static byte[] request(boolean ext, int flags, int type, long cookie, long offset, long length, int payload) {
        ByteBuffer b = ByteBuffer.allocate(32 + payload);
        Request.encode(b, ext, flags, type, cookie, offset, length);
        b.position(b.position() + payload);
        return Arrays.copyOf(b.array(), b.position());
    }

    /** Valid sessions, as a client would send them (recorded from the encoders). */
    static List<byte[]> corpus() throws IOException {
        List<byte[]> all = new ArrayList<>();
        for (int mode = 0; mode < 3; mode++) {
            boolean ext = mode == 2;
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.write(new byte[] {0, 0, 0, 3});
            b.write(option(Nbd.OPT_LIST, new byte[0]));
            b.write(option(Nbd.OPT_INFO, OptionCodec.encodeInfo("disk", Nbd.INFO_NAME, Nbd.INFO_BLOCK_SIZE)));
            b.write(option(Nbd.OPT_LIST_META_CONTEXT, OptionCodec.encodeMeta("disk")));
            if (mode == 1) {
                b.write(option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]));
            } else if (ext) {
                b.write(option(Nbd.OPT_EXTENDED_HEADERS, new byte[0]));
            }
            b.write(option(Nbd.OPT_X_TRIAGE_HINTS, new byte[0]));
            b.write(option(Nbd.OPT_SET_META_CONTEXT, OptionCodec.encodeMeta("disk", "base:allocation", "x-triage:class")));
            b.write(option(Nbd.OPT_STARTTLS, new byte[0]));
            b.write(option(Nbd.OPT_GO, OptionCodec.encodeInfo("disk", Nbd.INFO_BLOCK_SIZE)));
            b.write(request(ext, 0x0500, Nbd.CMD_WRITE, 1, 4096, 4096, 4096));
            b.write(request(ext, Nbd.CMD_FLAG_FUA, Nbd.CMD_WRITE, 2, 0, 512, 512));
            b.write(request(ext, 0, Nbd.CMD_READ, 3, 0, 8192, 0));
            b.write(request(ext, Nbd.CMD_FLAG_DF, Nbd.CMD_READ, 4, 512, 512, 0));
            b.write(request(ext, 0, Nbd.CMD_BLOCK_STATUS, 5, 0, 1 << 20, 0));
            b.write(request(ext, Nbd.CMD_FLAG_REQ_ONE, Nbd.CMD_BLOCK_STATUS, 6, 0, 1 << 20, 0));
            b.write(request(ext, 0, Nbd.CMD_TRIM, 7, 65536, 65536, 0));
            b.write(request(ext, Nbd.CMD_FLAG_NO_HOLE, Nbd.CMD_WRITE_ZEROES, 8, 131072, 65536, 0));
            b.write(request(ext, Nbd.CMD_FLAG_FAST_ZERO, Nbd.CMD_WRITE_ZEROES, 9, 131072, 65536, 0));
            b.write(request(ext, 0, Nbd.CMD_CACHE, 10, 0, 65536, 0));
            b.write(request(ext, 0x0300, Nbd.CMD_X_TRIAGE_SET_CLASS, 11, 0, 65536, 0));
            b.write(request(ext, 0, Nbd.CMD_FLUSH, 12, 0, 0, 0));
            b.write(request(ext, 0, Nbd.CMD_DISC, 13, 0, 0, 0));
            all.add(b.toByteArray());
        }
        ByteArrayOutputStream old = new ByteArrayOutputStream();
        old.write(new byte[] {0, 0, 0, 0});
        old.write(option(Nbd.OPT_EXPORT_NAME, "disk".getBytes()));
        old.write(request(false, 0, Nbd.CMD_WRITE, 1, 0, 1024, 1024));
        old.write(request(false, 0, Nbd.CMD_READ, 2, 0, 1024, 0));
        old.write(request(false, 0, Nbd.CMD_DISC, 3, 0, 0, 0));
        all.add(old.toByteArray());
        ByteArrayOutputStream abort = new ByteArrayOutputStream();
        abort.write(new byte[] {0, 0, 0, 1});
        abort.write(option(Nbd.OPT_INFO, OptionCodec.encodeInfo("secret@s3cret")));
        abort.write(option(999, new byte[7]));
        abort.write(option(Nbd.OPT_ABORT, new byte[0]));
        all.add(abort.toByteArray());
        return all;
    }
}
