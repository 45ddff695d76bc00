package dev.triage.server.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Wire layouts of requests, replies and option payloads, against the byte offsets of proto.md. */
class CodecTest {

    @Property
    void requestsRoundTrip(@ForAll boolean ext, @ForAll @IntRange(max = 0xffff) int flags,
            @ForAll @IntRange(max = 0xffff) int type, @ForAll long cookie, @ForAll long offset, @ForAll long length) {
        ByteBuffer b = ByteBuffer.allocate(32);
        long len = ext ? length : length & 0xffffffffL;
        Request.encode(b, ext, flags, type, cookie, offset, len);
        assertEquals(Request.headerSize(ext), b.position());
        b.flip();
        Request r = new Request();
        assertTrue(r.decode(b, ext));
        assertEquals(flags, r.flags);
        assertEquals(type, r.type);
        assertEquals(cookie, r.cookie);
        assertEquals(offset, r.offset);
        assertEquals(len, r.length);
        assertFalse(new Request().decode(b, !ext), "a compact magic is not an extended one, and back");
    }

    @Test
    void compactRequestLayout() {
        ByteBuffer b = ByteBuffer.allocate(28);
        Request.encode(b, false, 0x0001, Nbd.CMD_WRITE, 0x0102030405060708L, 0x1000, 0x200);
        assertArrayEquals(new byte[] {0x25, 0x60, (byte) 0x95, 0x13, 0, 1, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8,
            0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 2, 0}, b.array());
    }

    @Test
    void simpleStructuredAndExtendedReplyLayouts() {
        ByteBuffer b = ByteBuffer.allocate(64);
        ReplyEncoder.simple(b, Nbd.EINVAL, 9);
        assertEquals(16, b.position());
        assertEquals(Nbd.SIMPLE_REPLY_MAGIC, b.getInt(0));
        assertEquals(22, b.getInt(4));
        assertEquals(9, b.getLong(8));

        b.clear();
        ReplyEncoder.chunk(b, false, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_OFFSET_DATA, 7, 4096, 520);
        assertEquals(20, b.position());
        assertEquals(ReplyEncoder.chunkHeaderSize(false), b.position());
        assertEquals(Nbd.STRUCTURED_REPLY_MAGIC, b.getInt(0));
        assertEquals(1, b.getShort(4));
        assertEquals(1, b.getShort(6));
        assertEquals(7, b.getLong(8));
        assertEquals(520, b.getInt(16));

        b.clear();
        ReplyEncoder.chunk(b, true, Nbd.REPLY_FLAG_DONE, Nbd.REPLY_TYPE_BLOCK_STATUS_EXT, 7, 4096, 1L << 33);
        assertEquals(32, b.position());
        assertEquals(Nbd.EXTENDED_REPLY_MAGIC, b.getInt(0));
        assertEquals(6, b.getShort(6));
        assertEquals(4096, b.getLong(16), "extended replies echo the request offset");
        assertEquals(1L << 33, b.getLong(24));

        b.clear();
        ReplyEncoder.errorChunk(b, false, 3, 0, Nbd.ENOSPC, "full".getBytes());
        assertEquals(20 + 6 + 4, b.position());
        assertEquals((short) 0x8001, b.getShort(6));
        assertEquals(10, b.getInt(16));
        assertEquals(28, b.getInt(20));
        assertEquals(4, b.getShort(24));

        b.clear();
        ReplyEncoder.optionReply(b, Nbd.OPT_GO, Nbd.REP_ERR_UNKNOWN, 5);
        assertEquals(20, b.position());
        assertEquals(Nbd.OPTION_REPLY_MAGIC, b.getLong(0));
        assertEquals(7, b.getInt(8));
        assertEquals(0x80000006, b.getInt(12));
        assertEquals(5, b.getInt(16));
    }

    @Property
    void infoRequestsRoundTrip(@ForAll @StringLength(max = 300) String name, @ForAll @Size(max = 20) List<@IntRange(max = 0xffff) Integer> types)
            throws Exception {
        net.jqwik.api.Assume.that(name.indexOf('\0') < 0 && !hasSurrogateProblem(name));
        int[] t = types.stream().mapToInt(Integer::intValue).toArray();
        OptionCodec.InfoRequest r = OptionCodec.parseInfo(OptionCodec.encodeInfo(name, t));
        assertEquals(name, r.exportName());
        assertArrayEquals(t, r.infoTypes());
    }

    @Property
    void metaRequestsRoundTrip(@ForAll @StringLength(max = 100) String name,
            @ForAll @Size(max = 10) List<@StringLength(max = 60) String> queries) throws Exception {
        net.jqwik.api.Assume.that(name.indexOf('\0') < 0 && !hasSurrogateProblem(name)
                && queries.stream().allMatch(q -> q.indexOf('\0') < 0 && !hasSurrogateProblem(q)));
        OptionCodec.MetaRequest r = OptionCodec.parseMeta(OptionCodec.encodeMeta(name, queries.toArray(new String[0])));
        assertEquals(name, r.exportName());
        assertEquals(queries, r.queries());
    }

    private static boolean hasSurrogateProblem(String s) {
        return !new String(s.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8).equals(s);
    }

    @Property
    void truncatedOrPaddedPayloadsAreInvalid(@ForAll @IntRange(min = 1, max = 8) int cut) {
        byte[] info = OptionCodec.encodeInfo("disk", 1, 3);
        byte[] shorter = java.util.Arrays.copyOf(info, Math.max(0, info.length - cut));
        assertThrows(OptionCodec.InvalidOption.class, () -> OptionCodec.parseInfo(shorter));
        byte[] meta = OptionCodec.encodeMeta("disk", "base:allocation");
        assertThrows(OptionCodec.InvalidOption.class, () -> OptionCodec.parseMeta(java.util.Arrays.copyOf(meta, meta.length - cut)));
        assertThrows(OptionCodec.InvalidOption.class, () -> OptionCodec.parseMeta(java.util.Arrays.copyOf(meta, meta.length + cut)));
    }

    @Test
    void stringsOverTheLimitNulAndBadUtf8AreRejected() {
        OptionCodec.InvalidOption big = assertThrows(OptionCodec.InvalidOption.class,
                () -> OptionCodec.parseInfo(OptionCodec.encodeInfo("x".repeat(4097))));
        assertEquals(Nbd.REP_ERR_TOO_BIG, big.replyType());
        assertEquals(Nbd.REP_ERR_INVALID, assertThrows(OptionCodec.InvalidOption.class,
                () -> OptionCodec.parseInfo(OptionCodec.encodeInfo("a\0b"))).replyType());
        byte[] bad = {0, 0, 0, 2, (byte) 0xc3, (byte) 0x28, 0, 0};
        assertEquals(Nbd.REP_ERR_INVALID, assertThrows(OptionCodec.InvalidOption.class, () -> OptionCodec.parseInfo(bad)).replyType());
        byte[] manyQueries = {0, 0, 0, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertEquals(Nbd.REP_ERR_INVALID, assertThrows(OptionCodec.InvalidOption.class,
                () -> OptionCodec.parseMeta(manyQueries)).replyType());
    }
}
