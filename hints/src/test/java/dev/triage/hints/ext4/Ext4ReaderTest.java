package dev.triage.hints.ext4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Reads images made by mkfs.ext4 and checks every block's class and owner against an
 * independent count: dumpe2fs for the static layout and debugfs icheck / stat for owners.
 */
class Ext4ReaderTest {
    private static Path tree;

    @BeforeAll
    static void tree() throws IOException {
        Ext4TestImages.assumeTools();
        tree = Ext4TestImages.populate(Ext4TestImages.workDir().resolve("tree"), 42);
    }

    /** mkfs option sets: 4K blocks with flex_bg+64bit (the default), 1K blocks, ext3-like indirect, meta_bg. */
    @ParameterizedTest
    @ValueSource(strings = {"-b 4096", "-b 1024", "-b 4096 -O ^extent,^flex_bg,^64bit,^metadata_csum",
            "-b 1024 -O ^resize_inode,meta_bg,^flex_bg", "-b 4096 -O inline_data -I 256"})
    void agreesWithDebugfs(String options) throws Exception {
        String name = "ok-" + options.replaceAll("[^a-z0-9]+", "_") + ".img";
        Path img = Ext4TestImages.mkfs(name, 48L << 20, tree, options.split(" "));
        Ext4Image image;
        try (FileExt4Source src = new FileExt4Source(img)) {
            image = Ext4Reader.read(src);
        }
        assertEquals(List.of(), image.problems(), "a healthy image has no problems");
        BlockClassMap map = image.blocks();
        long blocks = image.superblock().blocksCount();

        // Static layout from dumpe2fs.
        Map<Long, Ext4Class> expect = new HashMap<>();
        String dump = Ext4TestImages.run(List.of(Ext4TestImages.tool("dumpe2fs").toString(), img.toString()));
        staticLayout(dump, expect);
        int staticChecked = 0;
        for (var e : expect.entrySet()) {
            assertEquals(e.getValue(), map.classOf(e.getKey()), "block " + e.getKey() + " (" + options + ")");
            staticChecked++;
        }
        assertTrue(staticChecked > 10);

        // Owners from debugfs icheck, for every block of the file system.
        Map<Long, Long> owner = icheck(img, blocks);
        long agree = 0;
        long owned = 0;
        for (var e : owner.entrySet()) {
            long b = e.getKey();
            if (expect.containsKey(b)) {
                continue; // the resize inode owns reserved GDT blocks: static class wins
            }
            owned++;
            if (Integer.toUnsignedLong(map.ownerOf(b)) == e.getValue()) {
                agree++;
            }
        }
        assertTrue(owned > 100, "icheck found owners");
        assertEquals(owned, agree, "every owned block has the owner icheck names (" + options + ")");

        // Every block we say an inode owns, icheck agrees with (nothing invented).
        for (int r = 0; r < map.rangeCount(); r++) {
            if (map.rangeOwner(r) == 0) {
                continue;
            }
            for (long b = map.rangeStart(r); b < map.rangeEnd(r); b++) {
                assertEquals(Integer.toUnsignedLong(map.rangeOwner(r)), owner.get(b), "block " + b);
            }
        }
        // Directories, the journal and file classes.
        assertTrue(map.blocksOf(Ext4Class.DIRECTORY) >= 2, "directory blocks");
        assertTrue(map.blocksOf(Ext4Class.JOURNAL) >= 1024, "journal blocks");
        long big = -1;
        String lookup = Ext4TestImages.run(List.of(Ext4TestImages.tool("debugfs").toString(), "-R",
                "stat /src/deep/er/still/big", img.toString()));
        Matcher m = Pattern.compile("Inode: (\\d+)").matcher(lookup);
        assertTrue(m.find());
        big = Long.parseLong(m.group(1));
        assertEquals(3_000_000, image.inodes().sizeOf(big));
        assertTrue(image.inodes().isDirectory(2));

        // Directory listings agree with debugfs ls (the wide folder has 400 entries, an htree).
        String ls = Ext4TestImages.run(List.of(Ext4TestImages.tool("debugfs").toString(), "-R", "ls -l /wide",
                img.toString()));
        Matcher wide = Pattern.compile("Inode: (\\d+)").matcher(Ext4TestImages.run(List.of(
                Ext4TestImages.tool("debugfs").toString(), "-R", "stat /wide", img.toString())));
        assertTrue(wide.find());
        List<DirectoryReader.Entry> entries;
        try (FileExt4Source src = new FileExt4Source(img)) {
            entries = DirectoryReader.list(src, image, Long.parseLong(wide.group(1)), 100_000, 10_000);
        }
        java.util.Set<String> names = new java.util.TreeSet<>();
        entries.forEach(e -> names.add(e.name()));
        java.util.Set<String> expected = new java.util.TreeSet<>();
        for (String l : ls.split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length > 0 && f[f.length - 1].startsWith("a_rather")) {
                expected.add(f[f.length - 1]);
            }
        }
        assertEquals(400, expected.size());
        assertEquals(expected, names, "directory entries (" + options + ")");
    }

    /** The same image read through a loop device (root only): a block device's size comes from sysfs. */
    @org.junit.jupiter.api.Test
    void readsFromABlockDevice() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name"))
                && Ext4TestImages.tool("losetup") != null, "needs root and losetup: skipping the block device test");
        Path img = Ext4TestImages.mkfs("loop.img", 32L << 20, tree, "-b", "4096");
        Ext4Image fromFile;
        try (FileExt4Source src = new FileExt4Source(img)) {
            fromFile = Ext4Reader.read(src);
        }
        String loop = Ext4TestImages.run(List.of(Ext4TestImages.tool("losetup").toString(), "--find", "--show", "--read-only",
                img.toString())).trim();
        try (FileExt4Source dev = new FileExt4Source(Path.of(loop))) {
            assertEquals(32L << 20, dev.size());
            Ext4Image fromDev = Ext4Reader.read(dev);
            assertEquals(fromFile.blocks().rangeCount(), fromDev.blocks().rangeCount());
            for (int r = 0; r < fromFile.blocks().rangeCount(); r++) {
                assertEquals(fromFile.blocks().rangeStart(r), fromDev.blocks().rangeStart(r));
                assertEquals(fromFile.blocks().rangeClass(r), fromDev.blocks().rangeClass(r));
            }
        } finally {
            Ext4TestImages.run(List.of(Ext4TestImages.tool("losetup").toString(), "-d", loop));
        }
    }

    static void staticLayout(String dump, Map<Long, Ext4Class> out) {
        Pattern range = Pattern.compile("(superblock|Group descriptors|Reserved GDT blocks|Block bitmap|Inode bitmap|Inode table) at (\\d+)(?:-(\\d+))?");
        for (String line : dump.split("\n")) {
            Matcher m = range.matcher(line);
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
                for (long b = from; b <= to; b++) {
                    out.put(b, c);
                }
            }
        }
    }

    static Map<Long, Long> icheck(Path img, long blocks) throws Exception {
        Path cmds = Ext4TestImages.workDir().resolve(img.getFileName() + ".icheck");
        List<String> lines = new ArrayList<>();
        for (long b = 0; b < blocks; b += 1000) {
            StringBuilder s = new StringBuilder("icheck");
            for (long x = b; x < Math.min(blocks, b + 1000); x++) {
                s.append(' ').append(x);
            }
            lines.add(s.toString());
        }
        Files.write(cmds, lines);
        String out = Ext4TestImages.run(List.of(Ext4TestImages.tool("debugfs").toString(), "-f",
                cmds.toString(), img.toString()));
        Map<Long, Long> owner = new HashMap<>();
        Pattern p = Pattern.compile("^(\\d+)\\t(\\d+)$", Pattern.MULTILINE);
        Matcher m = p.matcher(out);
        while (m.find()) {
            owner.put(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        }
        return owner;
    }
}
