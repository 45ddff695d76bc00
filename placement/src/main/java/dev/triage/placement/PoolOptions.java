package dev.triage.placement;

import java.util.List;

/**
 * How {@link Pool#create} lays out a new pool.
 *
 * @param metaBlocks size of the metadata area in 4 KiB pages; 0 picks 1/128 of the device
 *     (at least 64): twice what a fully mapped pool's maps need, as copy-on-write commits
 *     need room for the old and the new copy of every page
 * @param zones the zones of the data area; empty gives one zone "default" over all of it
 * @param defaultZone the zone of classes whose policy names none (null: the first zone)
 */
public record PoolOptions(long metaBlocks, List<ZoneSpec> zones, String defaultZone) {

    public PoolOptions {
        zones = List.copyOf(zones);
        if (metaBlocks < 0) {
            throw new IllegalArgumentException("metadata blocks " + metaBlocks + " < 0");
        }
    }

    /** One zone, automatic metadata size. */
    public static PoolOptions defaults() {
        return new PoolOptions(0, List.of(), null);
    }

    public PoolOptions withZones(List<ZoneSpec> z, String defaultZoneName) {
        return new PoolOptions(metaBlocks, z, defaultZoneName);
    }

    public PoolOptions withMetaBlocks(long n) {
        return new PoolOptions(n, zones, defaultZone);
    }
}
