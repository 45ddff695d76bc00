package dev.triage.tools.pool;

import dev.triage.cache.live.CacheMode;
import dev.triage.cache.live.CachedPool;
import dev.triage.device.BlockDevice;
import dev.triage.device.FileDevice;
import dev.triage.hints.ClassVocabulary;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.tools.UserError;
import dev.triage.tools.replay.PolicyFileInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every pool command shares: the slow device, the fast one, the policies. */
public final class PoolDevices {
    @Option(names = {"--pool", "--slow"}, required = true, paramLabel = "DEV",
            description = "The pool's (slow) device: a block device or a file.")
    Path slow;

    @Option(names = "--fast", paramLabel = "DEV", description = "The cache's (fast) device: a block device or a file.")
    Path fast;

    @Mixin
    PolicyFileInput policyFile = new PolicyFileInput();

    @Option(names = "--policy", paramLabel = "NAME", defaultValue = "dss",
            description = "The cache policy (see triage policies). Default: ${DEFAULT-VALUE}.")
    String policy;

    @Option(names = "--mode", paramLabel = "MODE",
            description = "Cache write mode: write-through or write-back (a class's write_mode overrides it)."
                    + " Default: write-through for a new cache, else the mode it was created with.")
    String mode;

    @Option(names = "--buffered", description = "Open the devices without O_DIRECT (for file systems without it,"
            + " such as tmpfs).")
    boolean buffered;

    /** Devices given by another command's options (e.g. {@code triage stat --pool}). */
    public static PoolDevices of(Path slow, Path fast, PolicyFileInput policyFile, boolean buffered) {
        PoolDevices d = new PoolDevices();
        d.slow = slow;
        d.fast = fast;
        d.policyFile = policyFile;
        d.policy = "dss";
        d.mode = null; // the mode the cache was created with
        d.buffered = buffered;
        return d;
    }

    PolicyConfig config() throws IOException {
        return policyFile.load(new ClassVocabulary());
    }

    CachedPool.CacheSpec cacheSpec() {
        try {
            return new CachedPool.CacheSpec(policy, mode == null ? null : CacheMode.parse(mode));
        } catch (IllegalArgumentException e) {
            throw new UserError("--mode: " + e.getMessage());
        }
    }

    FileDevice.Options deviceOptions() {
        return FileDevice.Options.DEFAULT.withDirect(!buffered);
    }

    /** Opens a device, creating a file of {@code size} bytes first when it does not exist and a size is given. */
    BlockDevice device(Path path, long size, String what) throws IOException {
        if (!Files.exists(path)) {
            if (size <= 0) {
                throw new UserError(what + " " + path + ": no such file or device (give a size to create a file)");
            }
            return FileDevice.create(path, size, deviceOptions());
        }
        return FileDevice.open(path, deviceOptions());
    }

    /** Opens the pool and, when --fast is given, its cache. */
    CachedPool open() throws IOException {
        PolicyConfig config = config();
        BlockDevice s = device(slow, 0, "--pool");
        BlockDevice f = null;
        try {
            f = fast == null ? null : device(fast, 0, "--fast");
            return CachedPool.open(s, f, config, cacheSpec());
        } catch (IOException | RuntimeException e) {
            closeQuietly(f);
            closeQuietly(s);
            throw e;
        }
    }

    static void closeQuietly(BlockDevice d) {
        if (d != null) {
            try {
                d.close();
            } catch (IOException ignored) {
                // closing after an error: the first error is the one to report
            }
        }
    }

    /** Closes a pool opened by {@link #open} and its devices. */
    static void close(CachedPool p) throws IOException {
        BlockDevice s = p.pool().device();
        BlockDevice f = p.cache() == null ? null : p.cache().device();
        try {
            p.close();
        } finally {
            closeQuietly(f);
            s.close();
        }
    }

    /** Parses a size with an optional K, M, G or T suffix (powers of 1024). */
    static long parseSize(String text, String what) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        long mult = 1;
        if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("I")) {
            t = t.substring(0, t.length() - 1);
        }
        char c = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        switch (c) {
            case 'K' -> mult = 1L << 10;
            case 'M' -> mult = 1L << 20;
            case 'G' -> mult = 1L << 30;
            case 'T' -> mult = 1L << 40;
            default -> { }
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t.trim());
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UserError(what + ": '" + text + "' is not a size (e.g. 4096, 64M, 10G)");
        }
    }
}
