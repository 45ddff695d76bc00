package dev.triage.hints.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.ext4.Ext4Image;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest's disk as it usually is: a partition table (MBR or GPT, written here by hand as
 * fdisk would) with ext4 file systems in two partitions. Each partition's blocks must get the
 * classes the offline reader gives its image, on attach and after a replay of the whole disk's
 * creation; a hostile partition table must cost nothing more than its bounds.
 */
class GuestPartitionTest {
    private static final long MIB = 1 << 20;
    private static byte[] fs4k;
    private static byte[] fs1k;
    private static Ext4Image ref4k;
    private static Ext4Image ref1k;

    @BeforeAll
    static void images() throws Exception {
        GuestImages.assumeMkfs();
        var tree = GuestImages.tree("tree", 7);
        fs4k = Files.readAllBytes(GuestImages.mkfs("part4k.img", 24 * MIB, tree, "-b", "4096"));
        fs1k = Files.readAllBytes(GuestImages.mkfs("part1k.img", 16 * MIB, tree, "-b", "1024", "-O", "^flex_bg"));
        ref4k = GuestImages.reference(fs4k);
        ref1k = GuestImages.reference(fs1k);
    }

    /** Partition 1 at 1 MiB (the 4 KiB file system), partition 2 right after it (the 1 KiB one). */
    private static byte[] disk(boolean gpt) {
        long p1 = MIB;
        long p2 = p1 + fs4k.length;
        byte[] d = new byte[(int) (p2 + fs1k.length + MIB)];
        ByteBuffer b = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(510, (short) 0xAA55);
        if (!gpt) {
            mbrEntry(b, 0, 0x83, p1 / 512, fs4k.length / 512);
            mbrEntry(b, 1, 0x83, p2 / 512, fs1k.length / 512);
        } else {
            mbrEntry(b, 0, 0xEE, 1, d.length / 512 - 1);
            b.put(512, "EFI PART".getBytes(StandardCharsets.US_ASCII));
            b.putInt(512 + 8, 0x10000);
            b.putInt(512 + 12, 92);
            b.putLong(512 + 24, 1);
            b.putLong(512 + 32, d.length / 512 - 1);
            b.putLong(512 + 40, 34);
            b.putLong(512 + 48, d.length / 512 - 34);
            b.putLong(512 + 72, 2);
            b.putInt(512 + 80, 128);
            b.putInt(512 + 84, 128);
            gptEntry(b, 0, p1 / 512, (p1 + fs4k.length) / 512 - 1);
            gptEntry(b, 1, p2 / 512, (p2 + fs1k.length) / 512 - 1);
        }
        System.arraycopy(fs4k, 0, d, (int) p1, fs4k.length);
        System.arraycopy(fs1k, 0, d, (int) p2, fs1k.length);
        return d;
    }

    private static void mbrEntry(ByteBuffer b, int e, int type, long lba, long sectors) {
        int at = 446 + e * 16;
        b.put(at + 4, (byte) type);
        b.putInt(at + 8, (int) lba);
        b.putInt(at + 12, (int) sectors);
    }

    private static void gptEntry(ByteBuffer b, int e, long first, long last) {
        int at = 1024 + e * 128;
        b.putLong(at, 0x477284830FC63DAFL); // the Linux file system type GUID, first half
        b.putLong(at + 8, 0xE47D47D8693D798EL);
        b.putLong(at + 16, 1000 + e);
        b.putLong(at + 32, first);
        b.putLong(at + 40, last);
    }

    /** The agreement over one partition's blocks. */
    private static GuestImages.Agreement compare(GuestClassifier g, ClassVocabulary vocab, Ext4Image ref, long base) {
        GuestImages.Agreement a = new GuestImages.Agreement();
        BlockRequest r = new BlockRequest();
        int bs = ref.blockSize();
        for (long b = 0; b < ref.superblock().blocksCount(); b++) {
            r.clear();
            r.op = Op.READ;
            r.offset = base + b * bs;
            r.length = bs;
            g.classify(r);
            a.add(ref.dssClassOf(b), r.tag < 0 ? ClassVocabulary.UNCLASSIFIED : vocab.name(r.tag));
        }
        return a;
    }

    private static void check(String what, GuestImages.Agreement a) {
        for (var e : a.byClass.entrySet()) {
            assertTrue(a.of(e.getKey()) >= 0.95, what + ": " + e.getKey() + "\n" + a);
        }
    }

    @ParameterizedTest(name = "gpt={0}")
    @ValueSource(booleans = {false, true})
    void partitionsAreFollowedOnAttachAndThroughAReplay(boolean gpt) {
        byte[] disk = disk(gpt);
        ClassVocabulary vocab = new ClassVocabulary();
        GuestClassifier attached = GuestClassifier.attach(disk.length, new GuestImages.Volume(disk), vocab);
        assertTrue(attached.describe().startsWith(gpt ? "GPT, 2 partitions" : "MBR, 2 partitions"), attached.describe());
        check("attach p1", compare(attached, vocab, ref4k, MIB));
        check("attach p2", compare(attached, vocab, ref1k, MIB + fs4k.length));

        // The disk's creation: the table first, then each file system with its superblock last.
        GuestImages.Volume vol = new GuestImages.Volume(new byte[disk.length]);
        GuestClassifier g = GuestClassifier.attach(disk.length, vol, vocab);
        vol.write(g, disk, 0, 34 * 512);
        List<long[]> writes = new ArrayList<>();
        for (long at = MIB; at < disk.length - MIB; at += 4096) {
            if (!GuestReplayTest.zero(disk, at / 4096, 4096)) {
                writes.add(new long[] {at});
            }
        }
        Collections.shuffle(writes, new Random(2));
        long sb1 = MIB;
        long sb2 = MIB + fs4k.length;
        for (long[] w : writes) {
            if (w[0] != sb1 && w[0] != sb2) {
                vol.write(g, disk, w[0], 4096);
            }
        }
        vol.write(g, disk, sb2, 4096);
        vol.write(g, disk, sb1, 4096);
        GuestImages.Agreement a1 = compare(g, vocab, ref4k, MIB);
        GuestImages.Agreement a2 = compare(g, vocab, ref1k, MIB + fs4k.length);
        System.out.printf("%s replay: %s%npartition 1:%n%spartition 2:%n%s", gpt ? "GPT" : "MBR", g.describe(), a1, a2);
        check("replay p1", a1);
        check("replay p2", a2);
        assertEquals(0, g.problems(), g.describe());
    }

    @Test
    void hostilePartitionTablesCostOnlyTheirBounds() {
        byte[] disk = disk(true);
        ClassVocabulary vocab = new ClassVocabulary();
        GuestImages.Volume vol = new GuestImages.Volume(disk);
        GuestClassifier g = GuestClassifier.attach(disk.length, vol, vocab);
        Random random = new Random(4);
        BlockRequest r = new BlockRequest();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int w = 0; w < 600; w++) {
                byte[] head = new byte[34 * 512];
                random.nextBytes(head);
                ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
                b.putShort(510, (short) 0xAA55);
                if (random.nextBoolean()) {
                    b.put(446 + 4, (byte) 0xEE);
                    b.put(512, "EFI PART".getBytes(StandardCharsets.US_ASCII));
                    b.putLong(512 + 72, 2 + random.nextInt(3));
                    b.putInt(512 + 80, random.nextInt(300));
                    b.putInt(512 + 84, 128 << random.nextInt(2));
                    for (int e = 0; e < 20; e++) { // plausible ranges, overlapping or not
                        long first = random.nextInt(disk.length / 512);
                        b.putLong(1024 + e * 128 + 32, first);
                        b.putLong(1024 + e * 128 + 40, first + random.nextInt(disk.length / 512));
                    }
                }
                int len = 512 * (1 + random.nextInt(34));
                g.onWrite(0, ByteBuffer.wrap(head, 0, len).asReadOnlyBuffer());
                System.arraycopy(head, 0, disk, 0, len);
                for (int k = 0; k < 50; k++) {
                    r.clear();
                    r.offset = random.nextLong(disk.length);
                    r.length = 4096;
                    g.classify(r);
                    assertTrue(r.tag == BlockRequest.UNKNOWN || vocab.name(r.tag) != null);
                }
            }
        });
        assertEquals(0, g.internalErrors(), g.describe());
        System.out.println("fuzz partition tables: 600 hostile heads written, 30000 requests classified, "
                + "0 internal errors; " + g.describe().substring(0, Math.min(120, g.describe().length())));
    }
}
