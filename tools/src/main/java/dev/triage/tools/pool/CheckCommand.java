package dev.triage.tools.pool;

import dev.triage.cache.live.CacheCheck;
import dev.triage.cache.live.CachedPool;
import dev.triage.cache.live.LiveCache;
import dev.triage.device.BlockDevice;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.placement.CheckReport;
import dev.triage.placement.Pool;
import dev.triage.placement.PoolChecker;
import dev.triage.placement.Volume;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code triage check --pool DEV [--fast DEV] [--repair]}: verifies every checksum and invariant
 * of the pool's metadata (the placement checker) and of the cache's table (checksums, duplicate
 * lines, lines of volumes that no longer exist, dirty lines whose data fails its checksum), and
 * reports what is wrong. {@code --repair} fixes what is safe: what a recovery fixes (torn copies,
 * duplicates, lines of deleted volumes); damage that would lose or expose data is only reported.
 * Exit status 0 when clean, 1 when something is wrong.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Verifies the metadata of a pool and its cache; --repair fixes what is safe.")
public final class CheckCommand implements Callable<Integer> {
    @Mixin
    PoolDevices devices = new PoolDevices();

    @Option(names = "--repair", description = "Repair what is safe to repair (as a recovery would).")
    boolean repair;

    @Override
    public Integer call() throws Exception {
        PolicyConfig config = devices.config();
        boolean ok;
        try (BlockDevice slow = devices.device(devices.slow, 0, "--pool")) {
            CheckReport pool = repair ? PoolChecker.repair(slow, config.table()) : PoolChecker.check(slow);
            System.out.print(pool.format());
            ok = pool.clean();
            if (devices.fast == null) {
                return ok ? 0 : 1;
            }
            try (BlockDevice fast = devices.device(devices.fast, 0, "--fast")) {
                Set<Integer> ids = new HashSet<>();
                boolean known = pool.repairable();
                if (known) {
                    // the volume ids, read through a device that refuses writes (a check changes nothing)
                    try (Pool p = Pool.open(repair ? slow : new ReadOnlyDevice(slow), config.table())) {
                        for (Volume v : p.list()) {
                            ids.add(v.id());
                        }
                    } catch (java.io.IOException e) {
                        if (ids.isEmpty()) {
                            known = false;
                        }
                    }
                }
                if (repair && known) {
                    CachedPool cp = CachedPool.open(slow, fast, config, devices.cacheSpec());
                    cp.close(); // recovery drops duplicates and lines of deleted volumes, and commits
                }
                boolean volumesKnown = known;
                CacheCheck.Report cache = CacheCheck.check(fast, v -> !volumesKnown || ids.contains(v), true);
                System.out.printf("%s: cache of %d slots, %d table pages, %d lines (%d dirty)%n", fast.describe(),
                        cache.slots(), cache.pages(), cache.lines(), cache.dirtyLines());
                if (!volumesKnown) {
                    System.out.println("  (the pool's volumes could not be read: lines of deleted volumes not checked)");
                }
                for (String e : cache.errors()) {
                    System.out.println("  error: " + e);
                }
                for (String w : cache.warnings()) {
                    System.out.println("  warning: " + w);
                }
                if (cache.clean()) {
                    System.out.println("clean");
                }
                ok &= cache.clean();
            }
        }
        return ok ? 0 : 1;
    }
}
