package dev.triage.hints.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.ext4.BlockClassMap;
import dev.triage.hints.ext4.Ext4Class;
import dev.triage.hints.ext4.Ext4Image;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A hostile guest controls every byte of its volume. Corrupt images are attached, and valid
 * ones are attacked with targeted garbage writes (superblock, descriptors, inode tables, extent
 * blocks, anywhere, any length and alignment) interleaved with requests; nothing may escape,
 * no internal error may be counted, and the work per call must stay bounded.
 */
class GuestClassifierFuzzTest {
    private static byte[] image4k;
    private static byte[] image1k;
    private static Ext4Image ref4k;
    private static Ext4Image ref1k;

    @BeforeAll
    static void images() throws Exception {
        GuestImages.assumeMkfs();
        var tree = GuestImages.tree("tree", 7);
        image4k = Files.readAllBytes(GuestImages.mkfs("fuzz4k.img", 24L << 20, tree, "-b", "4096"));
        image1k = Files.readAllBytes(GuestImages.mkfs("fuzz1k.img", 24L << 20, tree, "-b", "1024", "-O", "^flex_bg"));
        ref4k = GuestImages.reference(image4k);
        ref1k = GuestImages.reference(image1k);
    }

    enum Region { SUPERBLOCK, GROUP_DESCRIPTORS, INODES, EXTENT_BLOCKS, ANYWHERE }

    /** A byte offset inside the region of the (clean) image. */
    private static long pick(Region region, Ext4Image ref, Random random, int length) {
        int bs = ref.blockSize();
        long gdt = (ref.superblock().firstDataBlock() + 1) * bs;
        return switch (region) {
            case SUPERBLOCK -> 1024 + random.nextInt(1024);
            case GROUP_DESCRIPTORS -> gdt + random.nextInt((int) ref.superblock().gdtBlocks() * bs);
            case INODES -> inRangeOf(ref, Ext4Class.INODE, random, length);
            case EXTENT_BLOCKS -> inRangeOf(ref, Ext4Class.EXTENT, random, length);
            case ANYWHERE -> random.nextInt(length);
        };
    }

    private static long inRangeOf(Ext4Image ref, Ext4Class c, Random random, int length) {
        BlockClassMap m = ref.blocks();
        List<Integer> ranges = new ArrayList<>();
        for (int i = 0; i < m.rangeCount(); i++) {
            if (m.rangeClass(i) == c) {
                ranges.add(i);
            }
        }
        if (ranges.isEmpty()) {
            return random.nextInt(length);
        }
        int r = ranges.get(random.nextInt(ranges.size()));
        long blocks = m.rangeEnd(r) - m.rangeStart(r);
        // inode tables: mostly the first blocks, where the in-use inodes are
        long b = m.rangeStart(r) + (c == Ext4Class.INODE ? random.nextLong(Math.min(blocks, 8)) : random.nextLong(blocks));
        return b * ref.blockSize() + random.nextInt(ref.blockSize());
    }

    @ParameterizedTest
    @EnumSource(Region.class)
    void corruptImagesAttachWithoutFailing(Region region) {
        long[] trials = {0};
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int which = 0; which < 2; which++) {
                byte[] original = which == 0 ? image4k : image1k;
                Ext4Image ref = which == 0 ? ref4k : ref1k;
                Random random = new Random(region.ordinal() * 100L + which);
                for (int trial = 0; trial < 40; trial++) {
                    byte[] img = original.clone();
                    int flips = 1 + random.nextInt(16);
                    for (int f = 0; f < flips; f++) {
                        int at = (int) pick(region, ref, random, img.length);
                        if (random.nextBoolean()) {
                            img[at] ^= (byte) (1 << random.nextInt(8));
                        } else {
                            for (int k = 0; k < 4 && at + k < img.length; k++) {
                                img[at + k] = (byte) random.nextInt();
                            }
                        }
                    }
                    ClassVocabulary vocab = new ClassVocabulary();
                    GuestImages.Volume vol = new GuestImages.Volume(img);
                    GuestClassifier g = GuestClassifier.attach(img.length, vol, vocab);
                    hammer(g, vocab, vol, img.length, random, 2000, 20, region, ref);
                    assertEquals(0, g.internalErrors(), () -> region + ": " + g.describe());
                    trials[0]++;
                }
            }
        });
        System.out.println("fuzz attach " + region + ": " + trials[0] + " corrupt images, 0 internal errors");
    }

    @ParameterizedTest
    @EnumSource(Region.class)
    void hostileWritesToALiveVolume(Region region) {
        long[] counts = new long[2];
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> {
            for (int which = 0; which < 2; which++) {
                byte[] img = (which == 0 ? image4k : image1k).clone();
                Ext4Image ref = which == 0 ? ref4k : ref1k;
                ClassVocabulary vocab = new ClassVocabulary();
                GuestImages.Volume vol = new GuestImages.Volume(img);
                GuestClassifier g = GuestClassifier.attach(img.length, vol, vocab);
                assertTrue(g.isExt4(), g.describe());
                Random random = new Random(region.ordinal() * 7L + which);
                counts[0] += hammer(g, vocab, vol, img.length, random, 20_000, 1500, region, ref);
                counts[1] += 1500;
                assertEquals(0, g.internalErrors(), () -> region + ": " + g.describe());
            }
        });
        System.out.println("fuzz live " + region + ": " + counts[1] + " hostile writes, " + counts[0]
                + " requests classified, 0 internal errors");
    }

    /** Interleaves garbage writes in the region with classified requests; returns the requests. */
    private static long hammer(GuestClassifier g, ClassVocabulary vocab, GuestImages.Volume vol, int length,
            Random random, int requests, int writes, Region region, Ext4Image ref) {
        BlockRequest r = new BlockRequest();
        int perWrite = requests / Math.max(1, writes);
        long classified = 0;
        for (int w = 0; w <= writes; w++) {
            for (int k = 0; k < perWrite; k++) {
                r.clear();
                r.op = random.nextInt(10) == 0 ? Op.FLUSH : random.nextBoolean() ? Op.READ : Op.WRITE;
                r.offset = random.nextInt(20) == 0 ? random.nextLong() : random.nextLong(length);
                r.length = random.nextInt(4) == 0 ? random.nextInt(1 << 20) : 4096;
                g.classify(r);
                classified++;
                assertTrue(r.tag == BlockRequest.UNKNOWN || vocab.name(r.tag) != null);
            }
            if (w == writes) {
                break;
            }
            long at = pick(region, ref, random, length);
            int len = switch (random.nextInt(4)) {
                case 0 -> 1 + random.nextInt(64);
                case 1 -> ref.blockSize();
                case 2 -> 512 * (1 + random.nextInt(16));
                default -> 1 + random.nextInt(3 * ref.blockSize());
            };
            if (random.nextBoolean()) {
                at -= at % 512; // mostly sector-aligned, as real writes are
            }
            len = (int) Math.min(len, length - at);
            byte[] data = garbage(random, len, ref.blockSize());
            long before = g.blocksRead();
            g.onWrite(at, ByteBuffer.wrap(data).asReadOnlyBuffer());
            long read = g.blocksRead() - before;
            // a write reads at most its partial blocks, the per-write budgets of tree blocks and
            // moved inode tables; one that changes the superblock, also the descriptor table and
            // (the first few times) every inode table: at most the file system's blocks
            GuestClassifier.Limits l = GuestClassifier.Limits.DEFAULT;
            boolean superblock = at < 2048 && at + len > 1024 || at < 65536 && !g.isExt4();
            long bound = superblock ? 2 * ref.superblock().blocksCount() + l.writeReadBudget()
                    : 4 + l.writeReadBudget() + l.writeScanBudget() + (len / ref.blockSize() + 2) * 2L;
            assertTrue(read <= bound, "one write read " + read + " blocks (bound " + bound + ")");
            System.arraycopy(data, 0, vol.bytes, (int) at, len);
            if (random.nextInt(50) == 0) {
                g.onDiscard(random.nextLong(length), random.nextInt(1 << 20));
            }
        }
        assertFalse(g.describe().isEmpty());
        return classified;
    }

    /**
     * Garbage with teeth: random bytes, sprinkled with valid magics (ext4 superblock, extent
     * header), plausible inode modes with the extents flag, and small block numbers.
     */
    private static byte[] garbage(Random random, int len, int bs) {
        byte[] d = new byte[len];
        random.nextBytes(d);
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        int kind = random.nextInt(4);
        for (int at = 0; at + 128 <= len; at += 128) {
            switch (kind) {
                case 0 -> { // inode: regular or directory, linked, extents, a root with a header
                    b.putShort(at, (short) (random.nextBoolean() ? 0x81a4 : 0x41ed));
                    b.putShort(at + 0x1A, (short) 1);
                    b.putInt(at + 0x20, 0x80000);
                    b.putShort(at + 0x28, (short) 0xF30A);
                    b.putShort(at + 0x2A, (short) random.nextInt(6));
                    b.putShort(at + 0x2C, (short) 4);
                    b.putShort(at + 0x2E, (short) random.nextInt(7));
                    for (int e = 0; e < 4; e++) {
                        b.putInt(at + 0x28 + 12 + e * 12 + 4, random.nextInt(64 * bs));
                        b.putInt(at + 0x28 + 12 + e * 12 + 8, random.nextInt(8 * bs));
                    }
                }
                case 1 -> { // extent node header with random depth and counts
                    b.putShort(at, (short) 0xF30A);
                    b.putShort(at + 6, (short) random.nextInt(7));
                }
                case 2 -> b.putShort(at + 0x38, (short) 0xEF53); // superblock magic at its place
                default -> { }
            }
        }
        return d;
    }

    @Test
    void cyclicAndDeepExtentTreesCostAtMostTheReadBudget() {
        byte[] img = image4k.clone();
        Ext4Image ref = ref4k;
        int bs = ref.blockSize();
        ClassVocabulary vocab = new ClassVocabulary();
        GuestImages.Volume vol = new GuestImages.Volume(img);
        GuestClassifier g = GuestClassifier.attach(img.length, vol, vocab);
        assertTrue(g.isExt4());
        // A free block X holding an index node of depth 4 whose 340 entries all point at X.
        long x = ref.superblock().blocksCount() - 10;
        ByteBuffer node = ByteBuffer.wrap(img, (int) (x * bs), bs).slice().order(ByteOrder.LITTLE_ENDIAN);
        int max = (bs - 12) / 12;
        node.putShort(0, (short) 0xF30A).putShort(2, (short) max).putShort(4, (short) max).putShort(6, (short) 4);
        for (int e = 0; e < max; e++) {
            node.putInt(12 + e * 12 + 4, (int) x);
        }
        // An inode-table block whose every inode is a file with a depth-5 root pointing at X.
        long itab = -1;
        for (int i = 0; i < ref.blocks().rangeCount(); i++) {
            if (ref.blocks().rangeClass(i) == Ext4Class.INODE) {
                itab = ref.blocks().rangeStart(i);
                break;
            }
        }
        int isz = ref.superblock().inodeSize();
        byte[] block = new byte[bs];
        ByteBuffer t = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at < bs; at += isz) {
            t.putShort(at, (short) 0x81a4).putShort(at + 0x1A, (short) 1).putInt(at + 0x20, 0x80000);
            t.putShort(at + 0x28, (short) 0xF30A).putShort(at + 0x2A, (short) 4).putShort(at + 0x2C, (short) 4)
                    .putShort(at + 0x2E, (short) 5);
            for (int e = 0; e < 4; e++) {
                t.putInt(at + 0x28 + 12 + e * 12 + 4, (int) x);
            }
        }
        // The inodes of the second inode-table block (the first holds the reserved ones).
        long target = (itab + 1) * bs;
        System.arraycopy(block, 0, img, (int) target, bs);
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (int round = 0; round < 200; round++) {
                long before = g.blocksRead();
                g.onWrite(target, ByteBuffer.wrap(block).asReadOnlyBuffer());
                long read = g.blocksRead() - before;
                assertTrue(read <= GuestClassifier.Limits.DEFAULT.writeReadBudget(), "read " + read);
                // the node itself, rewritten: one node parsed, at most the budget read
                before = g.blocksRead();
                g.onWrite(x * bs, ByteBuffer.wrap(img, (int) (x * bs), bs).slice().asReadOnlyBuffer());
                assertTrue(g.blocksRead() - before <= GuestClassifier.Limits.DEFAULT.writeReadBudget());
            }
        });
        BlockRequest r = new BlockRequest();
        assertEquals("extent", GuestImages.classOf(g, vocab, r, x, bs), g.describe());
        assertEquals(0, g.internalErrors(), g.describe());
    }

    @Test
    void tooManyGroupsIsNotFollowed() throws Exception {
        byte[] img = image1k.clone();
        ClassVocabulary vocab = new ClassVocabulary();
        GuestClassifier g = GuestClassifier.attach(img.length, new GuestImages.Volume(img), vocab,
                new GuestClassifier.Limits(2, 1 << 20, 1 << 20, 64, 1024, 4));
        assertFalse(g.isExt4());
        assertTrue(g.describe().contains("block groups"), g.describe());
    }

    @Test
    void theIntervalCapIsHeldAndCounted() {
        byte[] img = image4k.clone();
        ClassVocabulary vocab = new ClassVocabulary();
        GuestClassifier g = GuestClassifier.attach(img.length, new GuestImages.Volume(img), vocab,
                new GuestClassifier.Limits(1 << 18, 100, 1 << 20, 64, 1024, 4));
        assertTrue(g.isExt4());
        assertTrue(g.describe().contains("dropped at the cap"), g.describe());
        assertTrue(g.describe().matches(".* \\d+ owned blocks in (\\d|\\d\\d|100) intervals \\([1-9]\\d* dropped.*"),
                g.describe());
        assertEquals(0, g.internalErrors());
    }
}
