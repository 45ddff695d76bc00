package dev.triage.tools.pool;

import dev.triage.cache.live.CachedPool;
import dev.triage.device.BlockDevice;
import dev.triage.hints.policy.PolicyConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code triage pool create}: a new pool on a slow device, with a cache on a fast one. */
@Command(name = "pool", mixinStandardHelpOptions = true,
        description = "Manage pools: a slow device holding thin volumes, optionally cached on a fast device.",
        subcommands = {PoolCommand.Create.class})
public final class PoolCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** {@code triage pool create}. */
    @Command(name = "create", mixinStandardHelpOptions = true,
            description = {"Creates a pool on --slow (zones from the policy file) and formats a cache on --fast.",
                "Overwrites both devices. Files are created when --slow-size / --fast-size are given."},
            footer = {"", "Example:", "  triage pool create --slow /dev/sdb --fast /dev/nvme0n1p3 --mode write-back"})
    public static final class Create implements Callable<Integer> {
        @Mixin
        PoolDevices devices = new PoolDevices();

        @Option(names = "--slow-size", paramLabel = "SIZE", description = "Create --slow as a file of this size.")
        String slowSize;

        @Option(names = "--fast-size", paramLabel = "SIZE", description = "Create --fast as a file of this size.")
        String fastSize;

        @Override
        public Integer call() throws Exception {
            PolicyConfig config = devices.config();
            CachedPool.CacheSpec spec = devices.cacheSpec();
            if (spec.mode() == null) {
                spec = new CachedPool.CacheSpec(spec.policy(), dev.triage.cache.live.CacheMode.WRITE_THROUGH);
            }
            BlockDevice s = devices.device(devices.slow,
                    slowSize == null ? 0 : PoolDevices.parseSize(slowSize, "--slow-size"), "--slow");
            BlockDevice f = null;
            try {
                if (devices.fast != null) {
                    f = devices.device(devices.fast,
                            fastSize == null ? 0 : PoolDevices.parseSize(fastSize, "--fast-size"), "--fast");
                }
                CachedPool p = CachedPool.create(s, f, config, spec);
                System.out.printf("pool %s on %s: %d zone(s)%n", p.pool().uuid(), s.describe(), p.pool().zones().size());
                if (p.cache() != null) {
                    System.out.printf("cache %s on %s: %d lines of %d B, policy %s, %s%n", p.cache().uuid(),
                            f.describe(), p.cache().stats().capacity(), p.cache().geometry().blockSize(),
                            spec.policy(), spec.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
                }
                PoolDevices.close(p);
                return 0;
            } catch (Exception e) {
                PoolDevices.closeQuietly(f);
                PoolDevices.closeQuietly(s);
                throw e;
            }
        }
    }
}
