package dev.triage.hints.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.ext4.Ext4Image;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A file system in use: a populated image is attached, changed by a workload (the kernel's ext4
 * through a loop mount when the test runs as root; e2fsprogs' debugfs otherwise), and the
 * blocks the workload changed are written into the classifier's volume as multi-block writes in
 * a random order. The classes after the replay must agree with the offline reader's on the
 * changed image.
 */
class GuestWorkloadTest {
    private static final List<String> METADATA = List.of("superblock", "group_desc", "block_bitmap",
            "inode_bitmap", "inode", "extent", "directory", "journal");
    private static Path tree;

    @BeforeAll
    static void tree() throws Exception {
        GuestImages.assumeMkfs();
        tree = GuestImages.tree("tree", 7);
    }

    @Test
    void kernelWorkloadThroughALoopMount() throws Exception {
        assumeTrue("0".equals(GuestImages.run(List.of("id", "-u")).trim()), "not root: no loop mount");
        Path img = GuestImages.mkfs("workload-mount.img", 64L << 20, tree, "-b", "4096");
        byte[] before = Files.readAllBytes(img);
        Path mnt = GuestImages.workDir().resolve("mnt");
        Files.createDirectories(mnt);
        try {
            GuestImages.run(List.of("mount", "-o", "loop", img.toString(), mnt.toString()));
        } catch (IOException e) {
            abort("cannot loop-mount here (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        try {
            String script = String.join("\n",
                    "set -e",
                    "cd \"$1\"",
                    "mkdir -p w/a w/b/c w/wide",
                    "for i in $(seq 1 200); do head -c $(( (i * 977) % 30000 + 1 )) /dev/urandom > w/a/s$i; done",
                    "head -c 600000 /dev/urandom > w/b/medium",
                    "head -c 8000000 /dev/urandom > w/b/c/large",
                    "head -c 2000000 /dev/urandom > w/frag",
                    "sync",
                    // every other 4 KiB of frag punched out: ~250 extents, a tree with leaf blocks
                    "o=0; while [ $o -lt 2000000 ]; do fallocate -p -o $o -l 4096 w/frag; o=$((o + 8192)); done",
                    "for i in $(seq 1 3 200); do rm w/a/s$i; done",
                    "rm -f src/f1*",
                    "for i in $(seq 1 600); do : > w/wide/an_entry_with_a_rather_long_name_$i; done",
                    "head -c 100000 /dev/urandom >> src/f2",
                    "sync");
            GuestImages.run(List.of("sh", "-c", script, "workload", mnt.toString()));
        } finally {
            GuestImages.run(List.of("umount", mnt.toString()));
        }
        replayAndCheck("loop mount", before, Files.readAllBytes(img));
    }

    @Test
    void debugfsWorkload() throws Exception {
        assumeTrue(GuestImages.tool("debugfs") != null, "debugfs is absent (e2fsprogs)");
        Path img = GuestImages.mkfs("workload-debugfs.img", 48L << 20, tree, "-b", "1024", "-O", "^flex_bg");
        byte[] before = Files.readAllBytes(img);
        Path dir = GuestImages.workDir();
        Random r = new Random(3);
        byte[] small = new byte[5000];
        r.nextBytes(small);
        Files.write(dir.resolve("small.bin"), small);
        byte[] large = new byte[2_500_000];
        r.nextBytes(large);
        Files.write(dir.resolve("large.bin"), large);
        List<String> cmds = new ArrayList<>(List.of("mkdir /new", "mkdir /new/sub"));
        for (int i = 0; i < 60; i++) {
            cmds.add("write " + dir.resolve("small.bin") + " /new/s" + i);
        }
        cmds.add("write " + dir.resolve("large.bin") + " /new/sub/large");
        for (int i = 0; i < 60; i += 3) {
            cmds.add("rm /new/s" + i);
        }
        for (int i = 0; i < 30; i++) {
            cmds.add("rm /src/f" + i);
        }
        Path cmdFile = dir.resolve("debugfs.cmds");
        Files.write(cmdFile, cmds, StandardCharsets.UTF_8);
        GuestImages.run(List.of(GuestImages.tool("debugfs").toString(), "-w", "-f", cmdFile.toString(), img.toString()));
        replayAndCheck("debugfs", before, Files.readAllBytes(img));
    }

    private static void replayAndCheck(String name, byte[] before, byte[] after) throws IOException {
        Ext4Image ref = GuestImages.reference(after);
        assertEquals(0, ref.problemCount(), () -> "the reference reader saw problems: " + ref.problems());
        int bs = ref.blockSize();
        ClassVocabulary vocab = new ClassVocabulary();
        GuestImages.Volume vol = new GuestImages.Volume(before.clone());
        GuestClassifier g = GuestClassifier.attach(before.length, vol, vocab);
        assertTrue(g.isExt4(), g.describe());
        // Changed blocks, as runs of at most 32 blocks, in a random order.
        List<long[]> writes = new ArrayList<>();
        long blocks = after.length / bs;
        long changed = 0;
        for (long b = 0; b < blocks; b++) {
            if (!same(before, after, b, bs)) {
                changed++;
                long[] last = writes.isEmpty() ? null : writes.get(writes.size() - 1);
                if (last != null && last[0] + last[1] == b && last[1] < 32) {
                    last[1]++;
                } else {
                    writes.add(new long[] {b, 1});
                }
            }
        }
        Collections.shuffle(writes, new Random(5));
        GuestImages.Agreement arrival = new GuestImages.Agreement();
        var req = new dev.triage.hints.BlockRequest();
        for (long[] w : writes) {
            vol.write(g, after, w[0] * bs, (int) (w[1] * bs));
            for (long b = w[0]; b < w[0] + w[1]; b++) {
                arrival.add(ref.dssClassOf(b), GuestImages.classOf(g, vocab, req, b, bs));
            }
        }
        GuestImages.Agreement fin = GuestImages.compare(g, vocab, ref);
        System.out.printf("%s workload: %d changed blocks in %d writes; %s%nchanged blocks, as each write arrived:%n%s"
                + "final, every block:%n%s", name, changed, writes.size(), g.describe(), arrival, fin);
        for (String c : METADATA) {
            if (!Double.isNaN(fin.of(c))) {
                assertTrue(fin.of(c) >= 0.95, name + ": " + c + " agreement " + fin.of(c) + "\n" + fin);
            }
        }
        assertTrue(fin.files() >= 0.95, name + ": file data agreement " + fin.files() + "\n" + fin);
        assertEquals(0, g.problems(), g.describe());
    }

    private static boolean same(byte[] a, byte[] b, long block, int bs) {
        int at = (int) (block * bs);
        return java.util.Arrays.equals(a, at, at + bs, b, at, at + bs);
    }
}
