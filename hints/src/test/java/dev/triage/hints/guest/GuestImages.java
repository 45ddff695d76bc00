package dev.triage.hints.guest;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.BlockRequest;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.Op;
import dev.triage.hints.ext4.ByteArrayExt4Source;
import dev.triage.hints.ext4.Ext4Image;
import dev.triage.hints.ext4.Ext4Reader;
import dev.triage.hints.ext4.Ext4TestImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/** Test helpers: mkfs.ext4 images under target/, an in-memory volume, and per-class agreement. */
final class GuestImages {
    private GuestImages() {}

    static Path tool(String name) {
        return Ext4TestImages.tool(name);
    }

    static void assumeMkfs() {
        assumeTrue(tool("mkfs.ext4") != null, "mkfs.ext4 is absent (e2fsprogs): skipping guest classifier image tests");
    }

    static Path workDir() throws IOException {
        Path d = Path.of("target", "guest-test");
        Files.createDirectories(d);
        return d;
    }

    /** A deterministic tree: small files, medium files, a 3 MB file, a wide directory, a slow symlink. */
    static Path tree(String name, long seed) throws IOException {
        Path dir = workDir().resolve(name);
        if (Files.exists(dir.resolve(".done"))) {
            return dir;
        }
        Random r = new Random(seed);
        Files.createDirectories(dir.resolve("src/deep/er"));
        Files.createDirectories(dir.resolve("wide"));
        for (int i = 0; i < 120; i++) {
            byte[] b = new byte[r.nextInt(i % 10 == 0 ? 300_000 : 20_000) + 1];
            r.nextBytes(b);
            Files.write(dir.resolve("src/f" + i), b);
        }
        for (int i = 0; i < 300; i++) {
            Files.writeString(dir.resolve("wide/a_rather_long_file_name_for_a_wide_directory_" + i), "x" + i);
        }
        byte[] big = new byte[3_000_000];
        r.nextBytes(big);
        Files.write(dir.resolve("src/deep/er/big"), big);
        Files.createSymbolicLink(dir.resolve("link"), Path.of("src/deep/er/" + "x".repeat(80)));
        Files.writeString(dir.resolve(".done"), "");
        return dir;
    }

    static Path mkfs(String name, long size, Path tree, String... options) throws IOException, InterruptedException {
        return Ext4TestImages.mkfs(workDir(), name, size, tree, options);
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        return Ext4TestImages.run(cmd);
    }

    /** A volume in memory that a {@link GuestClassifier} reads. */
    static final class Volume implements VolumeReader {
        final byte[] bytes;

        Volume(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public void read(long offset, ByteBuffer dst) throws IOException {
            int n = dst.remaining();
            if (offset < 0 || offset + n > bytes.length) {
                throw new IOException("read past the end: " + offset + "+" + n);
            }
            dst.put(bytes, (int) offset, n);
        }

        /** Writes {@code src[offset, offset+len)} into the volume and tells the classifier (before the data lands). */
        void write(GuestClassifier g, byte[] src, long offset, int len) {
            g.onWrite(offset, ByteBuffer.wrap(src, (int) offset, len).slice().asReadOnlyBuffer());
            System.arraycopy(src, (int) offset, bytes, (int) offset, len);
        }
    }

    static Ext4Image reference(byte[] image) throws IOException {
        return Ext4Reader.read(new ByteArrayExt4Source(image));
    }

    /** The class name the classifier gives a one-block read of {@code block} ("unclassified" when it leaves the tag unset). */
    static String classOf(GuestClassifier g, ClassVocabulary vocab, BlockRequest r, long block, int bs) {
        r.clear();
        r.op = Op.READ;
        r.offset = block * bs;
        r.length = bs;
        g.classify(r);
        return r.tag < 0 ? ClassVocabulary.UNCLASSIFIED : vocab.name(r.tag);
    }

    /** Per expected class: blocks, and blocks where the classifier agreed. */
    static final class Agreement {
        final Map<String, long[]> byClass = new TreeMap<>();

        void add(String expected, String got) {
            long[] c = byClass.computeIfAbsent(expected, k -> new long[2]);
            c[0]++;
            if (expected.equals(got)) {
                c[1]++;
            }
        }

        double of(String cls) {
            long[] c = byClass.get(cls);
            return c == null || c[0] == 0 ? Double.NaN : (double) c[1] / c[0];
        }

        /** Agreement over all file_* classes together. */
        double files() {
            long n = 0;
            long ok = 0;
            for (var e : byClass.entrySet()) {
                if (e.getKey().startsWith("file_")) {
                    n += e.getValue()[0];
                    ok += e.getValue()[1];
                }
            }
            return n == 0 ? Double.NaN : (double) ok / n;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (var e : byClass.entrySet()) {
                s.append(String.format(Locale.ROOT, "  %-13s %7d blocks %7.2f%%%n", e.getKey(), e.getValue()[0],
                        100.0 * e.getValue()[1] / e.getValue()[0]));
            }
            return s.toString();
        }
    }

    /** Compares the classifier's answer for every block of the file system with the offline reader's. */
    static Agreement compare(GuestClassifier g, ClassVocabulary vocab, Ext4Image ref) {
        Agreement a = new Agreement();
        BlockRequest r = new BlockRequest();
        int bs = ref.blockSize();
        for (long b = 0; b < ref.superblock().blocksCount(); b++) {
            a.add(ref.dssClassOf(b), classOf(g, vocab, r, b, bs));
        }
        return a;
    }
}
