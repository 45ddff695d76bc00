package dev.triage.hints.ext4;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Lists the entries of an ext4 directory: every block the {@link Ext4Image} says the directory
 * owns is parsed as linear {@code ext4_dir_entry_2} records (htree index blocks hold one empty
 * record spanning the block, so they read as empty). Bounded for hostile images: at most
 * {@code maxEntries} entries and {@code maxBlocks} blocks; a record whose length is not a
 * multiple of 4, below 12 or past the block ends that block.
 */
public final class DirectoryReader {
    /** One directory entry: the inode it names (never 0), its file type code, its name. */
    public record Entry(long inode, int fileType, String name) {}

    private DirectoryReader() {}

    /**
     * The entries of directory {@code inode} (without {@code .} and {@code ..}), or an empty
     * list when it is not an in-use directory.
     */
    public static List<Entry> list(Ext4Source source, Ext4Image image, long inode, int maxEntries, int maxBlocks)
            throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!image.inodes().isDirectory(inode)) {
            return out;
        }
        int bs = image.blockSize();
        BlockClassMap map = image.blocks();
        ByteBuffer block = ByteBuffer.allocate(bs).order(ByteOrder.LITTLE_ENDIAN);
        int blocks = 0;
        for (int r = 0; r < map.rangeCount() && out.size() < maxEntries; r++) {
            if (map.rangeClass(r) != Ext4Class.DIRECTORY || Integer.toUnsignedLong(map.rangeOwner(r)) != inode) {
                continue;
            }
            for (long b = map.rangeStart(r); b < map.rangeEnd(r) && out.size() < maxEntries; b++) {
                if (++blocks > maxBlocks) {
                    return out;
                }
                block.clear();
                source.read(b * bs, block);
                parse(block, bs, out, maxEntries);
            }
        }
        return out;
    }

    private static void parse(ByteBuffer b, int bs, List<Entry> out, int maxEntries) {
        int at = 0;
        while (at + 8 <= bs && out.size() < maxEntries) {
            long ino = b.getInt(at) & 0xffffffffL;
            int recLen = b.getShort(at + 4) & 0xffff;
            if (recLen == 0 && bs == 65536) {
                recLen = 65536;
            }
            int nameLen = b.get(at + 6) & 0xff;
            int type = b.get(at + 7) & 0xff;
            if (recLen < 12 || recLen % 4 != 0 || at + recLen > bs || 8 + nameLen > recLen) {
                return; // corrupt record: the rest of the block is unreadable
            }
            if (ino != 0 && nameLen > 0 && type != 0xDE) { // 0xDE: the checksum tail
                String name = new String(b.array(), at + 8, nameLen, StandardCharsets.UTF_8);
                if (!name.equals(".") && !name.equals("..")) {
                    out.add(new Entry(ino, type, name));
                }
            }
            at += recLen;
        }
    }
}
