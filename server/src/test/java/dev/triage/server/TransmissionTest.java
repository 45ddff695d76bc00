package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.server.RawClient.Chunk;
import dev.triage.server.backend.ClassStatus;
import dev.triage.server.protocol.Nbd;
import dev.triage.server.protocol.OptionCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every command in simple, structured and extended reply modes, and the errors the spec asks for. */
@Timeout(20)
class TransmissionTest {
    static final long SIZE = 8 << 20;
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(dir, SIZE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    enum Mode { SIMPLE, STRUCTURED, EXTENDED }

    static RawClient open(Mode mode, boolean hints, String export, String... contexts) throws IOException {
        RawClient c = server.unixClient();
        c.greet();
        if (mode == Mode.STRUCTURED) {
            c.ack(Nbd.OPT_STRUCTURED_REPLY);
        } else if (mode == Mode.EXTENDED) {
            c.ack(Nbd.OPT_EXTENDED_HEADERS);
        }
        if (hints) {
            c.ack(Nbd.OPT_X_TRIAGE_HINTS);
        }
        if (contexts.length > 0) {
            c.option(Nbd.OPT_SET_META_CONTEXT, OptionCodec.encodeMeta(export, contexts));
            assertEquals(Nbd.REP_ACK, c.optReplies().getLast().type());
        }
        c.go(export);
        c.extended = mode == Mode.EXTENDED;
        return c;
    }

    /** Reads the reply to a command without data; returns its error. */
    static int status(RawClient c, Mode mode, long cookie) throws IOException {
        if (mode == Mode.EXTENDED) {
            Chunk ch = c.chunk();
            assertEquals(cookie, ch.cookie());
            assertTrue(ch.done());
            return ch.error();
        }
        RawClient.Simple r = c.simpleReply();
        assertEquals(cookie, r.cookie());
        return r.error();
    }

    /** Reads the reply to a READ: the data, or throws with the error. */
    static byte[] readReply(RawClient c, Mode mode, long cookie, int len, int[] error) throws IOException {
        if (mode == Mode.SIMPLE) {
            RawClient.Simple r = c.simpleReply();
            assertEquals(cookie, r.cookie());
            error[0] = r.error();
            if (r.error() != 0) {
                return null;
            }
            byte[] d = new byte[len];
            c.in.readFully(d);
            return d;
        }
        Chunk ch = c.chunk();
        assertEquals(cookie, ch.cookie());
        assertTrue(ch.done());
        error[0] = ch.error();
        if (ch.error() != 0) {
            assertEquals(Nbd.REPLY_TYPE_ERROR, ch.type());
            return null;
        }
        if (len == 0) {
            assertEquals(Nbd.REPLY_TYPE_NONE, ch.type());
            return new byte[0];
        }
        assertEquals(Nbd.REPLY_TYPE_OFFSET_DATA, ch.type());
        return Arrays.copyOfRange(ch.payload(), 8, ch.payload().length);
    }

    static void write(RawClient c, long cookie, int flags, long offset, byte[] data) throws IOException {
        c.request(flags, Nbd.CMD_WRITE, cookie, offset, data.length);
        c.out.write(data);
        c.flush();
    }

    @Test
    void readWriteFlushTrimZeroCacheInEveryMode() throws IOException {
        long base = 0;
        for (Mode mode : Mode.values()) {
            try (RawClient c = open(mode, false, "disk")) {
                byte[] data = new byte[64 * 1024];
                new Random(mode.ordinal()).nextBytes(data);
                write(c, 1, Nbd.CMD_FLAG_FUA, base, data);
                assertEquals(0, status(c, mode, 1));
                c.request(0, Nbd.CMD_READ, 2, base, data.length);
                c.flush();
                int[] err = new int[1];
                assertArrayEquals(data, readReply(c, mode, 2, data.length, err));
                c.request(0, Nbd.CMD_READ, 3, base, 0);
                c.flush();
                assertArrayEquals(new byte[0], readReply(c, mode, 3, 0, err));
                c.request(0, Nbd.CMD_FLUSH, 4, 0, 0);
                c.flush();
                assertEquals(0, status(c, mode, 4));
                c.request(Nbd.CMD_FLAG_NO_HOLE, Nbd.CMD_WRITE_ZEROES, 5, base, 4096);
                c.flush();
                assertEquals(0, status(c, mode, 5));
                c.request(0, Nbd.CMD_TRIM, 6, base + 8192, 8192);
                c.flush();
                assertEquals(0, status(c, mode, 6));
                c.request(0, Nbd.CMD_CACHE, 7, base, 65536);
                c.flush();
                assertEquals(0, status(c, mode, 7));
                c.request(0, Nbd.CMD_READ, 8, base, data.length);
                c.flush();
                byte[] expect = data.clone();
                Arrays.fill(expect, 0, 4096, (byte) 0);
                Arrays.fill(expect, 8192, 16384, (byte) 0);
                assertArrayEquals(expect, readReply(c, mode, 8, data.length, err));
                c.request(0, Nbd.CMD_DISC, 9, 0, 0);
                c.flush();
                assertTrue(c.closedByServer());
            }
            base += 1 << 20;
        }
    }

    @Test
    void errorsAsTheSpecSays() throws IOException {
        for (Mode mode : Mode.values()) {
            try (RawClient c = open(mode, false, "disk")) {
                int[] err = new int[1];
                c.request(0, 77, 1, 0, 0);
                c.flush();
                assertEquals(Nbd.EINVAL, status(c, mode, 1), "unknown command");
                c.request(1 << 12, Nbd.CMD_FLUSH, 2, 0, 0);
                c.flush();
                assertEquals(Nbd.EINVAL, status(c, mode, 2), "unknown flag");
                c.request(0, Nbd.CMD_READ, 3, SIZE - 512, 1024);
                c.flush();
                assertEquals(null, readReply(c, mode, 3, 1024, err));
                assertEquals(Nbd.EINVAL, err[0], "read past the end");
                write(c, 4, 0, SIZE, new byte[512]);
                assertEquals(Nbd.ENOSPC, status(c, mode, 4), "write past the end");
                c.request(0, Nbd.CMD_WRITE_ZEROES, 5, SIZE - 512, 4096);
                c.flush();
                assertEquals(Nbd.ENOSPC, status(c, mode, 5), "zero past the end");
                c.request(0, Nbd.CMD_TRIM, 6, Long.MAX_VALUE, 512);
                c.flush();
                assertEquals(Nbd.EINVAL, status(c, mode, 6), "trim past the end");
                c.request(0, Nbd.CMD_READ, 7, 100, 512);
                c.flush();
                assertEquals(null, readReply(c, mode, 7, 512, err));
                assertEquals(Nbd.EINVAL, err[0], "misaligned read");
                c.request(Nbd.CMD_FLAG_FAST_ZERO, Nbd.CMD_WRITE_ZEROES, 8, 0, 4096);
                c.flush();
                assertEquals(Nbd.ENOTSUP, status(c, mode, 8), "fast zero on a backend that cannot");
                c.request(0, Nbd.CMD_READ, 9, 0, 64 << 20);
                c.flush();
                assertEquals(null, readReply(c, mode, 9, 0, err));
                assertEquals(Nbd.EINVAL, err[0], "read over the maximum payload");
                c.request(0x0100, Nbd.CMD_WRITE_ZEROES, 10, 0, 4096);
                c.flush();
                assertEquals(Nbd.EINVAL, status(c, mode, 10), "class hint without negotiation");
                c.request(0, Nbd.CMD_X_TRIAGE_SET_CLASS, 11, 0, 4096);
                c.flush();
                assertEquals(Nbd.EINVAL, status(c, mode, 11), "hint command without negotiation");
                if (mode == Mode.SIMPLE) {
                    c.request(Nbd.CMD_FLAG_DF, Nbd.CMD_READ, 12, 0, 512);
                    c.flush();
                    readReply(c, mode, 12, 512, err);
                    assertEquals(Nbd.EINVAL, err[0], "DF without structured replies");
                    c.request(0, Nbd.CMD_BLOCK_STATUS, 13, 0, 512);
                    c.flush();
                    assertEquals(Nbd.EINVAL, status(c, mode, 13), "block status without structured replies");
                } else if (mode == Mode.STRUCTURED) {
                    c.request(0, Nbd.CMD_BLOCK_STATUS, 13, 0, 512);
                    c.flush();
                    Chunk ch = c.chunk();
                    assertEquals(Nbd.EINVAL, ch.error(), "block status without a context");
                }
                // Still serving after all of this.
                c.request(0, Nbd.CMD_FLUSH, 99, 0, 0);
                c.flush();
                assertEquals(0, status(c, mode, 99));
            }
        }
        try (RawClient c = open(Mode.SIMPLE, false, "ro")) {
            write(c, 1, 0, 0, new byte[512]);
            assertEquals(Nbd.EPERM, status(c, Mode.SIMPLE, 1));
            c.request(0, Nbd.CMD_TRIM, 2, 0, 512);
            c.flush();
            assertEquals(Nbd.EPERM, status(c, Mode.SIMPLE, 2));
        }
    }

    @Test
    void oversizeWritePayloadIsSkippedOrDisconnects() throws IOException {
        try (RawClient c = open(Mode.SIMPLE, false, "disk")) {
            // Over the maximum payload (32 MiB) but not a DoS: consumed, EINVAL, still in sync.
            int len = (32 << 20) + 512;
            c.request(0, Nbd.CMD_WRITE, 1, 0, len);
            c.out.write(new byte[len]);
            c.flush();
            assertEquals(Nbd.EINVAL, status(c, Mode.SIMPLE, 1));
        }
        try (RawClient c = open(Mode.SIMPLE, false, "disk")) {
            c.request(0, Nbd.CMD_WRITE, 1, 0, 0xf0000000L);
            c.flush();
            assertEquals(Nbd.EINVAL, status(c, Mode.SIMPLE, 1));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void blockStatusReportsAllocationAndClass() throws IOException {
        for (Mode mode : new Mode[] {Mode.STRUCTURED, Mode.EXTENDED}) {
            long base = mode == Mode.STRUCTURED ? 4 << 20 : 6 << 20;
            try (RawClient c = open(mode, true, "disk", "base:allocation", "x-triage:class")) {
                int inode = 4;
                write(c, 1, inode + 1 << 8, base, new byte[8192]);
                assertEquals(0, status(c, mode, 1));
                c.request(0, Nbd.CMD_TRIM, 2, base + 8192, 8192);
                c.flush();
                assertEquals(0, status(c, mode, 2));
                c.request(7 + 1 << 8, Nbd.CMD_WRITE_ZEROES, 3, base + 16384, 4096);
                c.flush();
                assertEquals(0, status(c, mode, 3));
                c.request(9 + 1 << 8, Nbd.CMD_X_TRIAGE_SET_CLASS, 4, base + 8192, 4096);
                c.flush();
                assertEquals(0, status(c, mode, 4));
                c.request(0, Nbd.CMD_BLOCK_STATUS, 5, base, 20480);
                c.flush();
                Map<Integer, long[][]> byContext = new HashMap<>();
                for (int i = 0; i < 2; i++) {
                    Chunk ch = c.chunk();
                    assertEquals(5, ch.cookie());
                    assertEquals(i == 1, ch.done());
                    ByteBuffer b = ch.buf();
                    int id = b.getInt();
                    int n = mode == Mode.EXTENDED ? b.getInt() : b.remaining() / 8;
                    assertEquals(mode == Mode.EXTENDED ? Nbd.REPLY_TYPE_BLOCK_STATUS_EXT : Nbd.REPLY_TYPE_BLOCK_STATUS, ch.type());
                    long[][] ext = new long[n][2];
                    for (int k = 0; k < n; k++) {
                        ext[k][0] = mode == Mode.EXTENDED ? b.getLong() : b.getInt() & 0xffffffffL;
                        ext[k][1] = mode == Mode.EXTENDED ? b.getLong() : b.getInt() & 0xffffffffL;
                    }
                    byContext.put(id, ext);
                }
                long[][] alloc = byContext.get(1);
                assertArrayEquals(new long[] {8192, 0}, alloc[0]);
                assertArrayEquals(new long[] {8192, Nbd.STATE_HOLE | Nbd.STATE_ZERO}, alloc[1]);
                assertArrayEquals(new long[] {4096, Nbd.STATE_ZERO}, alloc[2]);
                long[][] cls = byContext.get(2);
                assertArrayEquals(new long[] {8192, ClassStatus.encode(inode, inode % 3)}, cls[0]);
                assertArrayEquals(new long[] {4096, ClassStatus.encode(9, 0)}, cls[1]);
                assertEquals(7, ClassStatus.classOf((int) cls[3][1]));
                // REQ_ONE: one extent per context, within the request.
                c.request(Nbd.CMD_FLAG_REQ_ONE, Nbd.CMD_BLOCK_STATUS, 6, base, 20480);
                c.flush();
                for (int i = 0; i < 2; i++) {
                    Chunk ch = c.chunk();
                    int per = mode == Mode.EXTENDED ? 16 : 8;
                    int head = mode == Mode.EXTENDED ? 8 : 4;
                    assertEquals(head + per, ch.payload().length);
                }
                c.request(0, Nbd.CMD_BLOCK_STATUS, 7, SIZE, 512);
                c.flush();
                assertEquals(Nbd.EINVAL, c.chunk().error(), "block status past the end");
            }
        }
    }

    @Test
    void pipelinedRequestsAllGetAnswers() throws IOException {
        pipeline(open(Mode.STRUCTURED, false, "disk"));
    }

    @Test
    void manyClientsAtOnceSeeEachOthersWrites() throws Exception {
        int clients = 8;
        int blocks = 32;
        long region = 128L * 1024;
        long base = 5L << 20;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        java.util.List<java.util.concurrent.Future<byte[]>> written = new java.util.ArrayList<>();
        for (int k = 0; k < clients; k++) {
            int id = k;
            written.add(pool.submit(() -> {
                byte[] all = new byte[blocks * 4096];
                new Random(100 + id).nextBytes(all);
                try (RawClient c = open(Mode.SIMPLE, false, "disk")) {
                    for (int b = 0; b < blocks; b++) {
                        c.request(0, Nbd.CMD_WRITE, b, base + id * region + b * 4096L, 4096);
                        c.out.write(all, b * 4096, 4096);
                    }
                    c.flush();
                    for (int b = 0; b < blocks; b++) {
                        assertEquals(0, c.simpleReply().error());
                    }
                    c.request(0, Nbd.CMD_FLUSH, 99, 0, 0);
                    c.flush();
                    assertEquals(0, c.simpleReply().error());
                }
                return all;
            }));
        }
        byte[][] data = new byte[clients][];
        for (int k = 0; k < clients; k++) {
            data[k] = written.get(k).get();
        }
        pool.close();
        // Another connection reads every region back (multi-conn: one consistent export).
        try (RawClient c = open(Mode.STRUCTURED, false, "disk")) {
            for (int k = 0; k < clients; k++) {
                c.request(0, Nbd.CMD_READ, k, base + k * region, blocks * 4096);
                c.flush();
                int[] err = new int[1];
                assertArrayEquals(data[k], readReply(c, Mode.STRUCTURED, k, blocks * 4096, err));
            }
        }
        assertEquals(0, server.metrics.internalErrors.get());
    }

    @Test
    void pipelinedRequestsWithWorkerThreads(@TempDir Path other) throws IOException {
        try (TestServer withWorkers = new TestServer(other, SIZE, new dev.triage.server.session.ServerConfig(null, false, 16, 4))) {
            RawClient c = withWorkers.unixClient();
            c.greet();
            c.ack(Nbd.OPT_STRUCTURED_REPLY);
            c.go("disk");
            pipeline(c);
        }
    }

    private static void pipeline(RawClient client) throws IOException {
        try (RawClient c = client) {
            int n = 200;
            byte[] block = new byte[4096];
            for (int i = 0; i < n; i++) {
                Arrays.fill(block, (byte) i);
                write(c, i, 0, 2L * 4096 * i, block);
            }
            boolean[] seen = new boolean[n];
            for (int i = 0; i < n; i++) {
                RawClient.Simple r = c.simpleReply();
                assertEquals(0, r.error());
                seen[(int) r.cookie()] = true;
            }
            for (int i = 0; i < n; i++) {
                assertTrue(seen[i]);
                c.request(0, Nbd.CMD_READ, 1000 + i, 2L * 4096 * i, 4096);
            }
            c.flush();
            for (int i = 0; i < n; i++) {
                Chunk ch = c.chunk();
                int k = (int) ch.cookie() - 1000;
                assertEquals((byte) k, ch.payload()[8]);
                assertEquals((byte) k, ch.payload()[8 + 4095]);
            }
        }
    }

    @Test
    void truncatedRequestAndVanishingWriterLoseNothingFlushed() throws IOException {
        byte[] data = new byte[4096];
        Arrays.fill(data, (byte) 0x77);
        try (RawClient c = open(Mode.SIMPLE, false, "disk")) {
            write(c, 1, 0, 3 << 20, data);
            assertEquals(0, status(c, Mode.SIMPLE, 1));
            c.request(0, Nbd.CMD_FLUSH, 2, 0, 0);
            c.flush();
            assertEquals(0, status(c, Mode.SIMPLE, 2));
            // A write whose payload never fully arrives.
            c.request(0, Nbd.CMD_WRITE, 3, 3 << 20, 4096);
            c.out.write(new byte[100]);
            c.flush();
        }
        try (RawClient c = open(Mode.SIMPLE, false, "disk")) {
            c.out.write(new byte[] {0x25, 0x60, (byte) 0x95, 0x13, 0, 0});
            c.flush();
        }
        try (RawClient c = open(Mode.SIMPLE, false, "disk")) {
            c.out.writeInt(0xdeadbeef);
            c.out.write(new byte[24]);
            c.flush();
            assertTrue(c.closedByServer(), "bad request magic");
        }
        try (RawClient c = open(Mode.SIMPLE, false, "disk")) {
            c.request(0, Nbd.CMD_READ, 1, 3 << 20, 4096);
            c.flush();
            int[] err = new int[1];
            assertArrayEquals(data, readReply(c, Mode.SIMPLE, 1, 4096, err));
        }
        byte[] onDisk = Files.readAllBytes(server.file);
        assertArrayEquals(data, Arrays.copyOfRange(onDisk, 3 << 20, (3 << 20) + 4096));
    }
}
