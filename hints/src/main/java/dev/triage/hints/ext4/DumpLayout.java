package dev.triage.hints.ext4;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A file system's layout from e2fsprogs' text output instead of the image: {@code dumpe2fs}
 * (the static metadata of every group), {@code debugfs stat <8>} (the journal's extents), a
 * list of directory inodes and a list of {@code inode size} pairs. This is the raw material
 * shipped beside a raw trace when the image itself is not kept; it knows no block owners (those
 * come from the trace's map_blocks events).
 */
public final class DumpLayout implements FsLayout {
    private static final Pattern STATIC = Pattern.compile(
            "(superblock|Group descriptors|Reserved GDT blocks|Block bitmap|Inode bitmap|Inode table) at (\\d+)(?:-(\\d+))?");
    private static final Pattern EXTENT = Pattern.compile("\\((ETB\\d+|\\d+(?:-\\d+)?)\\):(\\d+)(?:-(\\d+))?");

    private final int blockSize;
    private final BlockClassMap map;
    private final Set<Long> directories;
    private final Map<Long, Long> sizes;

    private DumpLayout(int blockSize, BlockClassMap map, Set<Long> directories, Map<Long, Long> sizes) {
        this.blockSize = blockSize;
        this.map = map;
        this.directories = directories;
        this.sizes = sizes;
    }

    /**
     * Reads {@code dumpe2fs.txt}, {@code journal.txt}, {@code dirs.txt} and {@code sizes.txt}
     * from a folder (the last three may be absent).
     *
     * @throws Ext4FormatException naming the file and line that does not parse
     */
    public static DumpLayout load(Path dir) throws IOException {
        Path dump = dir.resolve("dumpe2fs.txt");
        int blockSize = 0;
        BlockClassMap.Builder b = new BlockClassMap.Builder(1 << 24);
        long line = 0;
        try (BufferedReader r = Files.newBufferedReader(dump)) {
            for (String s; (s = r.readLine()) != null; ) {
                line++;
                if (s.startsWith("Block size:")) {
                    blockSize = Integer.parseInt(s.substring(11).trim());
                    continue;
                }
                Matcher m = STATIC.matcher(s);
                while (m.find()) {
                    long from = Long.parseLong(m.group(2));
                    long to = m.group(3) == null ? from : Long.parseLong(m.group(3));
                    Ext4Class c = switch (m.group(1)) {
                        case "superblock" -> Ext4Class.SUPERBLOCK;
                        case "Group descriptors", "Reserved GDT blocks" -> Ext4Class.GROUP_DESC;
                        case "Block bitmap" -> Ext4Class.BLOCK_BITMAP;
                        case "Inode bitmap" -> Ext4Class.INODE_BITMAP;
                        default -> Ext4Class.INODE;
                    };
                    b.add(from, to + 1, c, 0);
                }
            }
        } catch (NumberFormatException e) {
            throw new Ext4FormatException(dump + ":" + line + ": not a number: " + e.getMessage());
        }
        if (blockSize <= 0) {
            throw new Ext4FormatException(dump + ": no 'Block size:' line");
        }
        Path journal = dir.resolve("journal.txt");
        if (Files.exists(journal)) {
            boolean inExtents = false;
            for (String s : Files.readAllLines(journal)) {
                if (s.startsWith("EXTENTS:") || s.startsWith("BLOCKS:")) {
                    inExtents = true;
                    continue;
                }
                if (!inExtents) {
                    continue;
                }
                Matcher m = EXTENT.matcher(s);
                while (m.find()) {
                    long from = Long.parseLong(m.group(2));
                    long to = m.group(3) == null ? from : Long.parseLong(m.group(3));
                    b.add(from, to + 1, m.group(1).startsWith("ETB") ? Ext4Class.EXTENT : Ext4Class.JOURNAL, 8);
                }
            }
        }
        Set<Long> dirs = new HashSet<>();
        Path dirsFile = dir.resolve("dirs.txt");
        if (Files.exists(dirsFile)) {
            line = 0;
            for (String s : Files.readAllLines(dirsFile)) {
                line++;
                s = s.trim();
                if (s.isEmpty()) {
                    continue;
                }
                try {
                    dirs.add(Long.parseLong(s));
                } catch (NumberFormatException e) {
                    throw new Ext4FormatException(dirsFile + ":" + line + ": not an inode number: " + s);
                }
            }
        }
        Map<Long, Long> sizes = new HashMap<>();
        Path sizesFile = dir.resolve("sizes.txt");
        if (Files.exists(sizesFile)) {
            line = 0;
            for (String s : Files.readAllLines(sizesFile)) {
                line++;
                String[] f = s.trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                try {
                    sizes.put(Long.parseLong(f[0]), Long.parseLong(f[1]));
                } catch (NumberFormatException e) {
                    throw new Ext4FormatException(sizesFile + ":" + line + ": expected 'inode size': " + s);
                }
            }
        }
        return new DumpLayout(blockSize, b.build(), dirs, sizes);
    }

    @Override
    public int blockSize() {
        return blockSize;
    }

    @Override
    public Ext4Class classOf(long block) {
        return map.classOf(block);
    }

    @Override
    public long ownerOf(long block) {
        return Integer.toUnsignedLong(map.ownerOf(block));
    }

    @Override
    public int inodeType(long inode) {
        if (directories.contains(inode)) {
            return InodeTable.DIRECTORY;
        }
        return sizes.containsKey(inode) ? InodeTable.REGULAR : -1;
    }

    @Override
    public long inodeSize(long inode) {
        Long s = sizes.get(inode);
        return s == null ? -1 : s;
    }
}
