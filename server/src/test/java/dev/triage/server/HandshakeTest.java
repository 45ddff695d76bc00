package dev.triage.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.server.RawClient.OptReply;
import dev.triage.server.protocol.Nbd;
import dev.triage.server.protocol.OptionCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every handshake option, spoken byte by byte. */
@Timeout(30)
class HandshakeTest {
    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(dir, 4 << 20);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void greetingAdvertisesFixedNewstyleAndNoZeroes() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            assertEquals(Nbd.FLAG_FIXED_NEWSTYLE | Nbd.FLAG_NO_ZEROES, c.handshakeFlags);
            c.ack(Nbd.OPT_ABORT);
        }
    }

    @Test
    void exportNameWithAndWithoutZeroPadding() throws IOException {
        for (boolean noZeroes : new boolean[] {true, false}) {
            try (RawClient c = server.unixClient()) {
                c.greet(Nbd.FLAG_C_FIXED_NEWSTYLE | (noZeroes ? Nbd.FLAG_C_NO_ZEROES : 0));
                c.option(Nbd.OPT_EXPORT_NAME, "disk".getBytes(StandardCharsets.UTF_8));
                assertEquals(4 << 20, c.in.readLong());
                int flags = c.in.readUnsignedShort();
                assertTrue((flags & Nbd.FLAG_HAS_FLAGS) != 0);
                assertEquals(0, flags & Nbd.FLAG_SEND_DF, "DF needs structured replies");
                if (!noZeroes) {
                    byte[] pad = new byte[124];
                    c.in.readFully(pad);
                    assertArrayEquals(new byte[124], pad);
                }
                // Transmission works right after: a flush.
                c.request(0, Nbd.CMD_FLUSH, 7, 0, 0);
                c.flush();
                RawClient.Simple r = c.simpleReply();
                assertEquals(0, r.error());
                assertEquals(7, r.cookie());
            }
        }
    }

    @Test
    void exportNameOfUnknownExportDisconnects() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.option(Nbd.OPT_EXPORT_NAME, "nope".getBytes(StandardCharsets.UTF_8));
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void emptyNameIsTheDefaultExport() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.option(Nbd.OPT_INFO, OptionCodec.encodeInfo("", Nbd.INFO_NAME));
            List<OptReply> rs = c.optReplies();
            assertTrue(rs.stream().anyMatch(r -> r.type() == Nbd.REP_INFO && r.buf().getShort(0) == Nbd.INFO_NAME
                    && new String(r.data(), 2, r.data().length - 2, StandardCharsets.UTF_8).equals("disk")));
        }
    }

    @Test
    void listShowsOpenExportsOnly() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.option(Nbd.OPT_LIST, new byte[0]);
            List<String> names = new ArrayList<>();
            for (OptReply r : c.optReplies()) {
                if (r.type() == Nbd.REP_SERVER) {
                    ByteBuffer b = r.buf();
                    int n = b.getInt();
                    names.add(new String(r.data(), 4, n, StandardCharsets.UTF_8));
                } else {
                    assertEquals(Nbd.REP_ACK, r.type());
                }
            }
            assertEquals(List.of("disk", "ro"), names);
            c.option(Nbd.OPT_LIST, new byte[] {1});
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
        }
    }

    @Test
    void infoSendsExportNameDescriptionAndBlockSize() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.option(Nbd.OPT_INFO, OptionCodec.encodeInfo("disk", Nbd.INFO_NAME, Nbd.INFO_DESCRIPTION, Nbd.INFO_BLOCK_SIZE, 999));
            List<OptReply> rs = c.optReplies();
            assertEquals(Nbd.REP_ACK, rs.getLast().type());
            boolean export = false;
            boolean name = false;
            boolean desc = false;
            boolean bs = false;
            for (OptReply r : rs.subList(0, rs.size() - 1)) {
                assertEquals(Nbd.REP_INFO, r.type());
                assertEquals(Nbd.OPT_INFO, r.option());
                ByteBuffer b = r.buf();
                switch (b.getShort()) {
                    case Nbd.INFO_EXPORT -> {
                        assertEquals(12, r.data().length);
                        assertEquals(4 << 20, b.getLong());
                        export = true;
                    }
                    case Nbd.INFO_NAME -> name = true;
                    case Nbd.INFO_DESCRIPTION -> desc = new String(r.data(), 2, r.data().length - 2).equals("test disk");
                    case Nbd.INFO_BLOCK_SIZE -> {
                        assertEquals(14, r.data().length);
                        assertEquals(512, b.getInt());
                        assertEquals(4096, b.getInt());
                        assertEquals(32 << 20, b.getInt());
                        bs = true;
                    }
                    default -> throw new AssertionError("unexpected info type");
                }
            }
            assertTrue(export && name && desc && bs);
            // INFO leaves the client in the option phase.
            c.ack(Nbd.OPT_STRUCTURED_REPLY);
        }
    }

    @Test
    void infoAndGoErrors() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.option(Nbd.OPT_GO, OptionCodec.encodeInfo("missing"));
            assertEquals(Nbd.REP_ERR_UNKNOWN, c.optReply().type());
            c.option(Nbd.OPT_INFO, new byte[] {0, 0, 0, 9, 'x'});
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
            byte[] bad = OptionCodec.encodeInfo("disk", 1);
            c.option(Nbd.OPT_GO, java.util.Arrays.copyOf(bad, bad.length - 1));
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
            c.option(Nbd.OPT_GO, OptionCodec.encodeInfo("secret"));
            assertEquals(Nbd.REP_ERR_POLICY, c.optReply().type());
            c.option(Nbd.OPT_GO, OptionCodec.encodeInfo("secret@wrong"));
            assertEquals(Nbd.REP_ERR_POLICY, c.optReply().type());
            assertTrue(c.go("secret@s3cret") > 0);
        }
    }

    @Test
    void structuredReplyTwiceIsInvalidAndSetsDf() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.ack(Nbd.OPT_STRUCTURED_REPLY);
            c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]);
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
            c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[] {1});
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
            int flags = c.go("disk");
            assertTrue((flags & Nbd.FLAG_SEND_DF) != 0);
            assertTrue((flags & Nbd.FLAG_CAN_MULTI_CONN) != 0);
            assertTrue((flags & Nbd.FLAG_SEND_FAST_ZERO) != 0);
        }
    }

    @Test
    void readOnlyExportFlags() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            int flags = c.go("ro");
            assertTrue((flags & Nbd.FLAG_READ_ONLY) != 0);
            assertEquals(0, flags & (Nbd.FLAG_SEND_TRIM | Nbd.FLAG_SEND_WRITE_ZEROES | Nbd.FLAG_SEND_FAST_ZERO));
        }
    }

    @Test
    void metaContexts() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            // SET before structured replies: invalid.
            c.option(Nbd.OPT_SET_META_CONTEXT, OptionCodec.encodeMeta("disk", "base:allocation"));
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
            // LIST with no query lists all, with id 0.
            c.option(Nbd.OPT_LIST_META_CONTEXT, OptionCodec.encodeMeta("disk"));
            assertEquals(List.of("base:allocation", "x-triage:class"), contextNames(c.optReplies(), true));
            c.option(Nbd.OPT_LIST_META_CONTEXT, OptionCodec.encodeMeta("disk", "x-triage:", "qemu:dirty-bitmap:x"));
            assertEquals(List.of("x-triage:class"), contextNames(c.optReplies(), true));
            c.ack(Nbd.OPT_STRUCTURED_REPLY);
            // SET: base: alone is ignored, unknown names ignored.
            c.option(Nbd.OPT_SET_META_CONTEXT, OptionCodec.encodeMeta("disk", "base:", "nope:x", "base:allocation", "x-triage:class"));
            List<OptReply> rs = c.optReplies();
            assertEquals(List.of("base:allocation", "x-triage:class"), contextNames(rs, false));
            c.option(Nbd.OPT_SET_META_CONTEXT, OptionCodec.encodeMeta("nope", "base:allocation"));
            assertEquals(Nbd.REP_ERR_UNKNOWN, c.optReply().type());
            c.option(Nbd.OPT_SET_META_CONTEXT, new byte[] {0, 0, 0, 4, 'd', 'i', 's', 'k', 0, 0, 0, 1, 0, 0, 0, 99});
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
        }
    }

    private static List<String> contextNames(List<OptReply> rs, boolean idZero) {
        List<String> names = new ArrayList<>();
        for (OptReply r : rs) {
            if (r.type() == Nbd.REP_META_CONTEXT) {
                int id = r.buf().getInt(0);
                assertTrue(idZero ? id == 0 : id != 0);
                names.add(new String(r.data(), 4, r.data().length - 4, StandardCharsets.UTF_8));
            } else {
                assertEquals(Nbd.REP_ACK, r.type());
            }
        }
        return names;
    }

    @Test
    void unknownOptionsAreUnsupportedAndTheSessionStaysInSync() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.option(Nbd.OPT_PEEK_EXPORT, new byte[0]);
            assertEquals(Nbd.REP_ERR_UNSUP, c.optReply().type());
            c.option(12345, new byte[300]);
            OptReply r = c.optReply();
            assertEquals(Nbd.REP_ERR_UNSUP, r.type());
            assertEquals(12345, r.option());
            c.option(Nbd.OPT_STARTTLS, new byte[0]);
            assertEquals(Nbd.REP_ERR_POLICY, c.optReply().type(), "NOTLS server");
            assertTrue(c.go("disk") > 0);
        }
    }

    @Test
    void extendedHeadersAndHints() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.ack(Nbd.OPT_EXTENDED_HEADERS);
            c.option(Nbd.OPT_EXTENDED_HEADERS, new byte[0]);
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
            c.option(Nbd.OPT_STRUCTURED_REPLY, new byte[0]);
            assertEquals(Nbd.REP_ERR_EXT_HEADER_REQD, c.optReply().type());
            c.ack(Nbd.OPT_X_TRIAGE_HINTS);
            c.option(Nbd.OPT_X_TRIAGE_HINTS, new byte[] {1});
            assertEquals(Nbd.REP_ERR_INVALID, c.optReply().type());
            c.go("disk");
        }
    }

    @Test
    void violationsDisconnect() throws IOException {
        try (RawClient c = server.unixClient()) {
            c.greet(0x80);
            assertTrue(c.closedByServer(), "unknown client flag");
        }
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.out.writeLong(0x1234);
            c.out.writeInt(Nbd.OPT_GO);
            c.out.writeInt(0);
            c.out.flush();
            assertTrue(c.closedByServer(), "bad option magic");
        }
        try (RawClient c = server.unixClient()) {
            c.greet(0);
            c.option(Nbd.OPT_LIST, new byte[0]);
            assertTrue(c.closedByServer(), "non-fixed newstyle client sent an option other than EXPORT_NAME");
        }
        try (RawClient c = server.unixClient()) {
            c.greet();
            c.out.writeLong(Nbd.IHAVEOPT);
            c.out.writeInt(Nbd.OPT_GO);
            c.out.writeInt(Integer.MAX_VALUE);
            c.out.flush();
            assertTrue(c.closedByServer(), "option length over the limit");
        }
    }
}
