package dev.triage.hints.ext4;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Small ext4 images made with mkfs.ext4 -d (no root, no mount) under target/, for tests. The
 * guest classifier's tests use {@link #tool}, {@link #mkfs(Path, String, long, Path, String...)}
 * and {@link #run} too.
 */
public final class Ext4TestImages {
    private Ext4TestImages() {}

    /** The path of an e2fsprogs (or other system) tool, or null when it is not installed. */
    public static Path tool(String name) {
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    static void assumeTools() {
        assumeTrue(tool("mkfs.ext4") != null, "mkfs.ext4 is absent (e2fsprogs): skipping ext4 image tests");
        assumeTrue(tool("debugfs") != null, "debugfs is absent (e2fsprogs): skipping ext4 image tests");
    }

    static Path workDir() throws IOException {
        Path d = Path.of("target", "ext4-test");
        Files.createDirectories(d);
        return d;
    }

    /** A tree of small files, a few big ones, a wide directory, a symlink, deterministic. */
    static Path populate(Path dir, long seed) throws IOException {
        if (Files.exists(dir.resolve(".done"))) {
            return dir;
        }
        Random r = new Random(seed);
        Files.createDirectories(dir.resolve("src/deep/er/still"));
        Files.createDirectories(dir.resolve("wide"));
        for (int i = 0; i < 150; i++) {
            byte[] b = new byte[r.nextInt(70_000)];
            r.nextBytes(b);
            Files.write(dir.resolve("src/f" + i), b);
        }
        for (int i = 0; i < 400; i++) {
            Files.writeString(dir.resolve("wide/a_rather_long_file_name_for_the_directory_" + i), "x" + i);
        }
        byte[] big = new byte[3_000_000];
        r.nextBytes(big);
        Files.write(dir.resolve("src/deep/er/still/big"), big);
        Files.write(dir.resolve("src/deep/big2"), big);
        Files.writeString(dir.resolve("src/deep/tiny"), "tiny");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("src/deep/er/still/big"));
        Files.writeString(dir.resolve(".done"), "");
        return dir;
    }

    /** Runs mkfs.ext4 on a fresh sparse file of {@code size} bytes, populated from {@code tree}. */
    static Path mkfs(String name, long size, Path tree, String... options) throws IOException, InterruptedException {
        return mkfs(workDir(), name, size, tree, options);
    }

    /** Runs mkfs.ext4 on a fresh sparse file {@code dir/name} of {@code size} bytes, populated from {@code tree}. */
    public static Path mkfs(Path dir, String name, long size, Path tree, String... options)
            throws IOException, InterruptedException {
        Path img = dir.resolve(name);
        Files.deleteIfExists(img);
        try (var ch = java.nio.channels.FileChannel.open(img, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
        }
        List<String> cmd = new ArrayList<>(List.of(tool("mkfs.ext4").toString(), "-q", "-F", "-E",
                "lazy_itable_init=1,nodiscard"));
        cmd.addAll(List.of(options));
        if (tree != null) {
            cmd.add("-d");
            cmd.add(tree.toString());
        }
        cmd.add(img.toString());
        run(cmd);
        return img;
    }

    /** Runs a command; its output, or an IOException naming it when it fails or takes over 120 s. */
    public static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
