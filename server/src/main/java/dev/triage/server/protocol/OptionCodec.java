package dev.triage.server.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the payloads of handshake options ({@code NBD_OPT_INFO}/{@code GO} and
 * {@code NBD_OPT_LIST_/SET_META_CONTEXT}) strictly: any inconsistency of lengths, a string
 * over 4096 bytes, invalid UTF-8 or a NUL is an {@link InvalidOption} (answered with
 * {@code NBD_REP_ERR_INVALID} or {@code NBD_REP_ERR_TOO_BIG}).
 */
public final class OptionCodec {
    private OptionCodec() {
    }

    /** A malformed option payload; {@link #replyType} is the error reply to send. */
    public static final class InvalidOption extends Exception {
        private final int replyType;

        public InvalidOption(int replyType, String message) {
            super(message, null, false, false);
            this.replyType = replyType;
        }

        public int replyType() {
            return replyType;
        }
    }

    /** {@code NBD_OPT_INFO}/{@code GO}: the export name and the info types asked for. */
    public record InfoRequest(String exportName, int[] infoTypes) {
    }

    /** {@code NBD_OPT_*_META_CONTEXT}: the export name and the queries. */
    public record MetaRequest(String exportName, List<String> queries) {
    }

    public static InfoRequest parseInfo(byte[] data) throws InvalidOption {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (b.remaining() < 6) {
            throw new InvalidOption(Nbd.REP_ERR_INVALID, "INFO/GO payload shorter than 6 bytes");
        }
        long nameLen = b.getInt() & 0xffffffffL;
        if (nameLen > data.length - 6L) {
            throw new InvalidOption(Nbd.REP_ERR_INVALID, "export name length " + nameLen + " past the payload");
        }
        String name = string(b, (int) nameLen, "export name");
        int n = b.getShort() & 0xffff;
        if (b.remaining() != 2 * n) {
            throw new InvalidOption(Nbd.REP_ERR_INVALID, "INFO/GO: " + n + " info requests but " + b.remaining() + " bytes");
        }
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = b.getShort() & 0xffff;
        }
        return new InfoRequest(name, types);
    }

    public static MetaRequest parseMeta(byte[] data) throws InvalidOption {
        ByteBuffer b = ByteBuffer.wrap(data);
        if (b.remaining() < 8) {
            throw new InvalidOption(Nbd.REP_ERR_INVALID, "META_CONTEXT payload shorter than 8 bytes");
        }
        long nameLen = b.getInt() & 0xffffffffL;
        if (nameLen > b.remaining() - 4L) {
            throw new InvalidOption(Nbd.REP_ERR_INVALID, "export name length " + nameLen + " past the payload");
        }
        String name = string(b, (int) nameLen, "export name");
        long n = b.getInt() & 0xffffffffL;
        if (n > b.remaining() / 4) {
            throw new InvalidOption(Nbd.REP_ERR_INVALID, n + " queries cannot fit in " + b.remaining() + " bytes");
        }
        if (n > 128) {
            throw new InvalidOption(Nbd.REP_ERR_TOO_BIG, "too many queries: " + n);
        }
        List<String> queries = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) {
            if (b.remaining() < 4) {
                throw new InvalidOption(Nbd.REP_ERR_INVALID, "query " + i + ": length missing");
            }
            long qLen = b.getInt() & 0xffffffffL;
            if (qLen > b.remaining()) {
                throw new InvalidOption(Nbd.REP_ERR_INVALID, "query " + i + ": length " + qLen + " past the payload");
            }
            queries.add(string(b, (int) qLen, "query"));
        }
        if (b.hasRemaining()) {
            throw new InvalidOption(Nbd.REP_ERR_INVALID, b.remaining() + " bytes after the last query");
        }
        return new MetaRequest(name, queries);
    }

    private static String string(ByteBuffer b, int len, String what) throws InvalidOption {
        if (len > Nbd.MAX_STRING) {
            throw new InvalidOption(Nbd.REP_ERR_TOO_BIG, what + " longer than 4096 bytes");
        }
        ByteBuffer s = b.slice(b.position(), len);
        b.position(b.position() + len);
        try {
            String v = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(s).toString();
            if (v.indexOf('\0') >= 0) {
                throw new InvalidOption(Nbd.REP_ERR_INVALID, what + " contains NUL");
            }
            return v;
        } catch (CharacterCodingException e) {
            throw new InvalidOption(Nbd.REP_ERR_INVALID, what + " is not UTF-8");
        }
    }

    /** Encodes an INFO/GO payload (for clients and tests). */
    public static byte[] encodeInfo(String exportName, int... infoTypes) {
        byte[] n = exportName.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + 2 + 2 * infoTypes.length);
        b.putInt(n.length).put(n).putShort((short) infoTypes.length);
        for (int t : infoTypes) {
            b.putShort((short) t);
        }
        return b.array();
    }

    /** Encodes a META_CONTEXT payload (for clients and tests). */
    public static byte[] encodeMeta(String exportName, String... queries) {
        byte[] n = exportName.getBytes(StandardCharsets.UTF_8);
        int size = 4 + n.length + 4;
        for (String q : queries) {
            size += 4 + q.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(n.length).put(n).putInt(queries.length);
        for (String q : queries) {
            byte[] qb = q.getBytes(StandardCharsets.UTF_8);
            b.putInt(qb.length).put(qb);
        }
        return b.array();
    }
}
