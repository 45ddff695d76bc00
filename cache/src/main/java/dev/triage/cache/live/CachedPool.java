package dev.triage.cache.live;

import dev.triage.device.BlockDevice;
import dev.triage.hints.policy.PolicyConfig;
import dev.triage.placement.Pool;
import dev.triage.placement.PoolOptions;
import dev.triage.placement.Volume;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A placement pool on a slow device with the live cache on a fast one (or no cache): the thin
 * volumes of the pool, each seen through the cache as a {@link CachedVolume}. This is what a
 * block server serves. Volume management keeps the two consistent: a deleted volume's lines
 * are durably dropped before the pool forgets it, and a shrunk volume's tail lines before the
 * pool unmaps it, so that no volume ever reads another's (or its own earlier) data.
 */
public final class CachedPool implements AutoCloseable {
    private final Pool pool;
    private final LiveCache cache; // null: no fast device
    private final PolicyConfig config;
    private final Map<Integer, VolumeBacking> backings; // the cache's view of the volumes, by id

    private CachedPool(Pool pool, PolicyConfig config, LiveCache cache, Map<Integer, VolumeBacking> backings) {
        this.pool = pool;
        this.config = config;
        this.cache = cache;
        this.backings = backings;
    }

    /**
     * How the cache of a pool is run: its policy (a name of {@code Policies}) and write mode (null
     * when opening: the mode the cache was formatted with).
     */
    public record CacheSpec(String policy, CacheMode mode) {
        public static CacheSpec defaults() {
            return new CacheSpec("dss", CacheMode.WRITE_THROUGH);
        }
    }

    /**
     * Creates a pool on {@code slow} (zones from the policy file) and formats a cache on {@code
     * fast} when it is not null. Overwrites both devices.
     */
    public static CachedPool create(BlockDevice slow, BlockDevice fast, PolicyConfig config, CacheSpec spec)
            throws IOException {
        Pool pool = Pool.create(slow, poolOptions(config), config.table());
        return attach(pool, fast, config, spec, true);
    }

    /** Opens the pool on {@code slow} and the cache on {@code fast} (null: uncached), recovering both. */
    public static CachedPool open(BlockDevice slow, BlockDevice fast, PolicyConfig config, CacheSpec spec)
            throws IOException {
        Pool pool = Pool.open(slow, config.table());
        return attach(pool, fast, config, spec, false);
    }

    private static CachedPool attach(Pool pool, BlockDevice fast, PolicyConfig config, CacheSpec spec,
            boolean format) throws IOException {
        Map<Integer, VolumeBacking> backings = new ConcurrentHashMap<>();
        for (Volume v : pool.list()) {
            backings.put(v.id(), new VolumeBacking(v));
        }
        if (fast == null) {
            return new CachedPool(pool, config, null, backings);
        }
        CacheMode mode = spec.mode();
        if (mode == null) {
            CacheMode stored = format ? null : LiveCache.storedMode(fast);
            mode = stored != null ? stored : CacheMode.WRITE_THROUGH;
        }
        LiveCache.Options options = LiveCache.Options.of(spec.policy(), config.table(), mode);
        LiveCache cache;
        try {
            cache = format ? LiveCache.format(fast, Pool.BLOCK_SIZE, options, backings::get)
                    : LiveCache.open(fast, options, backings::get);
        } catch (IOException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return new CachedPool(pool, config, cache, backings);
    }

    /** The zones of the policy file, for a new pool (one default zone when it names none). */
    static PoolOptions poolOptions(PolicyConfig config) {
        List<dev.triage.placement.ZoneSpec> zones = new ArrayList<>();
        for (dev.triage.hints.policy.ZoneSpec z : config.zones()) {
            zones.add(toPlacement(z));
        }
        return zones.isEmpty() ? PoolOptions.defaults() : PoolOptions.defaults().withZones(zones, null);
    }

    private static dev.triage.placement.ZoneSpec toPlacement(dev.triage.hints.policy.ZoneSpec z) {
        if (z.startIsFraction() && z.endIsFraction()) {
            return dev.triage.placement.ZoneSpec.ofFraction(z.name(), z.start(), z.end());
        }
        if (!z.startIsFraction() && !z.endIsFraction()) {
            return dev.triage.placement.ZoneSpec.ofBytes(z.name(), (long) z.start(), (long) z.end());
        }
        throw new IllegalArgumentException("zone " + z.name() + ": give both ends as percentages or both as sizes");
    }

    public Pool pool() {
        return pool;
    }

    /** The cache, or null when the pool has no fast device. */
    public LiveCache cache() {
        return cache;
    }

    public PolicyConfig config() {
        return config;
    }

    /** The volumes, in creation order. */
    public List<Volume> volumes() {
        return pool.list();
    }

    /** The volume of that name seen through the cache, or null. */
    public CachedVolume volume(String name) {
        Volume v = pool.volume(name);
        return v == null ? null : new CachedVolume(cache, v.id(), backings.computeIfAbsent(v.id(),
                id -> new VolumeBacking(v)));
    }

    /** Creates a thin volume (durable on return). */
    public CachedVolume createVolume(String name, long sizeBytes) throws IOException {
        Volume v = pool.createVolume(name, sizeBytes);
        if (cache != null && v.id() >= LiveCache.MAX_VOLUMES) {
            pool.deleteVolume(name);
            throw new IOException("volume " + name + ": the pool gave it id " + v.id() + ", beyond the "
                    + LiveCache.MAX_VOLUMES + " volume ids the cache can key");
        }
        backings.put(v.id(), new VolumeBacking(v));
        return volume(name);
    }

    /** Resizes a volume; the lines beyond a new, smaller end are dropped first. */
    public void resizeVolume(String name, long sizeBytes) throws IOException {
        Volume v = existing(name);
        if (cache != null && sizeBytes < v.size()) {
            long from = Math.max(0, sizeBytes);
            cache.discard(v.id(), from, v.size() - from);
            cache.flush(v.id());
        }
        pool.resizeVolume(name, sizeBytes);
    }

    /** Deletes a volume: its cache lines go durably, then the pool frees its blocks. */
    public void deleteVolume(String name) throws IOException {
        Volume v = existing(name);
        if (cache != null) {
            cache.dropVolume(v.id());
        }
        pool.deleteVolume(name);
        backings.remove(v.id());
    }

    private Volume existing(String name) throws IOException {
        Volume v = pool.volume(name);
        if (v == null) {
            throw new IOException("no volume " + name + " in " + pool);
        }
        return v;
    }

    /** Stops the cache's destager and nothing more, as if the process died (for crash tests). */
    void halt() {
        if (cache != null) {
            cache.halt();
        }
    }

    /** Commits the cache (its lines stay, dirty ones included) and the pool. */
    @Override
    public void close() throws IOException {
        try {
            if (cache != null) {
                cache.close();
            }
        } finally {
            pool.close();
        }
    }
}
