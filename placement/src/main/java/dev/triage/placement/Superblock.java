package dev.triage.placement;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The pool's superblock: geometry, zone table and the pointer to the current catalogue. Two
 * slots at blocks 0 and 1 with a copy of each in the device's last two blocks; commit
 * {@code g} writes slot {@code g % 2} (and its copy), so the previous commit's slot survives a
 * torn write. The newest slot with a valid CRC32C is the pool's state.
 */
record Superblock(
        UUID uuid, long generation, long deviceBlocks, long metaStart, long metaBlocks,
        long dataStart, long dataEnd, long catalogue, int catalogueBytes, int defaultZone, List<Zone> zones) {

    static final int O_MAGIC = 0;
    static final int O_VERSION = 8;
    static final int O_BLOCK = 12;
    static final int O_UUID = 16;
    static final int O_GENERATION = 32;
    static final int O_DEVICE_BLOCKS = 40;
    static final int O_META_START = 48;
    static final int O_META_BLOCKS = 56;
    static final int O_DATA_START = 64;
    static final int O_DATA_END = 72;
    static final int O_CATALOGUE = 80;
    static final int O_CATALOGUE_BYTES = 88;
    static final int O_SLOT = 92;
    static final int O_ZONE_COUNT = 96;
    static final int O_DEFAULT_ZONE = 100;
    static final int O_ZONES = 104;
    static final int ZONE_ENTRY = 48;

    /** Identifies the pool in every metadata page (so pages of an older pool are rejected). */
    long poolId() {
        return uuid.getMostSignificantBits() ^ Long.rotateLeft(uuid.getLeastSignificantBits(), 17);
    }

    Superblock withCommit(long gen, long catalogueAddr, int catBytes) {
        return new Superblock(uuid, gen, deviceBlocks, metaStart, metaBlocks, dataStart, dataEnd,
                catalogueAddr, catBytes, defaultZone, zones);
    }

    int slot() {
        return (int) (generation & 1);
    }

    void encode(ByteBuffer b) {
        PoolFormat.clear(b);
        b.putLong(O_MAGIC, PoolFormat.SB_MAGIC);
        b.putInt(O_VERSION, PoolFormat.VERSION);
        b.putInt(O_BLOCK, PoolFormat.BLOCK);
        b.putLong(O_UUID, uuid.getMostSignificantBits());
        b.putLong(O_UUID + 8, uuid.getLeastSignificantBits());
        b.putLong(O_GENERATION, generation);
        b.putLong(O_DEVICE_BLOCKS, deviceBlocks);
        b.putLong(O_META_START, metaStart);
        b.putLong(O_META_BLOCKS, metaBlocks);
        b.putLong(O_DATA_START, dataStart);
        b.putLong(O_DATA_END, dataEnd);
        b.putLong(O_CATALOGUE, catalogue);
        b.putInt(O_CATALOGUE_BYTES, catalogueBytes);
        b.putInt(O_SLOT, slot());
        b.putInt(O_ZONE_COUNT, zones.size());
        b.putInt(O_DEFAULT_ZONE, defaultZone);
        for (int i = 0; i < zones.size(); i++) {
            int o = O_ZONES + i * ZONE_ENTRY;
            byte[] name = zones.get(i).name().getBytes(StandardCharsets.UTF_8);
            for (int j = 0; j < name.length; j++) {
                b.put(o + j, name[j]);
            }
            b.putLong(o + 32, zones.get(i).start());
            b.putLong(o + 40, zones.get(i).end());
        }
        PoolFormat.sealPage(b, PoolFormat.SB_CRC);
    }

    /**
     * Decodes a superblock, or returns null with the reason in {@code why[0]} when the block is
     * not a valid superblock.
     */
    static Superblock decode(ByteBuffer b, String[] why) {
        if (b.getLong(O_MAGIC) != PoolFormat.SB_MAGIC) {
            why[0] = "no pool magic";
            return null;
        }
        if (!PoolFormat.crcOk(b, PoolFormat.SB_CRC)) {
            why[0] = "checksum mismatch";
            return null;
        }
        if (b.getInt(O_VERSION) != PoolFormat.VERSION || b.getInt(O_BLOCK) != PoolFormat.BLOCK) {
            why[0] = "unsupported version " + b.getInt(O_VERSION) + " or block size " + b.getInt(O_BLOCK);
            return null;
        }
        int nz = b.getInt(O_ZONE_COUNT);
        if (nz < 1 || nz > PoolFormat.MAX_ZONES) {
            why[0] = "zone count " + nz + " out of range";
            return null;
        }
        List<Zone> zones = new ArrayList<>(nz);
        try {
            for (int i = 0; i < nz; i++) {
                int o = O_ZONES + i * ZONE_ENTRY;
                int len = 0;
                while (len < PoolFormat.ZONE_NAME_BYTES && b.get(o + len) != 0) {
                    len++;
                }
                byte[] name = new byte[len];
                b.get(o, name);
                zones.add(new Zone(new String(name, StandardCharsets.UTF_8), b.getLong(o + 32), b.getLong(o + 40)));
            }
        } catch (IllegalArgumentException e) {
            why[0] = "bad zone table: " + e.getMessage();
            return null;
        }
        int dz = b.getInt(O_DEFAULT_ZONE);
        if (dz < 0 || dz >= nz) {
            why[0] = "default zone " + dz + " out of range";
            return null;
        }
        Superblock sb = new Superblock(new UUID(b.getLong(O_UUID), b.getLong(O_UUID + 8)), b.getLong(O_GENERATION),
                b.getLong(O_DEVICE_BLOCKS), b.getLong(O_META_START), b.getLong(O_META_BLOCKS),
                b.getLong(O_DATA_START), b.getLong(O_DATA_END), b.getLong(O_CATALOGUE),
                b.getInt(O_CATALOGUE_BYTES), dz, List.copyOf(zones));
        String geometry = sb.geometryProblem();
        if (geometry != null) {
            why[0] = geometry;
            return null;
        }
        if (b.getInt(O_SLOT) != sb.slot()) {
            why[0] = "slot field " + b.getInt(O_SLOT) + " does not match generation " + sb.generation;
            return null;
        }
        return sb;
    }

    /** A description of what is inconsistent in the geometry, or null. */
    String geometryProblem() {
        if (metaStart != 2 || metaBlocks < 4 || dataStart < metaStart + metaBlocks || dataEnd > deviceBlocks - 2
                || dataEnd <= dataStart) {
            return "inconsistent geometry: meta [" + metaStart + "+" + metaBlocks + "), data [" + dataStart + ", "
                    + dataEnd + "), device " + deviceBlocks + " blocks";
        }
        if (catalogue != 0 && (catalogue < metaStart || catalogue >= metaStart + metaBlocks)) {
            return "catalogue pointer " + catalogue + " outside the metadata area";
        }
        for (int i = 0; i < zones.size(); i++) {
            Zone z = zones.get(i);
            if (z.start() < dataStart || z.end() > dataEnd) {
                return "zone " + z.name() + " [" + z.start() + ", " + z.end() + ") outside the data area";
            }
            for (int j = 0; j < i; j++) {
                Zone o = zones.get(j);
                if (z.start() < o.end() && o.start() < z.end()) {
                    return "zones " + o.name() + " and " + z.name() + " overlap";
                }
                if (o.name().equals(z.name())) {
                    return "zone name " + z.name() + " appears twice";
                }
            }
        }
        return null;
    }

    /** The zone index that holds a block, or -1. */
    int zoneOf(long block) {
        for (int i = 0; i < zones.size(); i++) {
            if (zones.get(i).contains(block)) {
                return i;
            }
        }
        return -1;
    }

    /** The four block addresses of the superblock copies: slot 0, slot 1, copy of 0, copy of 1. */
    long[] copies() {
        return new long[] {0, 1, deviceBlocks - 2, deviceBlocks - 1};
    }
}
