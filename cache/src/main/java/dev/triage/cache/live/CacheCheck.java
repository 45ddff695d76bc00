package dev.triage.cache.live;

import dev.triage.device.BlockDevice;
import dev.triage.device.Buffers;
import dev.triage.cache.replay.TouchExpander;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.zip.CRC32C;

/**
 * Checks the metadata of a cache device without opening it: the header copies, every table
 * page's copies (checksums), the entries (states, class codes, duplicate keys, lines of volumes
 * that no longer exist) and, optionally, every line's data against its checksum. Errors are
 * damage or broken invariants; warnings are states a crash leaves that the next open resolves
 * (duplicates of a torn commit, clean lines whose slot was reused, lines of deleted volumes).
 * Reads only.
 */
public final class CacheCheck {

    /** What a check found. */
    public record Report(List<String> errors, List<String> warnings, long lines, long dirtyLines, int pages,
            int slots) {
        public boolean clean() {
            return errors.isEmpty() && warnings.isEmpty();
        }
    }

    private static final int MAX_MESSAGES = 50;

    private CacheCheck() {
    }

    /**
     * Checks the cache on {@code fast}; {@code knownVolume} says which volume ids exist (lines of
     * others are reported); {@code verifyData} reads every line.
     */
    public static Report check(BlockDevice fast, IntPredicate knownVolume, boolean verifyData) throws IOException {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        CacheHeader h = LiveCache.readHeader(fast);
        if (h == null) {
            errors.add(fast.describe() + ": no valid cache header (neither copy has the magic and a good checksum)");
            return new Report(errors, warnings, 0, 0, 0, 0);
        }
        CacheGeometry g = h.geometry();
        if (g.dataStart() + (long) g.slots() * g.blockSize() > fast.size() || g.pages() * 126L < g.slots()) {
            errors.add("header: geometry " + g + " does not fit the device of " + fast.size() + " bytes");
            return new Report(errors, warnings, 0, 0, 0, 0);
        }
        int align = Math.max(4096, fast.alignment());
        ByteBuffer page = Buffers.allocateAligned(CacheGeometry.PAGE, align).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer data = Buffers.allocateAligned(g.blockSize(), align);
        CRC32C crc = new CRC32C();
        long[] keyOf = new long[g.slots()];
        long[] seqOf = new long[g.slots()];
        int[] crcOf = new int[g.slots()];
        byte[] stateOf = new byte[g.slots()];
        java.util.HashMap<Long, Integer> seen = new java.util.HashMap<>();
        long lines = 0;
        long dirty = 0;
        for (int p = 0; p < g.pages(); p++) {
            long bestSeq = -1;
            int bestCopy = -1;
            int valid = 0;
            for (int copy = 0; copy < 2; copy++) {
                page.clear();
                fast.read(g.pageOffset(p, copy), page);
                long s = pageSeq(page, p, crc);
                if (s >= 0) {
                    valid++;
                    if (s > bestSeq) {
                        bestSeq = s;
                        bestCopy = copy;
                    }
                }
            }
            if (bestCopy < 0) {
                add(errors, "table page " + p + ": neither copy is valid (its " + CacheGeometry.ENTRIES_PER_PAGE
                        + " entries are lost)");
                continue;
            }
            if (valid == 1) {
                add(warnings, "table page " + p + ": one copy is torn (the last commit was interrupted)");
            }
            page.clear();
            fast.read(g.pageOffset(p, bestCopy), page);
            int first = p * CacheGeometry.ENTRIES_PER_PAGE;
            for (int i = 0; i < CacheGeometry.ENTRIES_PER_PAGE && first + i < g.slots(); i++) {
                int at = CacheGeometry.PAGE_HEADER + i * CacheGeometry.ENTRY_BYTES;
                int s = first + i;
                byte st = page.get(at + 18);
                if (st == LiveCache.EMPTY) {
                    continue;
                }
                if (st != LiveCache.CLEAN && st != LiveCache.DIRTY) {
                    add(errors, "slot " + s + ": unknown state " + st);
                    continue;
                }
                long k = page.getLong(at);
                int code = page.getShort(at + 16) & 0xffff;
                long entrySeq = page.getLong(at + 24);
                int volume = (int) ((k >>> TouchExpander.BLOCK_BITS) - 1);
                long block = k & ((1L << TouchExpander.BLOCK_BITS) - 1);
                if (code >= h.classNames().size()) {
                    add(errors, "slot " + s + ": class code " + code + " not in the header's " + h.classNames().size()
                            + " class names");
                }
                if (entrySeq > bestSeq) {
                    add(errors, "slot " + s + ": entry commit " + entrySeq + " newer than its page's " + bestSeq);
                }
                if (volume < 0 || !knownVolume.test(volume)) {
                    add(warnings, "slot " + s + ": a " + (st == LiveCache.DIRTY ? "dirty" : "clean") + " line of volume "
                            + volume + ", which does not exist (dropped at the next open)");
                }
                Integer other = seen.put(k, s);
                if (other != null) {
                    add(warnings, "block " + block + " of volume " + volume + " is in slots " + other + " and " + s
                            + " (a torn commit; the newer one wins at the next open)");
                }
                keyOf[s] = k;
                seqOf[s] = entrySeq;
                crcOf[s] = page.getInt(at + 8);
                stateOf[s] = st;
                lines++;
                if (st == LiveCache.DIRTY) {
                    dirty++;
                }
            }
        }
        if (verifyData) {
            ByteBuffer kb = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            long staleClean = 0;
            for (int s = 0; s < g.slots(); s++) {
                if (stateOf[s] == LiveCache.EMPTY) {
                    continue;
                }
                data.clear();
                fast.read(g.slotOffset(s), data);
                crc.reset();
                kb.putLong(0, keyOf[s]);
                crc.update(kb.array(), 0, 8);
                crc.update(data.clear());
                if ((int) crc.getValue() != crcOf[s]) {
                    int volume = (int) ((keyOf[s] >>> TouchExpander.BLOCK_BITS) - 1);
                    long block = keyOf[s] & ((1L << TouchExpander.BLOCK_BITS) - 1);
                    if (stateOf[s] == LiveCache.DIRTY) {
                        add(errors, "slot " + s + ": dirty line of block " + block + " of volume " + volume
                                + " fails its checksum (data not on the slow device is lost)");
                    } else {
                        staleClean++;
                    }
                }
            }
            if (staleClean > 0) {
                add(warnings, staleClean + " clean lines fail their checksum (slots rewritten before a crash;"
                        + " each is dropped on its first read)");
            }
        }
        return new Report(errors, warnings, lines, dirty, g.pages(), g.slots());
    }

    private static long pageSeq(ByteBuffer b, int p, CRC32C crc) {
        if (b.getInt(0) != 0x544c5354 || b.getInt(4) != p) {
            return -1;
        }
        crc.reset();
        crc.update(b.slice(0, CacheGeometry.PAGE - 4));
        return b.getInt(CacheGeometry.PAGE - 4) == (int) crc.getValue() ? b.getLong(8) : -1;
    }

    private static void add(List<String> list, String message) {
        if (list.size() < MAX_MESSAGES) {
            list.add(message);
        } else if (list.size() == MAX_MESSAGES) {
            list.add("... (more not shown)");
        }
    }
}
