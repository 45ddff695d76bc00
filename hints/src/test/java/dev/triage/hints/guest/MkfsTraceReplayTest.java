package dev.triage.hints.guest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.ext4.Ext4Image;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The creation of a file system exactly as mke2fs writes it: mkfs.ext4 -d runs under strace,
 * which records every pwrite64 with its data and every fallocate (zeroed ranges) in order; the
 * recorded writes are replayed into an all-zero volume watched by the classifier. The replayed
 * volume must equal the image byte for byte (the record is complete), and the classes must
 * agree with the offline reader's.
 */
class MkfsTraceReplayTest {
    private static final Pattern PWRITE = Pattern.compile("^(?:\\d+ +)?pwrite64\\((\\d+), .*, (\\d+), (\\d+)\\) = (\\d+)");
    private static final Pattern FALLOC = Pattern.compile("^(?:\\d+ +)?fallocate\\((\\d+), ([A-Z_|]+), (\\d+), (\\d+)\\) = 0");
    private static final List<String> METADATA = List.of("superblock", "group_desc", "block_bitmap",
            "inode_bitmap", "inode", "extent", "directory", "journal");

    /** One recorded operation: data written, or a range zeroed (data null). */
    record Op(long offset, long length, byte[] data) {}

    @ParameterizedTest(name = "{0}")
    @CsvSource({"4k, -b 4096", "1k, '-b 1024 -O ^flex_bg'"})
    void mke2fsWritesInItsOwnOrder(String name, String options) throws Exception {
        GuestImages.assumeMkfs();
        Path strace = GuestImages.tool("strace");
        assumeTrue(strace != null, "strace is absent: skipping the recorded mkfs replay");
        Path tree = GuestImages.tree("tree", 7);
        Path img = GuestImages.workDir().resolve("traced-" + name + ".img");
        Path log = GuestImages.workDir().resolve("traced-" + name + ".strace");
        Files.deleteIfExists(img);
        long size = 32L << 20;
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
        List<String> cmd = new ArrayList<>(List.of(strace.toString(), "-qq", "-e", "trace=pwrite64,fallocate",
                "-e", "write=all", "-o", log.toString(), GuestImages.tool("mkfs.ext4").toString(), "-q", "-F",
                "-E", "lazy_itable_init=1,nodiscard"));
        cmd.addAll(List.of(options.split(" ")));
        cmd.addAll(List.of("-d", tree.toString(), img.toString()));
        GuestImages.run(cmd);
        List<Op> ops = parse(log);
        Files.delete(log); // tens of MB of hex dump
        byte[] image = Files.readAllBytes(img);
        Ext4Image ref = GuestImages.reference(image);
        int bs = ref.blockSize();

        ClassVocabulary vocab = new ClassVocabulary();
        GuestImages.Volume vol = new GuestImages.Volume(new byte[image.length]);
        GuestClassifier g = GuestClassifier.attach(image.length, vol, vocab);
        GuestImages.Agreement arrival = new GuestImages.Agreement();
        var r = new dev.triage.hints.BlockRequest();
        long written = 0;
        for (Op op : ops) {
            if (op.data() == null) {
                g.onDiscard(op.offset(), op.length());
                java.util.Arrays.fill(vol.bytes, (int) op.offset(), (int) (op.offset() + op.length()), (byte) 0);
                continue;
            }
            g.onWrite(op.offset(), ByteBuffer.wrap(op.data()).asReadOnlyBuffer());
            System.arraycopy(op.data(), 0, vol.bytes, (int) op.offset(), op.data().length);
            written += op.data().length;
            for (long b = op.offset() / bs; b < (op.offset() + op.length() + bs - 1) / bs; b++) {
                arrival.add(ref.dssClassOf(b), GuestImages.classOf(g, vocab, r, b, bs));
            }
        }
        assertArrayEquals(image, vol.bytes, "the recorded writes rebuild the image");
        GuestImages.Agreement fin = GuestImages.compare(g, vocab, ref);
        System.out.printf("mke2fs %s, recorded by strace: %d operations, %d bytes written; %s%nwritten blocks, as "
                + "each write arrived:%n%sfinal, every block:%n%s", name, ops.size(), written, g.describe(), arrival, fin);
        for (String c : METADATA) {
            if (!Double.isNaN(fin.of(c))) {
                assertTrue(fin.of(c) >= 0.95, name + ": " + c + " agreement " + fin.of(c) + "\n" + fin);
            }
        }
        assertTrue(fin.files() >= 0.95, name + ": file data agreement " + fin.files() + "\n" + fin);
        assertEquals(0, g.problems(), g.describe());
    }

    /** The pwrite64 calls (with their hex dumps) and fallocate zero/punch calls of an strace log, in order. */
    static List<Op> parse(Path log) throws IOException {
        List<Op> ops = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            String line;
            byte[] data = null;
            int filled = 0;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(" | ") && data != null) {
                    String[] tok = line.substring(3).trim().split(" +");
                    int at = Integer.parseInt(tok[0], 16);
                    int n = Math.min(16, data.length - at);
                    for (int i = 0; i < n; i++) {
                        data[at + i] = (byte) Integer.parseInt(tok[1 + i], 16);
                    }
                    filled = Math.max(filled, at + n);
                    continue;
                }
                Matcher m = PWRITE.matcher(line);
                if (m.find()) {
                    int len = Integer.parseInt(m.group(4));
                    data = new byte[len];
                    filled = 0;
                    ops.add(new Op(Long.parseLong(m.group(3)), len, data));
                    continue;
                }
                m = FALLOC.matcher(line);
                if (m.find() && (m.group(2).contains("ZERO_RANGE") || m.group(2).contains("PUNCH_HOLE"))) {
                    ops.add(new Op(Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), null));
                }
            }
        }
        assertTrue(ops.size() > 10, "strace recorded " + ops.size() + " operations in " + log);
        return ops;
    }
}
