package dev.triage.hints.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.ext4.Ext4Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the creation of a mkfs.ext4 image as block writes into an all-zero volume (the
 * superblock first, then the descriptors, then every other written block in a random order, so
 * data arrives both before and after the inodes that map it) and checks the classes the
 * {@link GuestClassifier} gives against the offline reader's ({@link Ext4Image}) class of every
 * block of the final image; and that attaching to the finished image gives the same.
 */
class GuestReplayTest {
    private static final List<String> METADATA = List.of("superblock", "group_desc", "block_bitmap",
            "inode_bitmap", "inode", "extent", "directory", "journal");
    private static Path tree;

    @BeforeAll
    static void tree() throws Exception {
        GuestImages.assumeMkfs();
        tree = GuestImages.tree("tree", 7);
    }

    /** The order the image's blocks are written in. */
    enum Order {
        /** The superblock, the descriptors, then the rest shuffled. */
        SUPERBLOCK_FIRST,
        /** The rest shuffled, the descriptors, the superblock last (as mke2fs flushes). */
        SUPERBLOCK_LAST,
        /** The rest shuffled, the superblock, then the descriptors. */
        DESCRIPTORS_LAST
    }

    static List<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        String[][] fs = {
            {"4k flex_bg 64bit", "-b 4096"},
            {"1k no flex_bg", "-b 1024 -O ^flex_bg"},
            {"indirect ext3-like", "-b 4096 -O ^extent,^flex_bg,^64bit,^metadata_csum"},
            {"meta_bg", "-b 1024 -O meta_bg,^resize_inode -g 1024"},
        };
        for (String[] f : fs) {
            for (Order o : Order.values()) {
                out.add(Arguments.of(f[0], f[1], o));
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, {2}")
    @MethodSource("variants")
    void replayedCreationAgreesWithTheOfflineReader(String name, String options, Order how) throws Exception {
        long size = 40L << 20;
        Path img = GuestImages.mkfs("replay-" + name.replace(' ', '_') + ".img", size, tree, options.split(" "));
        byte[] image = Files.readAllBytes(img);
        Ext4Image ref = GuestImages.reference(image);
        assertEquals(0, ref.problemCount(), () -> "the reference reader saw problems: " + ref.problems());
        int bs = ref.blockSize();
        ClassVocabulary vocab = new ClassVocabulary();
        GuestImages.Volume vol = new GuestImages.Volume(new byte[image.length]);
        GuestClassifier g = GuestClassifier.attach(image.length, vol, vocab);
        assertFalse(g.isExt4(), g.describe());
        BlockRequest probe = new BlockRequest();
        probe.op = Op.WRITE;
        probe.offset = 1 << 20;
        probe.length = 4096;
        g.classify(probe);
        assertEquals(BlockRequest.UNKNOWN, probe.tag, "no file system yet: the tag stays unset");

        long blocks = image.length / bs;
        long sbBlock = bs == 1024 ? 1 : 0;
        long gdtEnd = sbBlock + 1 + ref.superblock().gdtBlocks();
        List<Long> superblock = new ArrayList<>();
        List<Long> descriptors = new ArrayList<>();
        List<Long> rest = new ArrayList<>();
        for (long b = 0; b < blocks; b++) {
            if (b <= sbBlock) {
                superblock.add(b);
            } else if (b < gdtEnd) {
                descriptors.add(b);
            } else if (!zero(image, b, bs)) {
                rest.add(b);
            }
        }
        Collections.shuffle(rest, new Random(11));
        List<Long> order = new ArrayList<>();
        switch (how) {
            case SUPERBLOCK_FIRST -> {
                order.addAll(superblock);
                order.addAll(descriptors);
                order.addAll(rest);
            }
            case SUPERBLOCK_LAST -> {
                order.addAll(rest);
                order.addAll(descriptors);
                order.addAll(superblock);
            }
            case DESCRIPTORS_LAST -> {
                order.addAll(rest);
                order.addAll(superblock);
                order.addAll(descriptors);
            }
        }
        GuestImages.Agreement arrival = new GuestImages.Agreement();
        BlockRequest r = new BlockRequest();
        for (long b : order) {
            vol.write(g, image, b * bs, bs);
            arrival.add(ref.dssClassOf(b), GuestImages.classOf(g, vocab, r, b, bs));
        }
        assertTrue(g.isExt4(), g.describe());
        GuestImages.Agreement replayed = GuestImages.compare(g, vocab, ref);
        GuestClassifier attached = GuestClassifier.attach(image.length, new GuestImages.Volume(image), vocab);
        GuestImages.Agreement onAttach = GuestImages.compare(attached, vocab, ref);
        System.out.printf("%s, %s: %s%nwritten blocks, as each arrived:%n%sfinal, every block after the replay:%n%sattached to the "
                + "finished image:%n%s", name, how, g.describe(), arrival, replayed, onAttach);
        for (String c : METADATA) {
            if (!Double.isNaN(replayed.of(c))) {
                assertTrue(replayed.of(c) >= 0.95, name + ": " + c + " agreement " + replayed.of(c) + "\n" + replayed);
                assertTrue(onAttach.of(c) >= 0.95, name + ": " + c + " agreement on attach " + onAttach.of(c));
            }
        }
        assertTrue(replayed.files() >= 0.95, name + ": file data agreement " + replayed.files() + "\n" + replayed);
        assertTrue(onAttach.files() >= 0.95, name + ": file data agreement on attach " + onAttach.files());
        assertTrue(replayed.of(ClassVocabulary.UNCLASSIFIED) >= 0.95, name + ": free space\n" + replayed);
        assertEquals(0, g.problems(), g.describe());
        assertEquals(0, attached.problems(), attached.describe());
    }

    static boolean zero(byte[] image, long block, int bs) {
        int at = (int) (block * bs);
        for (int i = 0; i < bs; i++) {
            if (image[at + i] != 0) {
                return false;
            }
        }
        return true;
    }
}
