package dev.triage.placement;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The constants and byte-level helpers of the on-disk pool format (docs/on-disk-layout.md):
 * the block size, the metadata page header and its CRC32C.
 */
final class PoolFormat {
    private PoolFormat() {
    }

    /** The pool's block size: the unit of allocation, mapping and metadata pages. */
    static final int BLOCK = 4096;
    static final int BLOCK_SHIFT = 12;

    /** Superblock magic, the first 8 bytes of a superblock ("TRIAGEPL" in ASCII). */
    static final long SB_MAGIC = 0x4c50454741495254L;
    static final int VERSION = 1;

    /** Metadata page magic ("TPMG" read as a little-endian u32). */
    static final int PAGE_MAGIC = 0x474d5054;
    static final int PAGE_CATALOGUE = 1;
    static final int PAGE_INTERNAL = 2;
    static final int PAGE_LEAF = 3;

    /** The metadata page header: see the layout doc for each field. */
    static final int HEADER = 64;
    static final int H_MAGIC = 0;
    static final int H_TYPE = 4;
    static final int H_LEVEL = 6;
    static final int H_POOL = 8;
    static final int H_GENERATION = 16;
    static final int H_VOLUME = 24;
    static final int H_COUNT = 28;
    static final int H_FIRST = 32;
    static final int H_NEXT = 40;
    static final int H_LENGTH = 48;
    static final int H_CRC = 60;

    /** Entries per map page (leaf or internal): 8 bytes each after the header. */
    static final int FANOUT = (BLOCK - HEADER) / 8;
    /** Catalogue payload bytes per catalogue page. */
    static final int CATALOGUE_PAYLOAD = BLOCK - HEADER;

    /** Leaf entry: physical block in bits 0..39, class code in bits 40..47. 0 = unmapped. */
    static final long PHYS_MASK = (1L << 40) - 1;

    static final int SB_CRC = BLOCK - 4;
    static final int MAX_ZONES = 64;
    static final int ZONE_NAME_BYTES = 32;
    static final int MAX_VOLUME_NAME_BYTES = 64;
    static final int MAX_CLASSES = 255;

    static ByteBuffer newPage() {
        return newBuffer(BLOCK);
    }

    static ByteBuffer newBuffer(int bytes) {
        ByteBuffer a = ByteBuffer.allocateDirect(bytes + BLOCK).alignedSlice(BLOCK);
        return a.slice(0, bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** CRC32C of a page with its CRC field taken as zero. */
    static int pageCrc(ByteBuffer page, int crcOffset) {
        CRC32C crc = new CRC32C();
        ByteBuffer a = page.duplicate().position(0).limit(crcOffset);
        crc.update(a);
        crc.update(new byte[4], 0, 4);
        ByteBuffer b = page.duplicate().position(crcOffset + 4).limit(BLOCK);
        crc.update(b);
        return (int) crc.getValue();
    }

    static void sealPage(ByteBuffer page, int crcOffset) {
        page.putInt(crcOffset, 0);
        page.putInt(crcOffset, pageCrc(page, crcOffset));
    }

    static boolean crcOk(ByteBuffer page, int crcOffset) {
        return page.getInt(crcOffset) == pageCrc(page, crcOffset);
    }

    static long phys(long entry) {
        return entry & PHYS_MASK;
    }

    static int classCode(long entry) {
        return (int) ((entry >>> 40) & 0xff);
    }

    static long entry(long phys, int classCode) {
        return (phys & PHYS_MASK) | ((long) (classCode & 0xff) << 40);
    }

    static void clear(ByteBuffer page) {
        for (int i = 0; i < BLOCK; i += 8) {
            page.putLong(i, 0);
        }
    }
}
