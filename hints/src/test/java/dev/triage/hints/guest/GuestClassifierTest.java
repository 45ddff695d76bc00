package dev.triage.hints.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.ext4.BlockClassMap;
import dev.triage.hints.ext4.Ext4Class;
import dev.triage.hints.ext4.Ext4Image;
import dev.triage.hints.ext4.InodeTable;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.hints.policy.PolicyFile;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The classifier's answers on one image as the guest changes it, the chain with the policy file, and the hot path's allocation. */
class GuestClassifierTest {
    private static byte[] image;
    private static Ext4Image ref;

    @BeforeAll
    static void image() throws Exception {
        GuestImages.assumeMkfs();
        image = Files.readAllBytes(GuestImages.mkfs("unit4k.img", 24L << 20, GuestImages.tree("tree", 7), "-b", "4096"));
        ref = GuestImages.reference(image);
    }

    @Test
    void sizeBucketsAreTheVocabularysFileClasses() {
        ClassVocabulary v = new ClassVocabulary();
        long[] probes = {0, 1, 4095, 4096, 4097};
        for (long p : probes) {
            check(v, p);
        }
        for (long limit = 4096; limit > 0 && limit <= 1L << 40; limit <<= 1) {
            check(v, limit - 1);
            check(v, limit);
            check(v, limit + 1);
        }
        check(v, Long.MAX_VALUE);
    }

    private static void check(ClassVocabulary v, long size) {
        String expected = ClassVocabulary.fileSizeClass(size);
        int bucket = Ext4Follower.sizeBucket(size);
        // bucket i holds the sizes up to 4 KiB * 4^i; the last, everything larger
        String got = ClassVocabulary.fileSizeClass(bucket == 10 ? Long.MAX_VALUE : 4096L << (2 * bucket));
        assertEquals(expected, got, "size " + size);
    }

    @Test
    void aVolumeWithoutExt4LeavesTagsUnset() {
        byte[] junk = new byte[8 << 20];
        new Random(1).nextBytes(junk);
        GuestClassifier g = GuestClassifier.attach(junk.length, new GuestImages.Volume(junk), new ClassVocabulary());
        assertFalse(g.isExt4());
        BlockRequest r = new BlockRequest();
        for (Op op : new Op[] {Op.READ, Op.WRITE, Op.FLUSH}) {
            r.clear();
            r.op = op;
            r.offset = 4096;
            r.length = op == Op.FLUSH ? 0 : 4096;
            g.classify(r);
            assertEquals(BlockRequest.UNKNOWN, r.tag);
            assertEquals(BlockRequest.UNKNOWN, r.fileSize);
        }
        g.onWrite(0, ByteBuffer.wrap(junk, 0, 8192));
        assertTrue(g.describe().startsWith("no ext4 file system"), g.describe());
        GuestClassifier tiny = GuestClassifier.attach(100, new GuestImages.Volume(new byte[100]), new ClassVocabulary());
        assertFalse(tiny.isExt4());
    }

    /** The first data block of a regular file of the image, and its inode. */
    private static long[] someFile(long minSize) {
        BlockClassMap m = ref.blocks();
        for (int i = 0; i < m.rangeCount(); i++) {
            long ino = Integer.toUnsignedLong(m.rangeOwner(i));
            if (m.rangeClass(i) == Ext4Class.FILE && ref.inodes().typeOf(ino) == InodeTable.REGULAR
                    && ref.inodes().sizeOf(ino) >= minSize) {
                return new long[] {m.rangeStart(i), ino, m.rangeEnd(i)};
            }
        }
        throw new AssertionError("no file of " + minSize + " bytes");
    }

    @Test
    void fileDataFollowsItsInodeThroughDeletionReuseAndTrim() {
        byte[] img = image.clone();
        ClassVocabulary vocab = new ClassVocabulary();
        GuestImages.Volume vol = new GuestImages.Volume(img);
        GuestClassifier g = GuestClassifier.attach(img.length, vol, vocab);
        int bs = ref.blockSize();
        long[] f = someFile(100_000);
        long block = f[0];
        long ino = f[1];
        BlockRequest r = new BlockRequest();
        assertEquals(ref.dssClassOf(block), GuestImages.classOf(g, vocab, r, block, bs));
        assertEquals(ref.inodes().sizeOf(ino), r.fileSize);

        // The inode's place in its table.
        long ipg = ref.superblock().inodesPerGroup();
        int isz = ref.superblock().inodeSize();
        long group = (ino - 1) / ipg;
        long index = (ino - 1) % ipg;
        long tableStart = -1;
        for (int i = 0; i < ref.blocks().rangeCount(); i++) {
            if (ref.blocks().rangeClass(i) == Ext4Class.INODE) {
                if (group-- == 0) {
                    tableStart = ref.blocks().rangeStart(i);
                    break;
                }
            }
        }
        long inodeOffset = tableStart * bs + index * isz;
        // Deleted: links 0, extents gone (as ext4 truncates on delete). A partial (one inode) write.
        ByteBuffer dead = ByteBuffer.allocate(isz).order(ByteOrder.LITTLE_ENDIAN);
        dead.put(0, img, (int) inodeOffset, isz);
        dead.putShort(0x1A, (short) 0);
        dead.putShort(0x28 + 2, (short) 0);
        g.onWrite(inodeOffset, dead.asReadOnlyBuffer());
        System.arraycopy(dead.array(), 0, img, (int) inodeOffset, isz);
        r.clear();
        r.offset = block * bs;
        r.length = bs;
        g.classify(r);
        assertEquals(BlockRequest.UNKNOWN, r.tag, "a deleted file's blocks have no owner");
        assertEquals(BlockRequest.UNKNOWN, r.fileSize);

        // Reused by a directory with the same extents: now directory blocks.
        ByteBuffer dir = ByteBuffer.allocate(isz).order(ByteOrder.LITTLE_ENDIAN);
        dir.put(0, image, (int) inodeOffset, isz);
        dir.putShort(0, (short) 0x41ed);
        g.onWrite(inodeOffset, dir.asReadOnlyBuffer());
        assertEquals("directory", GuestImages.classOf(g, vocab, r, block, bs));

        // A file again, then the data trimmed.
        g.onWrite(inodeOffset, ByteBuffer.wrap(image, (int) inodeOffset, isz));
        assertEquals(ref.dssClassOf(block), GuestImages.classOf(g, vocab, r, block, bs));
        g.onDiscard(block * bs, (f[2] - block) * bs);
        assertEquals(ClassVocabulary.UNCLASSIFIED, GuestImages.classOf(g, vocab, r, block, bs));
        assertEquals(0, g.problems(), g.describe());
    }

    @Test
    void dataWrittenBeforeItsInodeIsClassifiedOnceTheInodeArrives() {
        byte[] img = image.clone();
        long[] f = someFile(4096);
        int bs = ref.blockSize();
        long ino = f[1];
        long ipg = ref.superblock().inodesPerGroup();
        int isz = ref.superblock().inodeSize();
        // Erase the inode on the volume, attach: its data is unknown.
        long tableStart = -1;
        for (int i = 0; i < ref.blocks().rangeCount(); i++) {
            if (ref.blocks().rangeClass(i) == Ext4Class.INODE) {
                tableStart = ref.blocks().rangeStart(i);
                break;
            }
        }
        assumeTrue((ino - 1) / ipg == 0, "the file is in group 0");
        long inodeOffset = tableStart * bs + (ino - 1) * isz;
        java.util.Arrays.fill(img, (int) inodeOffset, (int) inodeOffset + isz, (byte) 0);
        ClassVocabulary vocab = new ClassVocabulary();
        GuestImages.Volume vol = new GuestImages.Volume(img);
        GuestClassifier g = GuestClassifier.attach(img.length, vol, vocab);
        BlockRequest r = new BlockRequest();
        assertEquals(ClassVocabulary.UNCLASSIFIED, GuestImages.classOf(g, vocab, r, f[0], bs));
        vol.write(g, image, inodeOffset, isz);
        assertEquals(ref.dssClassOf(f[0]), GuestImages.classOf(g, vocab, r, f[0], bs));
    }

    @Test
    void aLostSuperblockStopsClassification() {
        byte[] img = image.clone();
        ClassVocabulary vocab = new ClassVocabulary();
        GuestImages.Volume vol = new GuestImages.Volume(img);
        GuestClassifier g = GuestClassifier.attach(img.length, vol, vocab);
        assertTrue(g.isExt4());
        assertTrue(g.describe().contains("journal inode 8: "), g.describe());
        BlockRequest r = new BlockRequest();
        r.op = Op.FLUSH;
        g.classify(r);
        assertEquals(vocab.none(), r.tag);
        vol.write(g, new byte[4096], 0, 4096);
        assertFalse(g.isExt4(), g.describe());
        assertEquals(ClassVocabulary.UNCLASSIFIED, GuestImages.classOf(g, vocab, r, 0, 4096));
        // written back: recognised again
        vol.write(g, image, 0, 4096);
        assertTrue(g.isExt4(), g.describe());
        assertEquals("superblock", GuestImages.classOf(g, vocab, r, 0, 4096));
    }

    @Test
    void thePolicyFilesClassifierTakesTheGuestTags() throws Exception {
        ClassVocabulary vocab = new ClassVocabulary();
        PolicyConfig dss = PolicyFile.builtin("dss", vocab);
        GuestClassifier g = GuestClassifier.attach(image.length, new GuestImages.Volume(image.clone()), vocab);
        int bs = ref.blockSize();
        BlockRequest r = new BlockRequest();
        int checked = 0;
        for (long b = 0; b < ref.superblock().blocksCount(); b += 3) {
            r.clear();
            r.op = Op.WRITE;
            r.offset = b * bs;
            r.length = bs;
            g.classify(r);
            dss.classifier().classify(r);
            // dss.toml's rules only catch untagged requests: the guest's tag, else the default
            assertEquals(ref.dssClassOf(b), vocab.name(r.ioClass), "block " + b);
            checked++;
        }
        assertTrue(checked > 1000);
        r.clear();
        r.op = Op.FLUSH;
        g.classify(r);
        dss.classifier().classify(r);
        assertEquals("none", vocab.name(r.ioClass));
    }

    @Test
    void classifyAllocatesNothingOnceWarm() {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no allocation counter in this JVM");
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(bean.isThreadAllocatedMemorySupported(), "thread allocation counting unsupported");
        bean.setThreadAllocatedMemoryEnabled(true);
        ClassVocabulary vocab = new ClassVocabulary();
        GuestClassifier g = GuestClassifier.attach(image.length, new GuestImages.Volume(image.clone()), vocab);
        long[] offsets = new long[4096];
        Random random = new Random(9);
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = random.nextLong(image.length) & ~4095L;
        }
        BlockRequest r = new BlockRequest();
        r.length = 4096;
        long tags = 0;
        for (int i = 0; i < 300_000; i++) {
            r.offset = offsets[i & 4095];
            r.tag = -1;
            g.classify(r);
            tags += r.tag;
        }
        long tid = Thread.currentThread().threadId();
        long before = bean.getThreadAllocatedBytes(tid);
        int n = 500_000;
        for (int i = 0; i < n; i++) {
            r.offset = offsets[i & 4095];
            r.tag = -1;
            g.classify(r);
            tags += r.tag;
        }
        long bytes = bean.getThreadAllocatedBytes(tid) - before;
        System.out.println("classify: " + bytes + " bytes allocated over " + n + " warm requests (tag sum " + tags + ")");
        // the counter itself may allocate a little; one allocation per request would be megabytes
        assertTrue(bytes < 4096, bytes + " bytes over " + n + " requests");
    }
}
