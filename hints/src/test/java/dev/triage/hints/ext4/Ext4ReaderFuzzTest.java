package dev.triage.hints.ext4;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Corrupts small mkfs.ext4 images (bit flips in the superblock, the group descriptors, the
 * inodes, the extent headers, anywhere; and hand-made hostile extent trees) and checks that the
 * reader never crashes, never hangs, and still returns a well-formed map or a clear error.
 */
class Ext4ReaderFuzzTest {
    private static byte[] image4k;
    private static byte[] image1k;
    private static long bigInode;

    @BeforeAll
    static void images() throws Exception {
        Ext4TestImages.assumeTools();
        Path tree = Ext4TestImages.populate(Ext4TestImages.workDir().resolve("tree"), 42);
        Path a = Ext4TestImages.mkfs("fuzz4k.img", 24L << 20, tree, "-b", "4096");
        Path b = Ext4TestImages.mkfs("fuzz1k.img", 24L << 20, tree, "-b", "1024", "-O", "^flex_bg");
        image4k = Files.readAllBytes(a);
        image1k = Files.readAllBytes(b);
        String stat = Ext4TestImages.run(java.util.List.of(Ext4TestImages.tool("debugfs").toString(), "-R",
                "stat /src/deep/er/still/big", a.toString()));
        Matcher m = Pattern.compile("Inode: (\\d+)").matcher(stat);
        assertTrue(m.find());
        bigInode = Long.parseLong(m.group(1));
    }

    /** Where to flip bits. */
    enum Region { SUPERBLOCK, GROUP_DESCRIPTORS, INODES, EXTENT_HEADERS, ANYWHERE }

    @ParameterizedTest
    @EnumSource(Region.class)
    void bitFlipsNeverCrashOrHang(Region region) {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (byte[] original : new byte[][] {image4k, image1k}) {
                Ext4Image clean = Ext4Reader.read(new ByteArrayExt4Source(original));
                Random random = new Random(region.ordinal() * 1000L + original.length % 997);
                for (int trial = 0; trial < 60; trial++) {
                    byte[] img = original.clone();
                    int flips = 1 + random.nextInt(8);
                    for (int f = 0; f < flips; f++) {
                        long at = pick(region, clean, random, img.length);
                        img[(int) at] ^= (byte) (1 << random.nextInt(8));
                    }
                    if (random.nextInt(4) == 0) { // sometimes a whole field of garbage
                        long at = pick(region, clean, random, img.length);
                        for (int k = 0; k < 4 && at + k < img.length; k++) {
                            img[(int) at + k] = (byte) random.nextInt();
                        }
                    }
                    checkWellFormed(img, region + " trial " + trial);
                }
            }
        });
    }

    private static long pick(Region region, Ext4Image clean, Random random, int length) {
        Superblock sb = clean.superblock();
        int bs = sb.blockSize();
        return switch (region) {
            case SUPERBLOCK -> 1024 + random.nextInt(0x300);
            case GROUP_DESCRIPTORS -> (sb.firstDataBlock() + 1) * bs
                    + random.nextInt((int) Math.min(bs, sb.groupCount() * sb.descSize()));
            case INODES -> inodeOffset(clean, 1 + random.nextInt(clean.inodes().count() > 0 ? 40 : 1))
                    + random.nextInt(sb.inodeSize());
            case EXTENT_HEADERS -> {
                long ino = random.nextBoolean() ? bigInode : clean.inodes().inodeAt(random.nextInt(clean.inodes().count()));
                yield inodeOffset(clean, ino) + 0x28 + (random.nextBoolean() ? random.nextInt(12) : random.nextInt(60));
            }
            case ANYWHERE -> random.nextInt(length);
        };
    }

    /** The byte offset of an inode, found through the clean image's map of inode tables. */
    private static long inodeOffset(Ext4Image clean, long ino) {
        Superblock sb = clean.superblock();
        long group = (ino - 1) / sb.inodesPerGroup();
        long index = (ino - 1) % sb.inodesPerGroup();
        // The inode table of group g is the g-th INODE range start when tables are separate;
        // find it from the descriptors instead: read them from the clean image.
        long table = tableOf(clean, group);
        return table * sb.blockSize() + index * sb.inodeSize();
    }

    private static long tableOf(Ext4Image clean, long group) {
        byte[] img = clean.superblock().blockSize() == 4096 && clean == cleanOf(image4k) ? image4k : image1k;
        Superblock sb = clean.superblock();
        ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
        int at = (int) ((sb.firstDataBlock() + 1) * sb.blockSize() + group * sb.descSize());
        long lo = b.getInt(at + 8) & 0xffffffffL;
        long hi = sb.descSize() >= 64 ? (b.getInt(at + 0x28) & 0xffffffffL) << 32 : 0;
        return lo | hi;
    }

    private static Ext4Image cache4k;

    private static Ext4Image cleanOf(byte[] img) {
        try {
            if (img == image4k) {
                if (cache4k == null) {
                    cache4k = Ext4Reader.read(new ByteArrayExt4Source(image4k));
                }
                return cache4k;
            }
            return Ext4Reader.read(new ByteArrayExt4Source(img));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads a (corrupt) image: a clear error or a well-formed map, nothing else. */
    static Ext4Image checkWellFormed(byte[] img, String what) {
        Ext4Image image;
        try {
            image = Ext4Reader.read(new ByteArrayExt4Source(img));
        } catch (Ext4FormatException e) {
            assertFalse(e.getMessage().startsWith("internal"), what + ": " + e.getMessage());
            assertTrue(e.getMessage().length() > 10, what);
            return null;
        } catch (IOException e) {
            fail(what + ": an I/O error escaped for bad content: " + e);
            return null;
        }
        BlockClassMap map = image.blocks();
        long prevEnd = 0;
        for (int r = 0; r < map.rangeCount(); r++) {
            assertTrue(map.rangeStart(r) >= prevEnd, what + ": ranges sorted and disjoint");
            assertTrue(map.rangeEnd(r) > map.rangeStart(r), what + ": ranges not empty");
            assertTrue(map.rangeEnd(r) <= image.superblock().blocksCount(), what + ": ranges inside the fs");
            prevEnd = map.rangeEnd(r);
        }
        for (int i = 1; i < image.inodes().count(); i++) {
            assertTrue(image.inodes().inodeAt(i) > image.inodes().inodeAt(i - 1), what + ": inodes sorted");
        }
        assertTrue(image.problems().size() <= 50);
        // Listing every directory of a corrupt image stays bounded and never throws.
        ByteArrayExt4Source src = new ByteArrayExt4Source(img);
        for (int i = 0; i < image.inodes().count(); i++) {
            if (image.inodes().typeAt(i) == InodeTable.DIRECTORY) {
                try {
                    assertTrue(DirectoryReader.list(src, image, image.inodes().inodeAt(i), 1000, 64).size() <= 1000);
                } catch (IOException e) {
                    fail(what + ": listing a directory failed: " + e);
                }
            }
        }
        return image;
    }

    @Test
    void primaryGoneBackupUsed() {
        byte[] img = image1k.clone();
        img[1024 + 0x38] = 0; // primary magic
        Ext4Image image = checkWellFormed(img, "no primary");
        assertTrue(image != null && image.problems().get(0).contains("backup superblock at block 8193"),
                String.valueOf(image == null ? null : image.problems()));
        assertEquals(cleanOf(image1k).blocks().rangeCount(), image.blocks().rangeCount());
    }

    @Test
    void notExt4IsAClearError() {
        byte[] img = new byte[1 << 20];
        Ext4FormatException e = org.junit.jupiter.api.Assertions.assertThrows(Ext4FormatException.class,
                () -> Ext4Reader.read(new ByteArrayExt4Source(img)));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(Ext4FormatException.class,
                () -> Ext4Reader.read(new ByteArrayExt4Source(new byte[100])));
    }

    @Test
    void hugeBlockCountIsBoundedByTheSource() {
        byte[] img = image4k.clone();
        ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN).putInt(1024 + 4, 0x7fffffff);
        Ext4FormatException e = org.junit.jupiter.api.Assertions.assertThrows(Ext4FormatException.class,
                () -> Ext4Reader.read(new ByteArrayExt4Source(img)));
        assertTrue(e.getMessage().contains("s_blocks_count"), e.getMessage());
    }

    /** Hostile extent trees: a self-referencing index, a deep fan-out bomb, depth 6. */
    @Test
    void hostileExtentTrees() {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Ext4Image clean = cleanOf(image4k);
            int bs = clean.superblock().blockSize();
            long root = inodeOffset(clean, bigInode) + 0x28;
            long free = clean.superblock().blocksCount() - 64; // the end of the fs is free space
            assertEquals(Ext4Class.UNCLASSIFIED, clean.blocks().classOf(free));

            // 1. A cycle: root (depth 2) -> X (depth 1) -> X.
            byte[] img = image4k.clone();
            ByteBuffer b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
            header(b, (int) root, 1, 4, 2);
            index(b, (int) root + 12, 0, free);
            header(b, (int) (free * bs), 340, 340, 1);
            for (int e = 0; e < 340; e++) {
                index(b, (int) (free * bs) + 12 + 12 * e, e, free);
            }
            Ext4Image cyc = checkWellFormed(img, "cycle");
            assertTrue(cyc.problems().stream().anyMatch(p -> p.contains("cycle")), cyc.problems().toString());

            // 2. A fan-out bomb: depth 5, every index entry of every level points at the next level's one block.
            img = image4k.clone();
            b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
            header(b, (int) root, 4, 4, 5);
            for (int e = 0; e < 4; e++) {
                index(b, (int) root + 12 + 12 * e, e, free);
            }
            for (int level = 4; level >= 1; level--) {
                long blk = free + (4 - level);
                header(b, (int) (blk * bs), 340, 340, level);
                for (int e = 0; e < 340; e++) {
                    index(b, (int) (blk * bs) + 12 + 12 * e, e, blk + 1);
                }
            }
            long leaf = free + 4;
            header(b, (int) (leaf * bs), 340, 340, 0);
            for (int e = 0; e < 340; e++) {
                int p = (int) (leaf * bs) + 12 + 12 * e;
                b.putInt(p, e);
                b.putShort(p + 4, (short) 1);
                b.putShort(p + 6, (short) 0);
                b.putInt(p + 8, (int) (free + 10 + e % 20));
            }
            Ext4Image bomb = checkWellFormed(img, "bomb");
            assertTrue(bomb.problems().stream().anyMatch(p -> p.contains("tree blocks")), bomb.problems().toString());

            // 3. Depth 6.
            img = image4k.clone();
            b = ByteBuffer.wrap(img).order(ByteOrder.LITTLE_ENDIAN);
            header(b, (int) root, 1, 4, 6);
            Ext4Image deep = checkWellFormed(img, "deep");
            assertTrue(deep.problems().stream().anyMatch(p -> p.contains("exceeds 5")), deep.problems().toString());
        });
    }

    private static void header(ByteBuffer b, int at, int entries, int max, int depth) {
        b.putShort(at, (short) 0xF30A);
        b.putShort(at + 2, (short) entries);
        b.putShort(at + 4, (short) max);
        b.putShort(at + 6, (short) depth);
    }

    private static void index(ByteBuffer b, int at, int lblk, long child) {
        b.putInt(at, lblk);
        b.putInt(at + 4, (int) child);
        b.putShort(at + 8, (short) (child >>> 32));
    }
}
