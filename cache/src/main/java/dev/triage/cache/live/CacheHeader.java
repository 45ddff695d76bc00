package dev.triage.cache.live;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The fast device's header (two alternating copies of one 4 KiB page): magic, version,
 * geometry, identity, the cache mode, and the class-name table that gives stored class codes
 * their names across restarts. Little-endian; crc32c of bytes [0, 4092) at 4092.
 */
record CacheHeader(long seq, UUID uuid, CacheGeometry geometry, CacheMode mode, List<String> classNames) {
    static final long MAGIC = 0x3143454741495254L; // "TRIAGEC1" little-endian
    static final int VERSION = 1;
    static final int CRC_AT = CacheGeometry.PAGE - 4;

    ByteBuffer encode(ByteBuffer b) {
        b.clear().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < CacheGeometry.PAGE; i++) {
            b.put(i, (byte) 0);
        }
        b.putLong(0, MAGIC);
        b.putInt(8, VERSION);
        b.putInt(12, geometry.blockSize());
        b.putInt(16, geometry.slots());
        b.putInt(20, geometry.pages());
        b.putLong(24, geometry.dataStart());
        b.putLong(32, seq);
        b.putLong(40, uuid.getMostSignificantBits());
        b.putLong(48, uuid.getLeastSignificantBits());
        b.putInt(56, mode.ordinal());
        int pos = 64;
        b.putShort(60, (short) classNames.size());
        for (String n : classNames) {
            byte[] bytes = n.getBytes(StandardCharsets.US_ASCII);
            if (pos + 1 + bytes.length > CRC_AT) {
                throw new IllegalStateException("too many class names for the cache header");
            }
            b.put(pos++, (byte) bytes.length);
            b.put(pos, bytes);
            pos += bytes.length;
        }
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, CRC_AT));
        b.putInt(CRC_AT, (int) crc.getValue());
        return b.position(0).limit(CacheGeometry.PAGE);
    }

    /** True when the class names still fit one header page. */
    static boolean fits(List<String> names) {
        int n = 64;
        for (String s : names) {
            n += 1 + s.length();
        }
        return n <= CRC_AT;
    }

    /** Decodes a header copy, or null when it is not a valid one. */
    static CacheHeader decode(ByteBuffer b) {
        b.order(ByteOrder.LITTLE_ENDIAN);
        if (b.getLong(0) != MAGIC || b.getInt(8) != VERSION) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(b.slice(0, CRC_AT));
        if (b.getInt(CRC_AT) != (int) crc.getValue()) {
            return null;
        }
        int modeOrdinal = b.getInt(56);
        int count = b.getShort(60) & 0xffff;
        if (modeOrdinal < 0 || modeOrdinal >= CacheMode.values().length) {
            return null;
        }
        List<String> names = new ArrayList<>();
        int pos = 64;
        for (int i = 0; i < count; i++) {
            if (pos >= CRC_AT) {
                return null;
            }
            int len = b.get(pos++) & 0xff;
            if (pos + len > CRC_AT) {
                return null;
            }
            byte[] bytes = new byte[len];
            b.get(pos, bytes);
            pos += len;
            names.add(new String(bytes, StandardCharsets.US_ASCII));
        }
        CacheGeometry g = new CacheGeometry(b.getInt(12), b.getInt(16), b.getInt(20), b.getLong(24));
        return new CacheHeader(b.getLong(32), new UUID(b.getLong(40), b.getLong(48)), g,
                CacheMode.values()[modeOrdinal], names);
    }
}
